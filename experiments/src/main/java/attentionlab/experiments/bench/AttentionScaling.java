package attentionlab.experiments.bench;

import ai.djl.ndarray.NDManager;
import attentionlab.experiments.io.Provenance;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.HashMap;
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
 * <p>The two kernels are timed round-robin at each size, so their ratio is measured under the same load.
 * Sizes whose estimated memory exceeds the budget (half of MemAvailable, at most 8 GiB) or whose
 * extrapolated time exceeds {@link Options#maxSecondsPerSize} are skipped and listed with the reason.
 */
public final class AttentionScaling {

    public static final List<String> KERNELS = List.of("softmax", "quadratic");
    public static final List<String> MODES = List.of("forward", "forward+backward");
    /** Peaks below this are within the RSS measurement's noise (pages, allocator) and are not fitted. */
    public static final long MEMORY_FIT_FLOOR_BYTES = 4L << 20;

    private AttentionScaling() {}

    /**
     * @param sizesN N values of the N sweep
     * @param fixedD D = M during the N sweep
     * @param sizesD D (= M) values of the D sweep
     * @param fixedN N during the D sweep
     * @param warmup untimed runs per size
     * @param repeats timed runs per size
     * @param memory how peak memory is measured (see {@link PeakMemory})
     * @param maxSecondsPerSize skip a size whose extrapolated (warmup + repeats) time exceeds this
     * @param memoryBudgetBytes skip a size whose estimated memory exceeds this; 0: half of MemAvailable, at
     *                          most 8 GiB
     * @param roofline whether to measure the machine's peak rates and place the largest N under them
     */
    public record Options(List<Integer> sizesN, int fixedD, List<Integer> sizesD, int fixedN, int warmup,
                          int repeats, MemoryMeasurement memory, double maxSecondsPerSize, long memoryBudgetBytes,
                          boolean roofline) {

        /**
         * Sizes and repeats only: peak memory one fresh JVM per size (or off), the default memory budget,
         * no roofline.
         */
        public Options(List<Integer> sizesN, int fixedD, List<Integer> sizesD, int fixedN, int warmup, int repeats,
                       boolean measureMemory, double maxSecondsPerSize) {
            this(sizesN, fixedD, sizesD, fixedN, warmup, repeats, measureMemory ? MemoryMeasurement.FRESH_JVM_PER_SIZE : MemoryMeasurement.OFF,
                    maxSecondsPerSize, 0, false);
        }

        public static Options full() {
            return new Options(List.of(128, 256, 512, 1024, 2048, 4096, 8192, 16384), 16,
                    List.of(4, 8, 16, 32), 4096, 2, 7, MemoryMeasurement.FRESH_JVM_PER_SIZE, 120, 0, true);
        }

        /** Under a minute: N up to 4096, D sweep at N = 1024, peak memory one child JVM per series. */
        public static Options quick() {
            return new Options(List.of(256, 512, 1024, 2048, 4096), 16, List.of(4, 8, 16, 32), 1024, 2, 7,
                    MemoryMeasurement.ONE_JVM_PER_SERIES, 20, 0, true);
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
     * @param seconds time per call (null when skipped)
     * @param peakBytes peak memory of one call in a fresh JVM (null when skipped or not measured)
     * @param gflops achieved GFLOP/s by the cost model's forward FLOPs (x3 with backward)
     * @param loadAverage the machine's 1-minute load average when the point was timed
     * @param skipped why the point was not measured (null when it was)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Row(String sweep, String kernel, String mode, int n, int d, int m, RepeatStats seconds,
                      @JsonProperty("peak_bytes") Long peakBytes, double flops, Double gflops,
                      @JsonProperty("load_average") Double loadAverage, String skipped) {}

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

    public record Result(Provenance provenance, Options options, @JsonProperty("load_before") double loadBefore,
                         @JsonProperty("load_after") double loadAfter, List<Row> rows, List<Fit> fits,
                         List<Crossover> crossovers, @JsonProperty("flop_model_crossover_n") double flopModelCrossoverN,
                         Roofline.Result roofline, List<Target> targets) {}

    /** Runs the benchmark; {@code log} receives one line per measured point. */
    public static Result run(Options options, Consumer<String> log) {
        double loadBefore = Machine.loadAverage();
        long budget = options.memoryBudgetBytes() > 0 ? options.memoryBudgetBytes()
                : Math.min(Machine.availableMemoryBytes() / 2, 8L << 30);
        List<Row> rows = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            warmUp(manager, options);
            for (String mode : MODES) {
                Map<String, Double> lastSeconds = new HashMap<>();
                for (int n : options.sizesN()) {
                    rows.addAll(point(manager, options, "N", mode, n, options.fixedD(), budget, lastSeconds, log));
                }
                for (int d : options.sizesD()) {
                    rows.addAll(point(manager, options, "D", mode, options.fixedN(), d, budget, new HashMap<>(), log));
                }
            }
            if (options.memory() == MemoryMeasurement.ONE_JVM_PER_SERIES) {
                List<Row> measured = withSeriesMemory(rows, log);
                rows.clear();
                rows.addAll(measured);
            }
            int largestN = largestCommonN(rows);
            Roofline.Result roofline = largestN == 0 || !options.roofline() ? null
                    : Roofline.run(manager, rows, largestN, options.fixedD(), options.repeats(), log);
            List<Fit> fits = fits(rows);
            List<Crossover> crossovers = MODES.stream().map(mode -> crossover(rows, mode)).toList();
            double flopCrossover = AttentionCost.flopCrossover(options.fixedD(), options.fixedD());
            return new Result(Provenance.current(), options, loadBefore, Machine.loadAverage(), rows, fits, crossovers,
                    flopCrossover, roofline, targets(rows, fits, roofline));
        }
    }

    /**
     * Runs every kernel and mode 20 times at N = 256 before anything is timed, so that JIT compilation
     * and the engine's first-call work do not land on the first (smallest) sizes.
     */
    private static void warmUp(NDManager manager, Options o) {
        for (String kernel : KERNELS) {
            for (String mode : MODES) {
                try (AttentionWorkload w = new AttentionWorkload(manager, kernel, 256, o.fixedD(), o.fixedD(),
                        mode.equals(MODES.get(1)))) {
                    for (int i = 0; i < 20; i++) {
                        w.run();
                    }
                }
            }
        }
    }

    /** Both kernels at one size, timed round-robin; each then measured for peak memory in a fresh JVM. */
    private static List<Row> point(NDManager manager, Options o, String sweep, String mode, int n, int d, long budget,
                                   Map<String, Double> lastSeconds, Consumer<String> log) {
        boolean backward = mode.equals(MODES.get(1));
        List<Row> rows = new ArrayList<>();
        List<String> measured = new ArrayList<>();
        for (String kernel : KERNELS) {
            String why = skipReason(o, kernel, n, d, backward, budget, lastSeconds.get(kernel));
            if (why != null) {
                log.accept(String.format("  skip %-9s %-16s N=%-6d D=%-3d %s", kernel, mode, n, d, why));
                rows.add(new Row(sweep, kernel, mode, n, d, d, null, null, flops(kernel, n, d, backward), null, null, why));
            } else {
                measured.add(kernel);
            }
        }
        List<AttentionWorkload> workloads = new ArrayList<>();
        try {
            for (String kernel : measured) {
                workloads.add(new AttentionWorkload(manager, kernel, n, d, d, backward));
            }
            double load = Machine.loadAverage();
            List<RepeatStats> times = RepeatStats.interleaved(o.warmup(), o.repeats(),
                    workloads.stream().map(w -> (Runnable) w::run).toList());
            for (int i = 0; i < measured.size(); i++) {
                String kernel = measured.get(i);
                RepeatStats seconds = times.get(i);
                lastSeconds.put(kernel, seconds.median());
                Long peak = o.memory() == MemoryMeasurement.FRESH_JVM_PER_SIZE
                        ? PeakMemory.measure(workload(kernel, n, d, backward), 600).peakBytes() : null;
                double flops = flops(kernel, n, d, backward);
                log.accept(String.format(Locale.ROOT, "  %-9s %-16s N=%-6d D=%-3d %10.3f ms (spread %4.0f%%)%s", kernel,
                        mode, n, d, seconds.median() * 1e3, seconds.relativeSpread() * 100,
                        peak == null ? "" : String.format(Locale.ROOT, "  peak %8.1f MiB", peak / 1048576.0)));
                rows.add(new Row(sweep, kernel, mode, n, d, d, seconds, peak, flops, flops / seconds.median() / 1e9, load, null));
            }
        } finally {
            workloads.forEach(AttentionWorkload::close);
        }
        return rows;
    }

    private static List<String> workload(String kernel, int n, int d, boolean backward) {
        return List.of("attention", kernel, "" + n, "" + d, "" + d, "" + backward);
    }

    /** Adds peak memory to the measured rows, one child JVM per (sweep, kernel, mode) series. */
    private static List<Row> withSeriesMemory(List<Row> rows, Consumer<String> log) {
        List<Row> out = new ArrayList<>(rows);
        for (String sweep : List.of("N", "D")) {
            for (String kernel : KERNELS) {
                for (String mode : MODES) {
                    List<Integer> at = new ArrayList<>();
                    for (int i = 0; i < out.size(); i++) {
                        Row r = out.get(i);
                        if (r.sweep().equals(sweep) && r.kernel().equals(kernel) && r.mode().equals(mode) && r.seconds() != null) {
                            at.add(i);
                        }
                    }
                    if (at.isEmpty()) {
                        continue;
                    }
                    List<PeakMemory.Measurement> peaks = PeakMemory.measureSeries(at.stream().map(i -> {
                        Row r = out.get(i);
                        return workload(kernel, r.n(), r.d(), mode.equals(MODES.get(1)));
                    }).toList(), 600);
                    StringBuilder line = new StringBuilder(String.format("  peak memory %-9s %-16s %s sweep:", kernel, mode, sweep));
                    for (int j = 0; j < at.size(); j++) {
                        Row r = out.get(at.get(j));
                        long peak = peaks.get(j).peakBytes();
                        out.set(at.get(j), new Row(r.sweep(), r.kernel(), r.mode(), r.n(), r.d(), r.m(), r.seconds(), peak,
                                r.flops(), r.gflops(), r.loadAverage(), r.skipped()));
                        line.append(String.format(Locale.ROOT, " %d:%.1fMiB", sweep.equals("N") ? r.n() : r.d(), peak / 1048576.0));
                    }
                    log.accept(line.toString());
                }
            }
        }
        return out;
    }

    /** Why a point is not measured (memory budget, extrapolated time), or null. */
    static String skipReason(Options o, String kernel, int n, int d, boolean backward, long budget, Double previousSeconds) {
        long estimate = estimatedBytes(kernel, n, d, backward);
        if (estimate > budget) {
            return String.format(Locale.ROOT, "needs ~%.2f GiB (estimated), memory budget %.2f GiB", estimate / (double) (1L << 30),
                    budget / (double) (1L << 30));
        }
        if (previousSeconds != null) {
            double predicted = previousSeconds * Math.pow(2, kernel.equals("softmax") ? 2 : 1) * (o.warmup() + o.repeats());
            if (predicted > o.maxSecondsPerSize()) {
                return String.format(Locale.ROOT, "would take ~%.0f s (extrapolated from the previous size), limit %.0f s",
                        predicted, o.maxSecondsPerSize());
            }
        }
        return null;
    }

    private static double flops(String kernel, int n, int d, boolean backward) {
        return AttentionCost.of(kernel, n, d, d).flops() * (backward ? 3 : 1);
    }

    private static int largestCommonN(List<Row> rows) {
        int largest = 0;
        for (Row s : rows) {
            if (s.sweep().equals("N") && s.kernel().equals("softmax") && s.mode().equals("forward") && s.seconds() != null
                    && find(rows, "quadratic", "forward", s.n()) != null) {
                largest = Math.max(largest, s.n());
            }
        }
        return largest;
    }

    /** A generous upper estimate of one call's memory, used only to skip sizes that would not fit. */
    static long estimatedBytes(String kernel, long n, long d, boolean backward) {
        if (kernel.equals("softmax")) {
            return (backward ? 8 : 4) * n * n * 4;
        }
        return (backward ? 24 : 12) * n * (long) AttentionCost.features(d) * 4;
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

    static List<Fit> fits(List<Row> rows) {
        List<Fit> fits = new ArrayList<>();
        for (String mode : MODES) {
            for (String kernel : KERNELS) {
                boolean softmax = kernel.equals("softmax");
                addFit(fits, rows, "time", "N", kernel, mode, softmax ? 2 : 1, softmax ? "O(N^2 max(D,M))" : "O(N D^2 M)");
                addFit(fits, rows, "memory", "N", kernel, mode, softmax ? 2 : 1,
                        softmax ? "O(max(N^2, ND, NM))" : "O(max(N D^2, D^2 M))");
                addFit(fits, rows, "time", "D", kernel, mode, softmax ? 1 : 3,
                        softmax ? "O(N^2 max(D,M)), at most linear in D" : "O(N D^2 M) = O(N D^3) at M = D");
                addFit(fits, rows, "memory", "D", kernel, mode, softmax ? 0 : 2,
                        softmax ? "O(N^2) dominates at fixed N" : "O(N D^2 + D^3), N D^2 dominates");
            }
        }
        return fits;
    }

    private static void addFit(List<Fit> fits, List<Row> rows, String quantity, String sweep, String kernel, String mode,
                               double predicted, String prediction) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (Row r : rows) {
            if (!r.sweep().equals(sweep) || !r.kernel().equals(kernel) || !r.mode().equals(mode) || r.seconds() == null) {
                continue;
            }
            Double y = quantity.equals("time") ? Double.valueOf(r.seconds().median())
                    : r.peakBytes() != null && r.peakBytes() >= MEMORY_FIT_FLOOR_BYTES ? Double.valueOf(r.peakBytes()) : null;
            if (y != null) {
                xs.add((double) (sweep.equals("N") ? r.n() : r.d()));
                ys.add(y);
            }
        }
        if (xs.size() >= 2) {
            fits.add(new Fit(quantity, sweep, kernel, mode, predicted, prediction, LogLogFit.fit(xs, ys)));
        }
    }

    /** The N above which quadratic-linear stays faster, interpolated in log-log space. */
    static Crossover crossover(List<Row> rows, String mode) {
        List<int[]> sizes = new ArrayList<>();
        List<Double> logRatio = new ArrayList<>();
        for (Row s : rows) {
            if (!s.sweep().equals("N") || !s.mode().equals(mode) || !s.kernel().equals("softmax") || s.seconds() == null) {
                continue;
            }
            rows.stream().filter(q -> q.sweep().equals("N") && q.mode().equals(mode) && q.kernel().equals("quadratic")
                    && q.n() == s.n() && q.seconds() != null).findFirst().ifPresent(q -> {
                        sizes.add(new int[] {s.n()});
                        logRatio.add(Math.log(q.seconds().median() / s.seconds().median())); // < 0: quadratic faster
                    });
        }
        if (sizes.isEmpty()) {
            return new Crossover(mode, null, "no size measured for both kernels");
        }
        int last = sizes.size() - 1;
        if (logRatio.get(last) >= 0) {
            return new Crossover(mode, null, "softmax is faster up to the largest common N = " + sizes.get(last)[0]);
        }
        int first = last;
        while (first > 0 && logRatio.get(first - 1) < 0) {
            first--;
        }
        if (first == 0) {
            return new Crossover(mode, null, "quadratic-linear is already faster at the smallest N = " + sizes.get(0)[0]);
        }
        double x0 = Math.log(sizes.get(first - 1)[0]);
        double x1 = Math.log(sizes.get(first)[0]);
        double y0 = logRatio.get(first - 1);
        double y1 = logRatio.get(first);
        double n = Math.exp(x0 + (x1 - x0) * y0 / (y0 - y1));
        return new Crossover(mode, n, "interpolated between N = " + sizes.get(first - 1)[0] + " and " + sizes.get(first)[0]);
    }

    private static List<Target> targets(List<Row> rows, List<Fit> fits, Roofline.Result roofline) {
        List<Target> targets = new ArrayList<>();
        for (Fit f : fits) {
            if (f.quantity().equals("time") && f.sweep().equals("N") && f.mode().equals("forward")) {
                targets.add(f.kernel().equals("softmax")
                        ? Target.atLeast("softmax time exponent in N (forward)", f.fit().exponent(), 1.7)
                        : Target.atMost("quadratic time exponent in N (forward)", f.fit().exponent(), 1.2));
            }
        }
        int n = rows.stream().filter(r -> r.sweep().equals("N") && r.seconds() != null && r.n() <= 8192)
                .mapToInt(Row::n).max().orElse(0);
        for (String mode : MODES) {
            Row s = find(rows, "softmax", mode, n);
            Row q = find(rows, "quadratic", mode, n);
            if (s != null && q != null) {
                targets.add(Target.atLeast("softmax / quadratic time at N = " + n + " (" + mode + ")",
                        s.seconds().median() / q.seconds().median(), 5));
                if (s.peakBytes() != null && q.peakBytes() != null && s.peakBytes() > 0) {
                    targets.add(Target.atMost("quadratic / softmax peak memory at N = " + n + " (" + mode + ")",
                            q.peakBytes() / (double) s.peakBytes(), 0.25));
                }
            }
        }
        if (roofline != null) {
            for (Roofline.KernelFraction k : roofline.kernels()) {
                targets.add(Target.atLeast(k.kernel() + " fraction of roofline at N = " + k.n(), k.fraction(), 0.5));
            }
        }
        return targets;
    }

    private static Row find(List<Row> rows, String kernel, String mode, int n) {
        return rows.stream().filter(r -> r.sweep().equals("N") && r.kernel().equals(kernel) && r.mode().equals(mode)
                && r.n() == n && r.seconds() != null).findFirst().orElse(null);
    }
}
