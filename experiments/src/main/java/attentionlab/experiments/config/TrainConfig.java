package attentionlab.experiments.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * {@code train:} the optimisation and logging schedule.
 *
 * @param steps number of optimizer updates
 * @param batchSize sequences per update
 * @param optimizer only {@code adam}
 * @param lr peak learning rate
 * @param beta1 Adam's first-moment decay
 * @param beta2 Adam's second-moment decay
 * @param epsilon Adam's denominator guard
 * @param weightDecay decoupled weight decay (AdamW style); 0 by default, so that a parameter with zero
 *     gradient never moves
 * @param gradClip clip the global gradient norm to this value; 0 = off
 * @param warmupSteps linear warm-up from 0 to lr over this many steps; 0 = off
 * @param evalEvery validate every this many steps (and at the last step)
 * @param logEvery write a metrics row every this many steps (and at the last step)
 * @param checkpointEvery checkpoint every this many steps; 0 = only at the end
 * @param seeds one run per seed (per variant)
 * @param initWeights a .npz or .safetensors file of the whole model in PyTorch's names and layout
 *     (docs/weights.md) that a new run starts from instead of the seed's initialisation; "" = none. Relative
 *     to the config file, resolved to an absolute path when the config is read
 */
@JsonPropertyOrder({"steps", "batch_size", "optimizer", "lr", "beta1", "beta2", "epsilon", "weight_decay", "grad_clip",
    "warmup_steps", "eval_every", "log_every", "checkpoint_every", "seeds", "init_weights"})
public record TrainConfig(
        @JsonProperty("steps") int steps,
        @JsonProperty("batch_size") int batchSize,
        @JsonProperty("optimizer") String optimizer,
        @JsonProperty("lr") double lr,
        @JsonProperty("beta1") double beta1,
        @JsonProperty("beta2") double beta2,
        @JsonProperty("epsilon") double epsilon,
        @JsonProperty("weight_decay") double weightDecay,
        @JsonProperty("grad_clip") double gradClip,
        @JsonProperty("warmup_steps") int warmupSteps,
        @JsonProperty("eval_every") int evalEvery,
        @JsonProperty("log_every") int logEvery,
        @JsonProperty("checkpoint_every") int checkpointEvery,
        @JsonProperty("seeds") List<Long> seeds,
        @JsonProperty("init_weights") @JsonInclude(JsonInclude.Include.NON_EMPTY) String initWeights) {

    public TrainConfig {
        seeds = seeds == null ? null : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(seeds)); // nulls kept for the validator
    }

    public TrainConfig withSeeds(List<Long> newSeeds) {
        return new TrainConfig(steps, batchSize, optimizer, lr, beta1, beta2, epsilon, weightDecay, gradClip, warmupSteps,
                evalEvery, logEvery, checkpointEvery, newSeeds, initWeights);
    }

    public TrainConfig withSteps(int newSteps) {
        return new TrainConfig(newSteps, batchSize, optimizer, lr, beta1, beta2, epsilon, weightDecay, gradClip, warmupSteps,
                evalEvery, logEvery, checkpointEvery, seeds, initWeights);
    }

    public TrainConfig withInitWeights(String file) {
        return new TrainConfig(steps, batchSize, optimizer, lr, beta1, beta2, epsilon, weightDecay, gradClip, warmupSteps,
                evalEvery, logEvery, checkpointEvery, seeds, file);
    }
}
