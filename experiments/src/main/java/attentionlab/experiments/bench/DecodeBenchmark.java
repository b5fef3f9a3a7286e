package attentionlab.experiments.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import attentionlab.experiments.io.Provenance;
import attentionlab.models.decode.DecodeState;
import attentionlab.models.decode.DecoderDims;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Per-token decoding (homework 4, issue 11): time of one decoding step against the context length n
 * and the bytes of the state that step reads, for softmax with MHA (g = h), GQA (g = h/4) and MQA
 * (g = 1) KV caches and for quadratic-linear recurrent decoding (g = h, state [B,g,F,v+1]); and
 * chunked causal linear attention (forward + backward) against the prefix-sum form. Every timing goes
 * through the engine ({@link Sweep}: JMH forks, one engine thread), the variants adjacent at each n so
 * that each round times them back to back; a step attends over n .. n + 3 tokens (batches of 4 steps
 * between resets, {@link DecodeBench}).
 *
 * <p>Targets: the recurrent step's time and state bytes flat in n (fitted exponent <= 0.1, judged on its
 * 95% interval); MHA / MQA step time >= 3 at n = 8192 (median over rounds of the paired ratio); chunked
 * >= 2x faster or <= 1/2 the peak memory of prefix sums, and >= 40% of its roofline bound (FLOPs and bytes
 * of the executed ops, {@link OpProfile}). Timing targets are "not measured" when the machine was busy.
 */
public final class DecodeBenchmark {

    /** Steps timed together between state resets (at most {@link DecodeBench#MAX_BATCH}). */
    static final int STEPS_PER_BATCH = 4;

    private DecodeBenchmark() {}

    /**
     * @param batch B
     * @param modelDim d
     * @param heads h (k = v = d / h)
     * @param lengths context lengths n
     * @param rounds repeats of every point (fresh forks)
     * @param chunkedN N of the chunked-attention comparison
     * @param chunkedD D = M of the chunked-attention comparison
     * @param measureMemory whether to measure the chunked forms' peak memory (child JVMs)
     * @param smallRoofline measure the roofline at small sizes (quick runs)
     */
    public record Options(int batch, int modelDim, int heads, List<Integer> lengths, int rounds, int chunkedN, int chunkedD,
                          boolean measureMemory, boolean smallRoofline) {

        public static Options full() {
            return new Options(8, 512, 8, List.of(256, 512, 1024, 2048, 4096, 8192, 16384, 32768), 3, 16384, 16, true, false);
        }

        /** Seconds, for smoke tests: structure, never speed. */
        public static Options quick() {
            return new Options(2, 64, 8, List.of(32, 128), 1, 256, 8, true, true);
        }

        /** The variants: kernel and g. */
        List<String[]> variants() {
            List<String[]> v = new ArrayList<>();
            for (int g : new int[] {heads, Math.max(1, heads / 4), 1}) {
                if (v.stream().noneMatch(x -> x[1].equals("" + g))) {
                    v.add(new String[] {DecoderDims.of(modelDim, heads, g).variant(), "" + g, "softmax"});
                }
            }
            v.add(new String[] {"recurrent", "" + heads, "quadratic"});
            return v;
        }
    }

    /**
     * @param stateBytes bytes of the state holding n tokens (allocated arrays: KV cache keys and values, or [S | z])
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Row(String variant, @JsonProperty("kv_heads") int kvHeads, int n, RepeatStats seconds, double[] rounds,
                      @JsonProperty("state_bytes") long stateBytes) {}

    /**
     * @param timeRatio prefix-sum time / chunked time (median of paired rounds)
     * @param memoryRatio chunked peak / prefix-sum peak (null when not measured)
     * @param profile the chunked form's executed FLOPs and bytes (forward + backward)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Chunked(int n, int d, RepeatStats prefixSeconds, RepeatStats chunkedSeconds,
                          @JsonProperty("time_ratio") double timeRatio, @JsonProperty("prefix_peak_bytes") Long prefixPeak,
                          @JsonProperty("chunked_peak_bytes") Long chunkedPeak, @JsonProperty("memory_ratio") Double memoryRatio,
                          OpProfile profile, Roofline.Peak peak, @JsonProperty("roofline_fraction") double rooflineFraction) {}

    /**
     * @param mhaOverMqa MHA / MQA step time at {@code pairedN}, paired by round
     * @param crossoverN smallest measured n from which the recurrent step is faster than MQA's at every larger n (null if never)
     */
    public record Result(Provenance provenance, Options options, MachineLoad load, List<Row> rows,
                         @JsonProperty("paired_n") int pairedN, @JsonProperty("mha_over_mqa") RepeatStats mhaOverMqa,
                         @JsonProperty("recurrent_beats_mqa_from_n") Integer crossoverN, Chunked chunked, List<Target> targets) {}

    public static Result run(Options o, Sweep.Timer timer, Consumer<String> log) {
        double loadStart = timer.otherLoad();
        long start = System.nanoTime();
        List<Row> rows = decodeRows(o, timer, log);
        Chunked chunked = chunked(o, timer, log);
        MachineLoad load = MachineLoad.since(timer, loadStart, start);
        int pairedN = o.lengths().contains(8192) ? 8192 : o.lengths().get(o.lengths().size() - 1);
        RepeatStats paired = pairedRatio(find(rows, "MHA", pairedN), find(rows, "MQA", pairedN));
        Integer crossover = crossover(rows);
        log.accept("  " + load.describe() + (load.busy() ? ": " + load.busyReason() : ""));
        return new Result(Provenance.current(), o, load, rows, pairedN, paired, crossover, chunked,
                targets(rows, pairedN, paired, chunked, load));
    }

    private static List<Row> decodeRows(Options o, Sweep.Timer timer, Consumer<String> log) {
        List<Sweep.Point> points = new ArrayList<>();
        List<String[]> labels = new ArrayList<>();
        for (int n : o.lengths()) {
            for (String[] v : o.variants()) {
                points.add(new Sweep.Point("DecodeBench", Sweep.params("kernel", v[2], "modelDim", o.modelDim(), "heads", o.heads(),
                        "kvHeads", v[1], "batch", o.batch(), "n", n)));
                labels.add(v);
            }
        }
        List<Sweep.Measured> measured = timer.run(points, Sweep.Settings.singleShot(o.rounds(), 2, 4, STEPS_PER_BATCH, 600), log);
        List<Row> rows = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int i = 0; i < points.size(); i++) {
                Sweep.Measured m = measured.get(i);
                if (!m.ok()) {
                    throw new IllegalStateException("decode " + m.point().describe() + " failed: " + m.error());
                }
                int n = Integer.parseInt(m.point().params().get("n"));
                String[] v = labels.get(i);
                rows.add(new Row(v[0], Integer.parseInt(v[1]), n, m.stats(), m.rounds(), stateBytes(manager, o, v, n)));
            }
        }
        return rows;
    }

    /** Bytes of the state for n tokens, from the arrays a state of capacity n allocates. */
    private static long stateBytes(NDManager manager, Options o, String[] variant, int n) {
        try (DecodeWorkload w = new DecodeWorkload(manager, variant[2], o.modelDim(), o.heads(), Integer.parseInt(variant[1]), o.batch(),
                1, 0); DecodeState s = w.decoder().newState(manager, o.batch(), n)) {
            return s.sizeBytes();
        }
    }

    /** Prefix sums (chunk 0) against chunks of the default size, forward + backward, causal, D = M. */
    private static Chunked chunked(Options o, Sweep.Timer timer, Consumer<String> log) {
        int n = o.chunkedN();
        int d = o.chunkedD();
        List<Sweep.Point> points = List.of(chunkedPoint(n, d, 0), chunkedPoint(n, d, -1));
        List<Sweep.Measured> m = timer.run(points, Sweep.Settings.timed(o.rounds(), 1, 3, 0.3, 600), log);
        for (Sweep.Measured x : m) {
            if (!x.ok()) {
                throw new IllegalStateException("chunked " + x.point().describe() + " failed: " + x.error());
            }
        }
        Long prefixPeak = null;
        Long chunkedPeak = null;
        if (o.measureMemory()) {
            prefixPeak = PeakMemory.measure(List.of("attention", "quadratic", "" + n, "" + d, "" + d, "true", "true", "0"), 600).peakBytes();
            chunkedPeak = PeakMemory.measure(List.of("attention", "quadratic", "" + n, "" + d, "" + d, "true", "true", "-1"), 600)
                    .peakBytes();
        }
        OpProfile profile;
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(0);
            try (AttentionWorkload w = new AttentionWorkload(manager, AttentionBench.kernel("quadratic", -1), n, d, d, true, true)) {
                profile = OpProfile.of(w::run);
            }
        }
        Roofline.Peak peak = o.smallRoofline() ? Roofline.measurePeak(timer, 1, 256, 1L << 20, log)
                : Roofline.measurePeak(timer, o.rounds(), Roofline.MATMUL_SIZE, Roofline.STREAM_ELEMENTS, log);
        double fraction = Roofline.fraction("quadratic (chunked)", n, profile, m.get(1).stats().median(), peak).fraction();
        RepeatStats ratio = RepeatStats.pairedRatio(m.get(0).rounds(), m.get(1).rounds());
        log.accept(String.format(Locale.ROOT, "  chunked vs prefix sums at N=%d D=%d: %.2fx faster, %.1f%% of the roofline bound", n, d,
                ratio.median(), 100 * fraction));
        return new Chunked(n, d, m.get(0).stats(), m.get(1).stats(), ratio.median(), prefixPeak, chunkedPeak,
                prefixPeak == null || prefixPeak == 0 ? null : chunkedPeak / (double) prefixPeak, profile, peak, fraction);
    }

    private static Sweep.Point chunkedPoint(int n, int d, int chunk) {
        return new Sweep.Point("AttentionBench", Sweep.params("kernel", "quadratic", "n", n, "d", d, "m", d, "backward", true,
                "causal", true, "chunk", chunk));
    }

    private static RepeatStats pairedRatio(Row a, Row b) {
        return a == null || b == null ? null : RepeatStats.pairedRatio(a.rounds(), b.rounds());
    }

    /** The smallest n from which the recurrent step's median is below MQA's at that n and every larger one. */
    static Integer crossover(List<Row> rows) {
        Integer from = null;
        List<Integer> ns = rows.stream().map(Row::n).distinct().sorted().toList();
        for (int i = ns.size() - 1; i >= 0; i--) {
            Row rec = find(rows, "recurrent", ns.get(i));
            Row mqa = find(rows, "MQA", ns.get(i));
            if (rec == null || mqa == null || rec.seconds().median() >= mqa.seconds().median()) {
                break;
            }
            from = ns.get(i);
        }
        return from;
    }

    private static List<Target> targets(List<Row> rows, int pairedN, RepeatStats paired, Chunked c, MachineLoad load) {
        List<Target> targets = new ArrayList<>();
        List<Row> rec = rows.stream().filter(r -> r.variant().equals("recurrent")).toList();
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        rec.forEach(r -> java.util.Arrays.stream(r.rounds()).forEach(s -> {
            xs.add((double) r.n());
            ys.add(s);
        }));
        String busy = load.busyReason();
        String timeName = "recurrent step time exponent in n";
        targets.add(busy != null ? Target.notMeasured(timeName, "<= 0.1", busy)
                : Target.exponentAtMost(timeName, LogLogFit.fit(xs, ys), 0.1, -0.1));
        LogLogFit bytes = LogLogFit.fit(rec.stream().map(r -> (double) r.n()).toList(), rec.stream().map(r -> (double) r.stateBytes()).toList());
        targets.add(Target.exponentAtMost("recurrent state bytes exponent in n", bytes, 0.1, -0.1));
        String pairName = "MHA / MQA step time at n = " + pairedN + " (median of paired rounds)";
        if (paired != null) {
            targets.add(busy != null ? Target.notMeasured(pairName, ">= 3", busy) : Target.atLeast(pairName, paired.median(), 3));
        }
        String chunkName = String.format(Locale.ROOT, "chunked vs prefix sums (fwd+bwd, N=%d, D=%d): time ratio %.2f, peak memory"
                + " ratio %s", c.n(), c.d(), c.timeRatio(), c.memoryRatio() == null ? "n/a" : String.format(Locale.ROOT, "%.2f", c.memoryRatio()));
        boolean met = c.timeRatio() >= 2 || (c.memoryRatio() != null && c.memoryRatio() <= 0.5);
        targets.add(busy != null && (c.memoryRatio() == null || c.memoryRatio() > 0.5)
                ? Target.notMeasured(chunkName, ">= 2x faster or <= 1/2 memory", busy)
                : new Target(chunkName, c.timeRatio(), ">= 2x faster or <= 1/2 memory", met, met ? "met" : "MISSED", null));
        String roof = "chunked fraction of its roofline bound (N=" + c.n() + ")";
        targets.add(busy != null ? Target.notMeasured(roof, ">= 0.4", busy) : Target.atLeast(roof, c.rooflineFraction(), 0.4));
        return targets;
    }

    static Row find(List<Row> rows, String variant, int n) {
        return rows.stream().filter(r -> r.variant().equals(variant) && r.n() == n).findFirst().orElse(null);
    }

    /** Child-JVM entry (peak memory of one step): {@code KERNEL G B D H N}. */
    static void probe(NDManager manager, String[] args, boolean tiny) {
        int n = tiny ? 16 : Integer.parseInt(args[5]);
        try (DecodeWorkload w = new DecodeWorkload(manager, args[0], Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                Integer.parseInt(args[1]), Integer.parseInt(args[2]), n, 1)) {
            w.step();
        }
    }
}
