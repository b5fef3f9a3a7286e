package attentionlab.experiments.config;

import attentionlab.experiments.tasks.TaskConfig;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One experiment config file, bound strictly (see {@link ConfigLoader}).
 *
 * @param experiment name of the experiment (directory under the runs root)
 * @param variant name of the single run when there are no {@code variants} (default: the kernel name);
 *     the resolved {@code config.yaml} of a run carries its variant name here
 * @param variants optional: variant name -> {key.path: value} overrides; one run per variant x seed
 */
@JsonPropertyOrder({"experiment", "variant", "task", "model", "train", "variants"})
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ExperimentConfig(
        @JsonProperty("experiment") String experiment,
        @JsonProperty("variant") String variant,
        @JsonProperty("task") TaskConfig task,
        @JsonProperty("model") ModelConfig model,
        @JsonProperty("train") TrainConfig train,
        @JsonProperty("variants") Map<String, Map<String, Object>> variants) {

    public ExperimentConfig {
        variants = variants == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(variants));
    }

    /** The config of one run: this variant name, one seed, no variants. */
    public ExperimentConfig forRun(String variantName, long seed) {
        return new ExperimentConfig(experiment, variantName, task, model, train.withSeeds(java.util.List.of(seed)), Map.of());
    }

    /** The same experiment with another task section (e.g. its file paths resolved). */
    public ExperimentConfig withTask(TaskConfig newTask) {
        return new ExperimentConfig(experiment, variant, newTask, model, train, variants);
    }

    /** The same experiment with another train section. */
    public ExperimentConfig withTrain(TrainConfig newTrain) {
        return new ExperimentConfig(experiment, variant, task, model, newTrain, variants);
    }

    /** The same run trained for a different number of steps (resume --steps). */
    public ExperimentConfig withSteps(int steps) {
        return new ExperimentConfig(experiment, variant, task, model, train.withSteps(steps), variants);
    }
}
