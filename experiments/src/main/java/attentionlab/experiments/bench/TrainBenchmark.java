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
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Training steps/s of the argmax-stall-sized model (softmax) built from our
 * {@link MultiHeadAttention} against the same sizes built from DJL's
 * {@link ScaledDotProductAttentionBlock} (dropout 0) in the same {@link SequenceModel}: Adam, cross-entropy on every
 * position, one fixed random batch. Timed by the engine ({@link Sweep}, {@link TrainBench}): each model in its
 * own JMH fork, the two adjacent in every round, so the per-round ratio ours / DJL is paired; "not
 * measured" when the machine was busy.
 */
public final class TrainBenchmark {

    public static final List<String> MODELS = List.of("ours", "djl");

    private TrainBenchmark() {}

    /** Model and batch sizes. */
    public record Sizes(int modelDim, int heads, int layers, int ffnHidden, int vocab, int batch, int length) {

        /** The argmax-stall config's model, batch 64. */
        public static Sizes argmaxStall() {
            return new Sizes(64, 4, 2, 128, 24, 64, 13);
        }
    }

    /**
     * @param rounds repeats of each model, each in a fresh fork
     * @param iterationSeconds length of one JMH iteration (2 warm-up, 3 measured per fork)
     * @param measureMemory whether to measure each model's peak memory in a child JVM
     */
    public record Options(Sizes sizes, int rounds, double iterationSeconds, boolean measureMemory) {

        public static Options full() {
            return new Options(Sizes.argmaxStall(), 10, 0.5, true);
        }

        public static Options quick() {
            return new Options(Sizes.argmaxStall(), 3, 0.2, false);
        }
    }

    /**
     * @param stepsPerSecond 1 / the median over rounds of seconds per step
     * @param secondsPerStep over rounds
     * @param peakBytes peak memory of a fresh JVM training this model for 10 steps
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Row(String model, String attention, @JsonProperty("parameter_count") long parameterCount,
                      @JsonProperty("steps_per_second") double stepsPerSecond,
                      @JsonProperty("seconds_per_step") RepeatStats secondsPerStep, @JsonProperty("peak_bytes") Long peakBytes) {}

    /**
     * @param oursOverDjlTime ratio of the two medians of seconds per step
     * @param oursOverDjlPaired ratio within each round (the two models timed back to back): robust to load
     *                          that drifts during the run
     */
    public record Result(Provenance provenance, Options options, MachineLoad load, List<Row> rows,
                         @JsonProperty("ours_over_djl_time") double oursOverDjlTime,
                         @JsonProperty("ours_over_djl_paired") RepeatStats oursOverDjlPaired, List<Target> targets) {}

    public static Result run(Options o, Sweep.Timer timer, Consumer<String> log) {
        double loadStart = timer.otherLoad();
        long start = System.nanoTime();
        Sizes z = o.sizes();
        List<Sweep.Point> points = MODELS.stream().map(name -> new Sweep.Point("TrainBench", Sweep.params("model", name,
                "modelDim", z.modelDim(), "heads", z.heads(), "layers", z.layers(), "ffnHidden", z.ffnHidden(), "vocab", z.vocab(),
                "batch", z.batch(), "length", z.length()))).toList();
        List<Sweep.Measured> measured = timer.run(points, Sweep.Settings.timed(o.rounds(), 2, 3, o.iterationSeconds(), 600), log);
        MachineLoad load = MachineLoad.since(timer, loadStart, start);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < MODELS.size(); i++) {
            String name = MODELS.get(i);
            Sweep.Measured m = measured.get(i);
            if (!m.ok()) {
                throw new IllegalStateException("training steps of " + m.point().describe() + " failed: " + m.error());
            }
            RepeatStats perStep = m.stats();
            Long peak = o.measureMemory() ? PeakMemory.measure(List.of("train", name, "10"), 600).peakBytes() : null;
            Row row = new Row(name, name.equals("ours") ? "attentionlab MultiHeadAttention (softmax)"
                    : "ai.djl.nn.transformer.ScaledDotProductAttentionBlock", parameterCount(name, z), 1 / perStep.median(), perStep, peak);
            log.accept(String.format(Locale.ROOT, "  %-4s %7.1f steps/s (%.2f ms/step, spread %3.0f%%)%s", name,
                    row.stepsPerSecond(), perStep.median() * 1e3, perStep.relativeSpread() * 100,
                    peak == null ? "" : String.format(Locale.ROOT, "  peak %.0f MiB", peak / 1048576.0)));
            rows.add(row);
        }
        RepeatStats paired = RepeatStats.pairedRatio(measured.get(0).rounds(), measured.get(1).rounds());
        double ratio = rows.get(0).secondsPerStep().median() / rows.get(1).secondsPerStep().median();
        log.accept(String.format(Locale.ROOT, "  ours / djl time per step: paired median %.3f (min %.3f, max %.3f), ratio of medians %.3f; %s",
                paired.median(), paired.min(), paired.max(), ratio, load.describe()));
        String name = "our MHA / DJL ScaledDotProductAttentionBlock time per training step (median of paired rounds)";
        Target target = load.busy() ? Target.notMeasured(name, "<= 1.0", load.busyReason()) : Target.atMost(name, paired.median(), 1.0);
        return new Result(Provenance.current(), o, load, rows, ratio, paired, List.of(target));
    }

    /** Parameters of one of {@link #MODELS} at these sizes. */
    static long parameterCount(String name, Sizes z) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block model = model(name, z);
            model.initialize(manager, DataType.FLOAT32, new Shape(1, z.length()));
            return model.getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
        }
    }

    /**
     * Child-JVM entry: {@code MODEL STEPS}. The tiny run trains the same model at batch 1 and is closed,
     * so the measured peak holds the model, Adam's state and the batch-64 activations.
     */
    static void probe(NDManager manager, String[] args, boolean tiny) {
        Sizes z = Sizes.argmaxStall();
        if (tiny) {
            z = new Sizes(z.modelDim(), z.heads(), z.layers(), z.ffnHidden(), z.vocab(), 1, z.length());
        }
        try (Session s = new Session(args[0], z)) {
            s.steps(tiny ? 1 : Integer.parseInt(args[1]));
        }
    }

    /** Builds one of {@link #MODELS}. */
    static Block model(String name, Sizes z) {
        return switch (name) {
            case "ours" -> new SequenceModel(z.vocab(), z.vocab(), z.length(), z.modelDim(), z.layers(), z.ffnHidden(),
                    i -> MultiHeadAttention.builder().setModelDim(z.modelDim()).setHeads(z.heads()).build());
            case "djl" -> new SequenceModel(z.vocab(), z.vocab(), z.length(), z.modelDim(), z.layers(), z.ffnHidden(),
                    i -> ScaledDotProductAttentionBlock.builder().setEmbeddingSize(z.modelDim()).setHeadCount(z.heads())
                            .optAttentionProbsDropoutProb(0f).build());
            default -> throw new IllegalArgumentException("unknown model '" + name + "'; valid: " + MODELS);
        };
    }

    /** A model, its trainer and one fixed batch. */
    static final class Session implements AutoCloseable {
        private final Model model;
        private final Trainer trainer;
        private final NDArray tokens;
        private final NDArray labels;
        private final int vocab;

        Session(String name, Sizes o) {
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

        @Override
        public void close() {
            trainer.close();
            model.close();
        }
    }
}
