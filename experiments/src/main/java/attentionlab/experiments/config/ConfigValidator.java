package attentionlab.experiments.config;

import attentionlab.experiments.core.UserError;
import attentionlab.experiments.io.Format;
import attentionlab.experiments.tasks.AssociativeRecallConfig;
import attentionlab.experiments.tasks.SequenceFileConfig;
import attentionlab.experiments.tasks.SequenceTaskConfig;
import attentionlab.experiments.tasks.TaskConfig;
import attentionlab.models.attention.MultiHeadAttention;
import attentionlab.models.kernel.AttentionKernels;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks the values of a bound config: sizes positive, d_model and value_dim divisible by heads,
 * known names, learning rate > 0, ... Each failure is one {@link UserError} line: key path, value,
 * what is allowed. A W_o input width different from value_dim is allowed here on purpose: it is the
 * homework 3(b) mistake, and it fails when the model is initialised.
 */
final class ConfigValidator {

    /** Names used as directory names: experiment and variant names. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    /** Longest experiment or variant name: a directory name, with room for the seed and timestamp suffixes. */
    static final int MAX_NAME = 100;

    /**
     * The largest seed: PyTorch's generator is seeded through DJL's {@code Engine.setRandomSeed(int)}, so
     * a seed is used as is only up to 2^31 - 1. Refusing larger seeds keeps the seed in config.yaml the
     * very number the engine was seeded with (no mixing function to document or reproduce elsewhere),
     * and distinct seeds can never give one initialisation.
     */
    static final long MAX_SEED = Integer.MAX_VALUE;

    private final Map<String, String> origins;

    private ConfigValidator(Map<String, String> origins) {
        this.origins = origins;
    }

    /**
     * @param givenModel the model section as the config gives it, before defaults (for the kernel options)
     */
    static void validate(ExperimentConfig c, Map<String, String> origins, JsonNode givenModel) {
        ConfigValidator v = new ConfigValidator(origins);
        v.name("experiment", c.experiment());
        if (c.variant() != null) {
            v.name("variant", c.variant());
        }
        v.task(c.task(), c.train());
        v.model(c.model());
        v.kernelOptions(c.model().kernel(), givenModel);
        v.train(c.train());
    }

    private void task(TaskConfig task, TrainConfig train) {
        if (task instanceof AssociativeRecallConfig ar) {
            oneOf("task.encoding", ar.encoding(), AssociativeRecallConfig.ENCODINGS);
            atLeast("task.pairs", ar.pairs(), 1);
            atLeast("task.vocab", ar.vocab(), 2);
            if (ar.vocab() < ar.pairs()) {
                fail("task.vocab", ar.vocab(), "must be >= task.pairs (" + ar.pairs() + ") because keys are distinct");
            }
            atLeast("task.train_examples", ar.trainExamples(), 1);
            batchFits(train.batchSize(), ar.trainExamples());
            atLeast("task.val_examples", ar.valExamples(), 1);
        } else if (task instanceof SequenceTaskConfig s) {
            atLeast("task.length", s.length(), 1);
            atLeast("task.vocab", s.vocab(), 2);
            atLeast("task.train_examples", s.trainExamples(), 1);
            batchFits(train.batchSize(), s.trainExamples());
            atLeast("task.val_examples", s.valExamples(), 1);
        } else if (task instanceof SequenceFileConfig f) {
            atLeast("task.val_examples", f.valExamples(), 1); // the file's size is checked when the task reads it
        }
    }

    /** A step draws train.batch_size distinct examples. */
    private void batchFits(int batch, int examples) {
        if (batch > examples) {
            fail("train.batch_size", batch, "allowed: 1 to task.train_examples (" + examples + "); a step draws a batch of"
                    + " distinct examples");
        }
    }

    private void model(ModelConfig m) {
        atLeast("model.d_model", m.dModel(), 1);
        atLeast("model.heads", m.heads(), 1);
        if (m.dModel() % m.heads() != 0) {
            fail("model.d_model", m.dModel(), "must be divisible by " + related("model.heads", m.heads()));
        }
        List<Integer> kvHeads = MultiHeadAttention.allowedKvHeads(m.heads());
        if (!kvHeads.contains(m.kvHeads())) {
            fail("model.kv_heads", m.kvHeads(), "allowed: a divisor of " + related("model.heads", m.heads()) + ": "
                    + kvHeads.stream().map(String::valueOf).collect(Collectors.joining(", "))
                    + " (1 = multi-query, " + m.heads() + " = multi-head)");
        }
        atLeast("model.layers", m.layers(), 1);
        atLeast("model.ffn_hidden", m.ffnHidden(), 1);
        atLeast("model.value_dim", m.valueDim(), 1);
        if (m.valueDim() % m.heads() != 0) {
            fail("model.value_dim", m.valueDim(), "must be divisible by " + related("model.heads", m.heads()));
        }
        atLeast("model.output_input_dim", m.outputInputDim(), 1);
        oneOf("model.kernel", m.kernel(), List.copyOf(AttentionKernels.names()));
        positive("model.temperature", m.temperature());
        if (!(m.alpha() > 1 && m.alpha() <= 2)) {
            fail("model.alpha", m.alpha(), "allowed: numbers in (1, 2] (1 is softmax, 1.5 entmax15, 2 sparsemax)");
        }
    }

    /**
     * A kernel option (a {@code model.<key>} named like a {@code KernelOptions} component) that the
     * chosen kernel does not read would do nothing: refuse it, naming the kernels that read it.
     */
    private void kernelOptions(String kernel, JsonNode givenModel) {
        Set<String> read = AttentionKernels.options(kernel);
        for (String option : AttentionKernels.optionKeys()) {
            if (givenModel.has(option) && !read.contains(option)) {
                fail("model." + option, ConfigErrors.show(givenModel.get(option)), "kernel '" + kernel
                        + "' does not read it; kernels that read model." + option + ": "
                        + String.join(", ", AttentionKernels.readers(option)));
            }
        }
    }

    private void train(TrainConfig t) {
        atLeast("train.steps", t.steps(), 1);
        atLeast("train.batch_size", t.batchSize(), 1);
        oneOf("train.optimizer", t.optimizer(), List.of("adam"));
        positive("train.lr", t.lr());
        if (!(t.beta1() >= 0 && t.beta1() < 1)) {
            fail("train.beta1", t.beta1(), "allowed: 0 <= beta1 < 1");
        }
        if (!(t.beta2() >= 0 && t.beta2() < 1)) {
            fail("train.beta2", t.beta2(), "allowed: 0 <= beta2 < 1");
        }
        positive("train.epsilon", t.epsilon());
        nonNegative("train.weight_decay", t.weightDecay());
        nonNegative("train.grad_clip", t.gradClip());
        atLeast("train.warmup_steps", t.warmupSteps(), 0);
        atLeast("train.eval_every", t.evalEvery(), 1);
        atLeast("train.log_every", t.logEvery(), 1);
        atLeast("train.checkpoint_every", t.checkpointEvery(), 0);
        if (t.seeds().isEmpty()) {
            fail("train.seeds", "[]", "must list at least one seed, e.g. [0, 1, 2]");
        }
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < t.seeds().size(); i++) {
            Long s = t.seeds().get(i);
            if (s == null || s < 0 || s > MAX_SEED) {
                fail("train.seeds[" + i + "]", s, "allowed: integers from 0 to " + MAX_SEED + " (the engine's seed is"
                        + " an int; larger seeds would collide with smaller ones)");
            }
            if (!seen.add(s)) {
                fail("train.seeds[" + i + "]", s, "seeds must be distinct");
            }
        }
    }

    private void name(String path, String value) {
        if (value == null || !NAME.matcher(value).matches() || value.length() > MAX_NAME) {
            fail(path, value == null ? null : "'" + Format.clip(value) + "'",
                    "allowed: letters, digits, '.', '_', '-', at most " + MAX_NAME + " characters (it names a directory)");
        }
    }

    private void oneOf(String path, String value, List<String> allowed) {
        if (!allowed.contains(value)) {
            fail(path, "'" + value + "'", "allowed: " + String.join(", ", allowed));
        }
    }

    private void atLeast(String path, int value, int min) {
        if (value < min) {
            fail(path, value, "allowed: integers >= " + min);
        }
    }

    private void positive(String path, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            fail(path, value, "allowed: finite numbers > 0");
        }
    }

    private void nonNegative(String path, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            fail(path, value, "allowed: finite numbers >= 0");
        }
    }

    /** Another key a rule involves, with its value and, if an override set it, where from: {@code model.heads (3, from --set ...)}. */
    private String related(String path, Object value) {
        String origin = origins.get(path);
        return path + " (" + value + (origin == null ? "" : ", from " + Format.clip(origin)) + ")";
    }

    private void fail(String path, Object value, String allowed) {
        String origin = origins.get(path.replaceAll("\\[\\d+]$", ""));
        throw new UserError(path + ": " + Format.clip(String.valueOf(value)) + " is invalid; " + allowed
                + (origin == null ? "" : " (from " + Format.clip(origin) + ")"));
    }
}
