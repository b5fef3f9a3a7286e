package attentionlab.experiments.bench;

import ai.djl.ndarray.NDManager;
import attentionlab.experiments.io.Provenance;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
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
 * <p>Sizes whose estimated memory exceeds the budget (half of MemAvailable, at most 8 GiB) or whose
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
     * @param measureMemory whether to measure peak memory (one child JVM per point)
     * @param maxSecondsPerSize skip a size whose extrapolated (warmup + repeats) time exceeds this
     */
    public record Options(List<Integer> sizesN, int fixedD, List<Integer> sizesD, int fixedN, int warmup,
                          int repeats, boolean measureMemory, double maxSecondsPerSize) {

        public static Options full() {
            return new Options(List.of(128, 256, 512, 1024, 2048, 4096, 8192, 16384), 16,
                    List.of(4, 8, 16, 32), 4096, 2, 5, true, 120);
        }

        /** About a minute: N up to 4096, D sweep at N = 1024. */
        public static Options quick() {
            return new Options(List.of(256, 512, 1024, 2048, 4096), 16, List.of(4, 8, 16, 32), 1024, 1, 3, true, 20);
        }
    }

    /**
     * One measured (or skipped) point.
     *
     * @param sweep "N" or "D"
     * @param seconds time per call (null when skipped)
     * @param peakBytes peak memory of one call in a fresh JVM (null when skipped or not measured)
     * @param gflops achieved GFLOP/s by the cost model's forward FLOPs (x3 with backward)
     * @param skipped why the point was not measured (null when it was)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Row(String sweep, String kernel, String mode, int n, int d, int m, Stats seconds,
                      @JsonProperty("peak_bytes") Long peakBytes, double flops, Double gflops, String skipped) {}

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
        long budget = Math.min(Machine.availableMemoryBytes() / 2, 8L << 30);
        List<Row> rows = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            for (String mode : MODES) {
                Map<String, Double> lastSeconds = new java.util.HashMap<>();
                for (int n : options.sizesN()) {
                    for (String kernel : KERNELS) {
                        rows.add(point(manager, options, "N", kernel, mode, n, options.fixedD(), budget, lastSeconds, log));
                    }
                }
                for (int d : options.sizesD()) {
                    for (String kernel : KERNELS) {
                        rows.add(point(manager, options, "D", kernel, mode, options.fixedN(), d, budget, new java.util.HashMap<>(), log));
                    }
                }
            }
            int largestN = rows.stream().filter(r -> r.sweep().equals("N") && r.seconds() != null
                    && rows.stream().anyMatch(o -> o != r && o.sweep().equals("N") && o.n() == r.n() && o.seconds() != null
                    && o.mode().equals(r.mode()) && !o.kernel().equals(r.kernel())))
                    .mapToInt(Row::n).max().orElse(0);
            Roofline.Result roofline = Roofline.run(manager, rows, largestN, options.fixedD(), options.repeats(), log);
            List<Fit> fits = fits(rows);
            List<Crossover> crossovers = MODES.stream().map(mode -> crossover(rows, mode)).toList();
            double flopCrossover = AttentionCost.flopCrossover(options.fixedD(), options.fixedD());
            return new Result(Provenance.current(), options, loadBefore, Machine.loadAverage(), rows, fits, crossovers,
                    flopCrossover, roofline, targets(rows, fits, roofline));
        }
    }

    private static Row point(NDManager manager, Options o, String sweep, String kernel, String mode, int n, int d,
                             long budget, Map<String, Double> lastSeconds, Consumer<String> log) {
        boolean backward = mode.equals(MODES.get(1));
        double flops = AttentionCost.of(kernel, n, d, d).flops() * (backward ? 3 : 1);
        long estimate = estimatedBytes(kernel, n, d, backward);
        if (estimate > budget) {
            String why = String.format(Locale.ROOT, "needs ~%.1f GiB (estimated), budget %.1f GiB (half of available memory, at most 8)",
                    estimate / (double) (1L << 30), budget / (double) (1L << 30));
            log.accept(String.format("  skip %-9s %-16s N=%-6d D=%-3d %s", kernel, mode, n, d, why));
            return new Row(sweep, kernel, mode, n, d, d, null, null, flops, null, why);
        }
        Double previous = lastSeconds.get(kernel);
        if (previous != null) {
            double exponent = kernel.equals("softmax") ? 2 : 1;
            double predicted = previous.doubleValue() * Math.pow(2, exponent) * (o.warmup() + o.repeats());
            if (predicted > o.maxSecondsPerSize()) {
                String why = String.format(Locale.ROOT, "would take ~%.0f s (extrapolated), limit %.0f s", predicted, o.maxSecondsPerSize());
                log.accept(String.format("  skip %-9s %-16s N=%-6d D=%-3d %s", kernel, mode, n, d, why));
                return new Row(sweep, kernel, mode, n, d, d, null, null, flops, null, why);
            }
        }
        Stats seconds;
        try (AttentionWorkload w = new AttentionWorkload(manager, kernel, n, d, d, backward)) {
            seconds = Stats.time(o.warmup(), o.repeats(), w::run);
        }
        lastSeconds.put(kernel, seconds.median());
        Long peak = null;
        if (o.measureMemory()) {
            peak = PeakMemory.measure(List.of("attention", kernel, "" + n, "" + d, "" + d, "" + backward), 600).peakBytes();
        }
        log.accept(String.format(Locale.ROOT, "  %-9s %-16s N=%-6d D=%-3d %10.3f ms (spread %4.0f%%)%s", kernel, mode, n, d,
                seconds.median() * 1e3, seconds.relativeSpread() * 100,
                peak == null ? "" : String.format(Locale.ROOT, "  peak %8.1f MiB", peak / 1048576.0)));
        return new Row(sweep, kernel, mode, n, d, d, seconds, peak, flops, flops / seconds.median() / 1e9, null);
    }

    /** A generous upper estimate of one call's memory, used only to skip sizes that would not fit. */
    static long estimatedBytes(String kernel, long n, long d, boolean backward) {
        if (kernel.equals("softmax")) {
            return (backward ? 8 : 4) * n * n * 4;
        }
        return (backward ? 24 : 12) * n * (long) AttentionCost.features(d) * 4;
    }

    /** Child-JVM entry: {@code KERNEL N D M BACKWARD}; tiny runs the same call at N = 64. */
    static void probe(NDManager manager, String[] args, boolean tiny) {
        int n = tiny ? 64 : Integer.parseInt(args[1]);
        try (AttentionWorkload w = new AttentionWorkload(manager, args[0], n, Integer.parseInt(args[2]),
                Integer.parseInt(args[3]), Boolean.parseBoolean(args[4]))) {
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
