package attentionlab.experiments.bench;

import ai.djl.ndarray.NDManager;
import attentionlab.experiments.io.Provenance;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Softmax against quadratic-linear attention (homework 6c-d): time and peak memory as N grows at
 * fixed D = M, and as D = M grows at fixed N, forward and forward + backward; log-log exponents next
 * to the homework's predictions, the measured and the FLOP-model crossover N, and the roofline
 * fraction at the largest N. One head, batch 1, no mask.
 *
 * <p>Time comes from {@link AttentionTiming}, the engine the complexity claim times with: the full
 * plan's forward sweep is the claim's ({@link AttentionTiming.Plan#full}) with N = 128 .. 512 added for
 * the crossover, and exponents in N are fitted over N >= {@link AttentionTiming.Plan#fitFromN}, every
 * round a point, so this benchmark and the claim report the same exponent up to repeat noise. Kernel
 * ratios are medians of per-round ratios (the kernels are adjacent in every round). Timing targets are
 * "not measured" when the machine was busy ({@link MachineLoad}).
 */
public final class AttentionScaling {

    public static final List<String> KERNELS = List.of("softmax", "quadratic");
    public static final List<String> MODES = AttentionTiming.MODES;
    /** Peaks below this are within the RSS measurement's noise (pages, allocator) and are not fitted. */
    public static final long MEMORY_FIT_FLOOR_BYTES = 4L << 20;
    /** N of the N sweep below the claim's, for the crossover. */
    static final List<Integer> SMALL_N = List.of(128, 256, 512);
    /** Lowest plausible time exponent in N of quadratic-linear attention (see {@link #targets}). */
    static final double QUADRATIC_FLOOR = 0.8;

    private AttentionScaling() {}

    /**
     * @param timing sizes, modes, rounds and memory budget of the timing
     * @param memory how peak memory is measured (see {@link PeakMemory})
     * @param roofline whether to measure the machine's peak rates and place the largest N under them
     * @param smallRoofline measure the peak rates at small sizes (quick runs)
     */
    public record Options(AttentionTiming.Plan timing, MemoryMeasurement memory, boolean roofline, boolean smallRoofline) {

        /** The complexity claim's forward plan with N = 128 .. 512 added, both modes; peak memory one JVM per size. */
        public static Options full() {
            AttentionTiming.Plan claim = AttentionTiming.Plan.full();
            List<Integer> n = new ArrayList<>(SMALL_N);
            n.addAll(claim.sizesN());
            return new Options(claim.with(n, MODES), MemoryMeasurement.FRESH_JVM_PER_SIZE, true, false);
        }

        /** A few minutes: N = 256, 1024, 4096, the D sweep at N = 1024, one round; peak memory one JVM per series. */
        public static Options quick() {
            return new Options(AttentionTiming.Plan.quick().with(List.of(256, 1024, 4096), MODES), MemoryMeasurement.ONE_JVM_PER_SERIES,
                    true, true);
        }
    }

    /** How peak memory is measured. */
    public enum MemoryMeasurement {
        /** Not measured. */
        OFF,
        /** One fresh child JVM per size: nothing is shared between sizes. */
        FRESH_JVM_PER_SIZE,
        /** One child JVM per kernel, mode and sweep, large frees returned to the OS between sizes. */
        ONE_JVM_PER_SERIES
    }

    /**
     * One measured (or skipped) point.
     *
     * @param sweep "N" or "D"
     * @param seconds time per call over rounds (null when skipped)
     * @param rounds seconds per call of each round (empty when skipped)
     * @param peakBytes peak memory of one call in a child JVM (null when skipped or not measured)
     * @param gflops achieved GFLOP/s by the cost model's forward FLOPs (x3 with backward)
     * @param skipped why the point was not measured (null when it was)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Row(String sweep, String kernel, String mode, int n, int d, int m, RepeatStats seconds, double[] rounds,
                      @JsonProperty("peak_bytes") Long peakBytes, double flops, Double gflops, String skipped) {

        Row withPeak(long bytes) {
            return new Row(sweep, kernel, mode, n, d, m, seconds, rounds, bytes, flops, gflops, skipped);
        }
    }

    /**
     * @param quantity "time" or "memory"
     * @param sweep "N" or "D"
     * @param predicted the homework's exponent
     */
    public record Fit(String quantity, String sweep, String kernel, String mode, double predicted, String prediction,
                     LogLogFit fit) {}

    /**
     * @param mode forward or forward+backward
     * @param measuredN interpolated N above which quadratic-linear is faster (null if not bracketed)
     * @param note how it was found ("below the smallest N", ...)
     */
    public record Crossover(String mode, Double measuredN, String note) {}

    public record Result(Provenance provenance, Options options, MachineLoad load, List<Row> rows, List<Fit> fits,
                         List<Crossover> crossovers, @JsonProperty("flop_model_crossover_n") double flopModelCrossoverN,
                         Roofline.Result roofline, List<Target> targets) {}

    /** Runs the benchmark with {@code timer}; {@code log} receives one line per measured point. */
    public static Result run(Options o, Sweep.Timer timer, Consumer<String> log) {
        AttentionTiming.Result timing = AttentionTiming.measure(o.timing(), KERNELS, timer, log);
        List<Row> rows = new ArrayList<>(timing.times().stream().map(AttentionScaling::row).toList());
        if (o.memory() != MemoryMeasurement.OFF) {
            addPeakMemory(rows, o.memory(), log);
        }
        int largestN = largestCommonN(rows);
        Roofline.Result roofline = largestN == 0 || !o.roofline() ? null
                : Roofline.run(timer, forwardSeconds(rows, largestN), largestN, o.timing().fixedD(), o.timing().rounds(),
                        o.smallRoofline(), log);
        List<Fit> fits = fits(timing, rows);
        List<Crossover> crossovers = o.timing().modes().stream().map(mode -> crossover(rows, mode)).toList();
        double flopCrossover = AttentionCost.flopCrossover(o.timing().fixedD(), o.timing().fixedD());
        log.accept("  " + timing.load().describe() + (timing.load().busy() ? ": " + timing.load().busyReason() : ""));
        return new Result(Provenance.current(), o, timing.load(), rows, fits, crossovers, flopCrossover, roofline,
                targets(rows, fits, roofline, timing.load()));
    }

    private static Row row(AttentionTiming.Time t) {
        double flops = AttentionCost.of(t.kernel(), t.n(), t.d(), t.d()).flops() * (t.mode().equals(MODES.get(1)) ? 3 : 1);
        RepeatStats seconds = t.stats();
        return new Row(t.sweep(), t.kernel(), t.mode(), t.n(), t.d(), t.d(), seconds, t.seconds(), null, flops,
                seconds == null ? null : flops / seconds.median() / 1e9, t.skipped());
    }

    /** Median forward seconds per call of each kernel at N = n of the N sweep. */
    private static Map<String, Double> forwardSeconds(List<Row> rows, int n) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String kernel : KERNELS) {
            out.put(kernel, find(rows, kernel, MODES.get(0), n).seconds().median());
        }
        return out;
    }

    private static List<String> workload(Row r) {
        return List.of("attention", r.kernel(), "" + r.n(), "" + r.d(), "" + r.m(), "" + r.mode().equals(MODES.get(1)));
    }

    /** Adds peak memory to the measured rows: a child JVM per row, or one per (sweep, kernel, mode) series. */
    private static void addPeakMemory(List<Row> rows, MemoryMeasurement how, Consumer<String> log) {
        Map<String, List<Integer>> series = new LinkedHashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            if (r.skipped() == null) {
                String key = how == MemoryMeasurement.FRESH_JVM_PER_SIZE ? "" + i : r.sweep() + " " + r.kernel() + " " + r.mode();
                series.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
            }
        }
        for (List<Integer> at : series.values()) {
            List<List<String>> workloads = at.stream().map(i -> workload(rows.get(i))).toList();
            List<PeakMemory.Measurement> peaks = how == MemoryMeasurement.FRESH_JVM_PER_SIZE
                    ? List.of(PeakMemory.measure(workloads.get(0), 600)) : PeakMemory.measureSeries(workloads, 600);
            StringBuilder line = new StringBuilder("  peak memory");
            for (int j = 0; j < at.size(); j++) {
                Row r = rows.get(at.get(j)).withPeak(peaks.get(j).peakBytes());
                rows.set(at.get(j), r);
                line.append(String.format(Locale.ROOT, " %s %s N=%d D=%d: %.1f MiB;", r.kernel(), r.mode(), r.n(), r.d(),
                        r.peakBytes() / 1048576.0));
            }
            log.accept(line.toString());
        }
    }

    private static int largestCommonN(List<Row> rows) {
        return rows.stream().filter(r -> r.sweep().equals("N") && r.seconds() != null && r.mode().equals(MODES.get(0))
                && KERNELS.stream().allMatch(k -> find(rows, k, MODES.get(0), r.n()) != null)).mapToInt(Row::n).max().orElse(0);
    }

    /**
     * Child-JVM entry: {@code KERNEL N D M BACKWARD [CAUSAL CHUNK]} (CHUNK as {@link AttentionBench#chunk});
     * tiny runs the same call at N = 64.
     */
    static void probe(NDManager manager, String[] args, boolean tiny) {
        int n = tiny ? 64 : Integer.parseInt(args[1]);
        boolean causal = args.length > 5 && Boolean.parseBoolean(args[5]);
        int chunk = args.length > 6 ? Integer.parseInt(args[6]) : -1;
        try (AttentionWorkload w = new AttentionWorkload(manager, AttentionBench.kernel(args[0], chunk), n, Integer.parseInt(args[2]),
                Integer.parseInt(args[3]), Boolean.parseBoolean(args[4]), causal)) {
            w.run();
        }
    }

    /** Time exponents from {@link AttentionTiming#fit} (every round, N >= fitFromN); memory exponents over peaks above the floor. */
    static List<Fit> fits(AttentionTiming.Result timing, List<Row> rows) {
        List<Fit> fits = new ArrayList<>();
        for (String mode : timing.plan().modes()) {
            for (String kernel : KERNELS) {
                boolean softmax = kernel.equals("softmax");
                for (String sweep : List.of("N", "D")) {
                    LogLogFit time = AttentionTiming.fit(timing, sweep, kernel, mode);
                    if (time != null) {
                        fits.add(sweep.equals("N")
                                ? new Fit("time", "N", kernel, mode, softmax ? 2 : 1, softmax ? "O(N^2 max(D,M))" : "O(N D^2 M)", time)
                                : new Fit("time", "D", kernel, mode, softmax ? 1 : 3,
                                        softmax ? "O(N^2 max(D,M)), at most linear in D" : "O(N D^2 M) = O(N D^3) at M = D", time));
                    }
                }
                addMemoryFit(fits, rows, "N", kernel, mode, softmax ? 2 : 1, softmax ? "O(max(N^2, ND, NM))" : "O(max(N D^2, D^2 M))");
                addMemoryFit(fits, rows, "D", kernel, mode, softmax ? 0 : 2,
                        softmax ? "O(N^2) dominates at fixed N" : "O(N D^2 + D^3), N D^2 dominates");
            }
        }
        return fits;
    }

    private static void addMemoryFit(List<Fit> fits, List<Row> rows, String sweep, String kernel, String mode, double predicted,
                                     String prediction) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (Row r : rows) {
            if (r.sweep().equals(sweep) && r.kernel().equals(kernel) && r.mode().equals(mode) && r.peakBytes() != null
                    && r.peakBytes() >= MEMORY_FIT_FLOOR_BYTES) {
                xs.add((double) (sweep.equals("N") ? r.n() : r.d()));
                ys.add((double) r.peakBytes());
            }
        }
        if (xs.size() >= 2) {
            fits.add(new Fit("memory", sweep, kernel, mode, predicted, prediction, LogLogFit.fit(xs, ys)));
        }
    }

    /** Quadratic / softmax time at one N of the N sweep: median of the per-round ratios (paired: adjacent in every round). */
    static double timeRatio(Row quadratic, Row softmax) {
        return RepeatStats.pairedRatio(quadratic.rounds(), softmax.rounds()).median();
    }

    /** The N above which quadratic-linear stays faster, interpolated in log-log space. */
    static Crossover crossover(List<Row> rows, String mode) {
        List<Integer> sizes = new ArrayList<>();
        List<Double> logRatio = new ArrayList<>();
        for (Row s : rows) {
            Row q = find(rows, "quadratic", mode, s.n());
            if (s.sweep().equals("N") && s.mode().equals(mode) && s.kernel().equals("softmax") && s.seconds() != null && q != null) {
                sizes.add(s.n());
                logRatio.add(Math.log(timeRatio(q, s))); // < 0: quadratic faster
            }
        }
        if (sizes.isEmpty()) {
            return new Crossover(mode, null, "no size measured for both kernels");
        }
        int last = sizes.size() - 1;
        if (logRatio.get(last) >= 0) {
            return new Crossover(mode, null, "softmax is faster up to the largest common N = " + sizes.get(last));
        }
        int first = last;
        while (first > 0 && logRatio.get(first - 1) < 0) {
            first--;
        }
        if (first == 0) {
            return new Crossover(mode, null, "quadratic-linear is already faster at the smallest N = " + sizes.get(0));
        }
        double x0 = Math.log(sizes.get(first - 1));
        double x1 = Math.log(sizes.get(first));
        double y0 = logRatio.get(first - 1);
        double y1 = logRatio.get(first);
        double n = Math.exp(x0 + (x1 - x0) * y0 / (y0 - y1));
        return new Crossover(mode, n, "interpolated between N = " + sizes.get(first - 1) + " and " + sizes.get(first));
    }

    /**
     * The targets. Exponents in N are judged on their 95% interval: softmax's must lie at or above
     * 1.7; quadratic-linear's at or below 1.2, and an interval wholly below {@value #QUADRATIC_FLOOR} is
     * implausible (its executed FLOPs grow exactly as N, so a flatter slope means fixed per-call costs
     * dominate the range and the fit does not measure the N-term).
     */
    static List<Target> targets(List<Row> rows, List<Fit> fits, Roofline.Result roofline, MachineLoad load) {
        String busy = load.busyReason();
        List<Target> targets = new ArrayList<>();
        for (Fit f : fits) {
            if (f.quantity().equals("time") && f.sweep().equals("N") && f.mode().equals(MODES.get(0))) {
                boolean softmax = f.kernel().equals("softmax");
                String name = f.kernel() + " time exponent in N (forward)";
                targets.add(busy != null ? Target.notMeasured(name, softmax ? ">= 1.7" : "<= 1.2", busy)
                        : softmax ? Target.exponentAtLeast(name, f.fit(), 1.7)
                        : Target.exponentAtMost(name, f.fit(), 1.2, QUADRATIC_FLOOR));
            }
        }
        int n = rows.stream().filter(r -> r.sweep().equals("N") && r.seconds() != null && r.n() <= 8192).mapToInt(Row::n).max().orElse(0);
        for (String mode : MODES) {
            Row s = find(rows, "softmax", mode, n);
            Row q = find(rows, "quadratic", mode, n);
            if (s != null && q != null) {
                String name = "softmax / quadratic time at N = " + n + " (" + mode + ", median of paired rounds)";
                targets.add(busy != null ? Target.notMeasured(name, ">= 5", busy) : Target.atLeast(name, 1 / timeRatio(q, s), 5));
                if (s.peakBytes() != null && q.peakBytes() != null && s.peakBytes() > 0) {
                    targets.add(Target.atMost("quadratic / softmax peak memory at N = " + n + " (" + mode + ")",
                            q.peakBytes() / (double) s.peakBytes(), 0.25));
                }
            }
        }
        if (roofline != null) {
            for (Roofline.KernelFraction k : roofline.kernels()) {
                String name = k.kernel() + " fraction of roofline at N = " + k.n();
                targets.add(busy != null ? Target.notMeasured(name, ">= 0.5", busy) : Target.atLeast(name, k.fraction(), 0.5));
            }
        }
        return targets;
    }

    static Row find(List<Row> rows, String kernel, String mode, int n) {
        return rows.stream().filter(r -> r.sweep().equals("N") && r.kernel().equals(kernel) && r.mode().equals(mode)
                && r.n() == n && r.seconds() != null).findFirst().orElse(null);
    }
}
