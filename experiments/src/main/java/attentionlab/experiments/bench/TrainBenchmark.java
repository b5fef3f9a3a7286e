package attentionlab.experiments.bench;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.transformer.ScaledDotProductAttentionBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import attentionlab.experiments.io.Provenance;
import attentionlab.models.attention.MultiHeadAttention;
import attentionlab.models.stack.SequenceModel;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Training steps/s of the argmax-stall-sized model (softmax) built from our
 * {@link MultiHeadAttention} against the same sizes built from DJL's
 * {@link ScaledDotProductAttentionBlock} (dropout 0) in the same {@link SequenceModel}: Adam, cross-entropy on every
 * position, one fixed random batch, in one JVM with the two models' timed blocks interleaved in
 * alternating order (ours, DJL; DJL, ours; ...).
 */
public final class TrainBenchmark {

    public static final List<String> MODELS = List.of("ours", "djl");

    private TrainBenchmark() {}

    /**
     * @param stepsPerRepeat training steps per timed block
     * @param repeats timed blocks per model
     */
    public record Options(int modelDim, int heads, int layers, int ffnHidden, int vocab, int batch, int length,
                          int warmupSteps, int stepsPerRepeat, int repeats, boolean measureMemory) {

        public static Options full() {
            return new Options(64, 4, 2, 128, 24, 64, 13, 20, 5, 40, true);
        }

        public static Options quick() {
            return new Options(64, 4, 2, 128, 24, 64, 13, 10, 5, 10, false);
        }
    }

    /**
     * @param stepsPerSecond median over the timed blocks
     * @param secondsPerStep per timed block
     * @param peakBytes peak memory of a fresh JVM training this model for 10 steps
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Row(String model, String attention, @JsonProperty("parameter_count") long parameterCount,
                      @JsonProperty("steps_per_second") double stepsPerSecond,
                      @JsonProperty("seconds_per_step") RepeatStats secondsPerStep, @JsonProperty("peak_bytes") Long peakBytes) {}

    /**
     * @param oursOverDjlTime ratio of the two medians of seconds per step
     * @param oursOverDjlPaired ratio of each pair of adjacent timed blocks (ours, then DJL's): robust to
     *                          load that drifts during the run
     */
    public record Result(Provenance provenance, Options options, @JsonProperty("load_before") double loadBefore,
                         @JsonProperty("load_after") double loadAfter, List<Row> rows,
                         @JsonProperty("ours_over_djl_time") double oursOverDjlTime,
                         @JsonProperty("ours_over_djl_paired") RepeatStats oursOverDjlPaired, List<Target> targets) {}

    public static Result run(Options o, Consumer<String> log) {
        double loadBefore = Machine.loadAverage();
        Map<String, Session> sessions = new LinkedHashMap<>();
        Map<String, double[]> seconds = new LinkedHashMap<>();
        try {
            for (String name : MODELS) {
                Session s = new Session(name, o);
                sessions.put(name, s);
                s.steps(o.warmupSteps());
                seconds.put(name, new double[o.repeats()]);
            }
            for (int r = 0; r < o.repeats(); r++) {
                // interleaved, so both models see the same load; the order alternates (A B, B A, ...) so that
                // neither always runs first
                List<String> order = r % 2 == 0 ? MODELS : List.of(MODELS.get(1), MODELS.get(0));
                for (String name : order) {
                    long start = System.nanoTime();
                    sessions.get(name).steps(o.stepsPerRepeat());
                    seconds.get(name)[r] = (System.nanoTime() - start) / 1e9 / o.stepsPerRepeat();
                }
            }
            List<Row> rows = new ArrayList<>();
            for (String name : MODELS) {
                RepeatStats perStep = RepeatStats.of(seconds.get(name));
                Long peak = o.measureMemory() ? PeakMemory.measure(List.of("train", name, "10"), 600).peakBytes() : null;
                Row row = new Row(name, name.equals("ours") ? "attentionlab MultiHeadAttention (softmax)"
                        : "ai.djl.nn.transformer.ScaledDotProductAttentionBlock", sessions.get(name).parameterCount(),
                        1 / perStep.median(), perStep, peak);
                log.accept(String.format(Locale.ROOT, "  %-4s %7.1f steps/s (%.2f ms/step, spread %3.0f%%)%s", name,
                        row.stepsPerSecond(), perStep.median() * 1e3, perStep.relativeSpread() * 100,
                        peak == null ? "" : String.format(Locale.ROOT, "  peak %.0f MiB", peak / 1048576.0)));
                rows.add(row);
            }
            RepeatStats paired = RepeatStats.pairedRatio(seconds.get("ours"), seconds.get("djl")); // adjacent blocks: same load
            double ratio = rows.get(0).secondsPerStep().median() / rows.get(1).secondsPerStep().median();
            log.accept(String.format(Locale.ROOT, "  ours / djl time per step: paired median %.3f (min %.3f, max %.3f), ratio of medians %.3f",
                    paired.median(), paired.min(), paired.max(), ratio));
            return new Result(Provenance.current(), o, loadBefore, Machine.loadAverage(), rows, ratio, paired,
                    List.of(Target.atMost("our MHA / DJL ScaledDotProductAttentionBlock time per training step (paired median)",
                            paired.median(), 1.0)));
        } finally {
            sessions.values().forEach(Session::close);
        }
    }

    /**
     * Child-JVM entry: {@code MODEL STEPS}. The tiny run trains the same model at batch 1 and is closed,
     * so the measured peak holds the model, Adam's state and the batch-64 activations.
     */
    static void probe(NDManager manager, String[] args, boolean tiny) {
        Options o = Options.quick();
        if (tiny) {
            o = new Options(o.modelDim(), o.heads(), o.layers(), o.ffnHidden(), o.vocab(), 1, o.length(), 0, 1, 1, false);
        }
        try (Session s = new Session(args[0], o)) {
            s.steps(tiny ? 1 : Integer.parseInt(args[1]));
        }
    }

    /** Builds one of {@link #MODELS}. */
    static Block model(String name, Options o) {
        return switch (name) {
            case "ours" -> new SequenceModel(o.vocab(), o.vocab(), o.length(), o.modelDim(), o.layers(), o.ffnHidden(),
                    i -> MultiHeadAttention.builder().setModelDim(o.modelDim()).setHeads(o.heads()).build());
            case "djl" -> new SequenceModel(o.vocab(), o.vocab(), o.length(), o.modelDim(), o.layers(), o.ffnHidden(),
                    i -> ScaledDotProductAttentionBlock.builder().setEmbeddingSize(o.modelDim()).setHeadCount(o.heads())
                            .optAttentionProbsDropoutProb(0f).build());
            default -> throw new IllegalArgumentException("unknown model '" + name + "'; valid: " + MODELS);
        };
    }

    /** A model, its trainer and one fixed batch. */
    private static final class Session implements AutoCloseable {
        private final Model model;
        private final Trainer trainer;
        private final NDArray tokens;
        private final NDArray labels;
        private final int vocab;

        Session(String name, Options o) {
            Engine.getInstance().setRandomSeed(0);
            this.vocab = o.vocab();
            model = Model.newInstance("bench-" + name);
            model.setBlock(model(name, o));
            trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build()));
            trainer.initialize(new Shape(o.batch(), o.length()));
            NDManager m = trainer.getManager();
            tokens = m.randomInteger(0, o.vocab(), new Shape(o.batch(), o.length()), DataType.INT64);
            labels = m.randomInteger(0, o.vocab(), new Shape((long) o.batch() * o.length()), DataType.INT64);
        }

        void steps(int count) {
            for (int i = 0; i < count; i++) {
                try (NDManager step = trainer.getManager().newSubManager()) {
                    NDArray x = tokens.reshape(tokens.getShape()); // view owned by this step
                    x.attach(step);
                    NDArray y = labels.reshape(labels.getShape());
                    y.attach(step);
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        NDArray logits = trainer.forward(new NDList(x)).head().reshape(-1, vocab); // [B*N, V]
                        collector.backward(trainer.getLoss().evaluate(new NDList(y), new NDList(logits)));
                    }
                    trainer.step();
                }
            }
        }

        long parameterCount() {
            return model.getBlock().getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
        }

        @Override
        public void close() {
            trainer.close();
            model.close();
        }
    }
}
