package attentionlab.experiments.claims.homework;

import attentionlab.experiments.bench.AttentionCost;
import attentionlab.experiments.bench.LogLogFit;
import attentionlab.experiments.bench.PeakMemory;
import attentionlab.experiments.claims.Check;
import attentionlab.experiments.claims.Claim;
import attentionlab.experiments.claims.ClaimContext;
import attentionlab.experiments.io.Format;
import attentionlab.experiments.plot.Charts;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;

/**
 * Homework 6(c, d): softmax attention costs O(N^2 max(D, M)) time and O(max(N^2, N D, N M)) memory (the
 * N x N weights are kept for backprop); quadratic-kernel attention in linear form costs O(N D^2 M) time
 * and O(max(N D^2, D^2 M)) memory, so it wins beyond some N.
 *
 * <p>Measured on one head, batch 1, M = D, with the benchmark's attention workload: wall time per call
 * from {@link InterleavedTiming} (one engine thread in a fresh JVM, minimum over interleaved rounds) and peak memory of forward + backward
 * in a fresh JVM ({@link PeakMemory}), against N at D = 16 and against D at fixed N
 * ({@link #sweepDAtN}). Exponents are
 * fitted in log-log space over the upper half of each sweep (at least 2 sizes): the O() terms describe
 * large sizes, and the N sweep's upper half is chosen beyond a 32 MiB last-level cache (N x N floats >=
 * 64 MiB), where the time per score stops changing regime.
 */
public final class ComplexityClaim implements Claim<ComplexityClaim.Measured> {

    /** D = M during the N sweep. */
    static final int FIXED_D = 16;
    /** How far a fitted exponent may be from the homework's. */
    public static final double EXPONENT_TOLERANCE = 0.4;
    static final List<String> KERNELS = List.of("softmax", "quadratic");
    static final List<String> MODES = List.of("forward", "forward+backward");

    /**
     * @param quantity "time" or "memory"
     * @param sweep "N" or "D"
     * @param predicted the homework's exponent
     * @param upperBound whether the prediction is an upper bound ("at most linear in D") rather than a value
     * @param fit the fit over the upper half of the sweep, null if fewer than 2 usable sizes
     * @param judged whether a verdict depends on it (memory against D is reported only)
     */
    public record Exponent(String quantity, String sweep, String kernel, String mode, double predicted, boolean upperBound,
                           LogLogFit fit, boolean judged) {}

    /** Peak memory of one forward + backward call. */
    public record PeakPoint(String sweep, String kernel, int n, int d, long peakBytes) {}

    /**
     * @param speedupAtLargestN mode -> softmax time / quadratic time at the largest N
     * @param fastFromN mode -> smallest measured N from which quadratic-linear stays faster (null if never)
     * @param flopModelCrossoverN N where the two FLOP counts are equal (D = M = 16)
     * @param loadBefore 1-minute load average before timing (timings from a machine busier than its cores are unreliable)
     */
    public record Measured(List<Exponent> exponents, int largestN, Map<String, Double> speedupAtLargestN,
                           Map<String, Integer> fastFromN, double flopModelCrossoverN, double loadBefore, double loadAfter,
                           int cores, List<InterleavedTiming.Point> times,
                           List<PeakPoint> memory) {}

    @Override
    public String id() {
        return "complexity";
    }

    @Override
    public String homeworkPart() {
        return "6(c,d)";
    }

    @Override
    public String prediction() {
        return "softmax: time O(N^2 max(D,M)), memory O(max(N^2, ND, NM)); quadratic linear form: time O(N D^2 M),"
                + " memory O(max(N D^2, D^2 M)); so the linear form is faster beyond a crossover N";
    }

    @Override
    public String tolerance() {
        return "fitted log-log exponents (upper half of each sweep) within +-0.4 of the homework's (timing noise, lower-order"
                + " terms); quadratic faster than softmax at the largest N; memory against D reported, not judged";
    }

    @Override
    public Measured measure(ClaimContext context) throws Exception {
        List<Integer> sizesN = context.quick() ? List.of(2048, 4096, 8192) : List.of(1024, 2048, 4096, 8192, 12288);
        List<Integer> sizesD = context.quick() ? List.of(16, 32, 64) : List.of(8, 16, 32, 64);
        List<InterleavedTiming.Size> sizes = new ArrayList<>();
        for (String mode : MODES) {
            for (String kernel : KERNELS) {
                sizesN.forEach(n -> sizes.add(new InterleavedTiming.Size("N", kernel, mode, n, FIXED_D)));
                if (mode.equals("forward")) { // time against D is judged on the forward pass
                    sizesD.forEach(d -> sizes.add(new InterleavedTiming.Size("D", kernel, mode, sweepDAtN(kernel), d)));
                }
            }
        }
        double loadBefore = attentionlab.experiments.bench.Machine.loadAverage();
        List<InterleavedTiming.Point> times = InterleavedTiming.measure(sizes, context.quick() ? 3 : 7, 0.25, context::log);
        double loadAfter = attentionlab.experiments.bench.Machine.loadAverage();
        List<PeakPoint> memory = new ArrayList<>();
        for (String kernel : KERNELS) {
            for (int n : sizesN) {
                memory.add(peak("N", kernel, n, FIXED_D));
            }
            for (int d : sizesD) {
                memory.add(peak("D", kernel, sweepDAtN(kernel), d));
            }
        }
        memory.forEach(m -> context.log(String.format(java.util.Locale.ROOT, "peak %-9s forward+backward N=%-5d D=%-3d %8.1f MiB",
                m.kernel(), m.n(), m.d(), m.peakBytes() / 1048576.0)));
        List<Exponent> exponents = new ArrayList<>();
        for (String kernel : KERNELS) {
            boolean softmax = kernel.equals("softmax");
            exponents.add(exponent(times, memory, "time", "N", kernel, "forward", softmax ? 2 : 1, false, true));
            exponents.add(exponent(times, memory, "time", "N", kernel, "forward+backward", softmax ? 2 : 1, false, true));
            exponents.add(exponent(times, memory, "memory", "N", kernel, "forward+backward", softmax ? 2 : 1, false, true));
            exponents.add(exponent(times, memory, "time", "D", kernel, "forward", softmax ? 1 : 3, softmax, true));
            exponents.add(exponent(times, memory, "memory", "D", kernel, "forward+backward", softmax ? 0 : 2, false, false));
        }
        int largest = sizesN.get(sizesN.size() - 1);
        Map<String, Double> speedup = new LinkedHashMap<>();
        Map<String, Integer> fastFrom = new LinkedHashMap<>();
        for (String mode : MODES) {
            speedup.put(mode, seconds(times, "softmax", mode, largest) / seconds(times, "quadratic", mode, largest));
            Integer from = null;
            for (int i = sizesN.size() - 1; i >= 0; i--) {
                int n = sizesN.get(i);
                if (seconds(times, "quadratic", mode, n) >= seconds(times, "softmax", mode, n)) {
                    break;
                }
                from = n;
            }
            fastFrom.put(mode, from);
        }
        context.figure(chart(times, memory, "time", "forward"), "time-vs-N");
        context.figure(chart(times, memory, "time", "forward+backward"), "time-vs-N-backward");
        context.figure(chart(times, memory, "memory", "forward+backward"), "memory-vs-N");
        for (Exponent e : exponents) {
            context.log(e.quantity() + " vs " + e.sweep() + " " + e.kernel() + " " + e.mode() + ": exponent "
                    + (e.fit() == null ? "n/a" : Format.number(e.fit().exponent())) + " (homework " + Format.number(e.predicted()) + ")");
        }
        return new Measured(exponents, largest, speedup, fastFrom, AttentionCost.flopCrossover(FIXED_D, FIXED_D), loadBefore, loadAfter,
                Runtime.getRuntime().availableProcessors(), times, memory);
    }

    /**
     * N of the D sweep, chosen like the N sweep's upper half: the working set lies beyond a 32 MiB
     * last-level cache at the sweep's upper half (softmax: N x N floats = 64 MiB at N = 4096;
     * quadratic: N x F floats = 37 MiB at N = 16384, D = 32), so one memory regime is measured.
     */
    static int sweepDAtN(String kernel) {
        return kernel.equals("softmax") ? 4096 : 16384;
    }

    private static PeakPoint peak(String sweep, String kernel, int n, int d) {
        long bytes = PeakMemory.measure(List.of("attention", kernel, "" + n, "" + d, "" + d, "true"), 600).peakBytes();
        return new PeakPoint(sweep, kernel, n, d, bytes);
    }

    /** The log-log fit of one sweep over its upper half (at least 2 sizes). */
    static Exponent exponent(List<InterleavedTiming.Point> times, List<PeakPoint> memory, String quantity, String sweep,
                             String kernel, String mode, double predicted, boolean upperBound, boolean judged) {
        List<double[]> points = points(times, memory, quantity, sweep, kernel, mode); // sorted by x
        int keep = Math.min(points.size(), Math.max(2, (points.size() + 1) / 2));
        List<double[]> upper = points.subList(points.size() - keep, points.size());
        LogLogFit fit = upper.size() < 2 ? null
                : LogLogFit.fit(upper.stream().map(p -> p[0]).toList(), upper.stream().map(p -> p[1]).toList());
        return new Exponent(quantity, sweep, kernel, mode, predicted, upperBound, fit, judged);
    }

    /** (x, y) of one sweep, sorted by x: minimum times, or positive peak bytes (memory is forward + backward only). */
    private static List<double[]> points(List<InterleavedTiming.Point> times, List<PeakPoint> memory, String quantity, String sweep,
                                         String kernel, String mode) {
        List<double[]> points = new ArrayList<>();
        if (quantity.equals("time")) {
            for (InterleavedTiming.Point p : times) {
                InterleavedTiming.Size s = p.size();
                if (s.sweep().equals(sweep) && s.kernel().equals(kernel) && s.mode().equals(mode)) {
                    points.add(new double[] {sweep.equals("N") ? s.n() : s.d(), p.seconds()});
                }
            }
        } else if (mode.equals("forward+backward")) {
            for (PeakPoint m : memory) {
                if (m.sweep().equals(sweep) && m.kernel().equals(kernel) && m.peakBytes() > 0) {
                    points.add(new double[] {sweep.equals("N") ? m.n() : m.d(), m.peakBytes()});
                }
            }
        }
        points.sort(Comparator.comparingDouble(p -> p[0]));
        return points;
    }

    private static double seconds(List<InterleavedTiming.Point> times, String kernel, String mode, int n) {
        return times.stream().filter(p -> p.size().sweep().equals("N") && p.size().kernel().equals(kernel)
                && p.size().mode().equals(mode) && p.size().n() == n).mapToDouble(InterleavedTiming.Point::seconds).findFirst().orElse(Double.NaN);
    }

    private static XYChart chart(List<InterleavedTiming.Point> times, List<PeakPoint> memory, String quantity, String mode) {
        boolean time = quantity.equals("time");
        XYChart chart = Charts.lineChart("Attention " + quantity + " vs N (" + mode + ", D = M = " + FIXED_D + ")",
                "N (tokens)", time ? "seconds per call (min over interleaved rounds)" : "peak bytes (fresh JVM)");
        chart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true);
        int i = 0;
        for (String kernel : KERNELS) {
            List<double[]> pts = points(times, memory, quantity, "N", kernel, mode);
            if (!pts.isEmpty()) {
                double[] x = pts.stream().mapToDouble(p -> p[0]).toArray();
                Charts.points(chart, kernel + " measured", x, pts.stream().mapToDouble(p -> p[1]).toArray(), Charts.color(i));
                Exponent e = exponent(times, memory, quantity, "N", kernel, mode, 0, false, true);
                if (e.fit() != null) {
                    Charts.line(chart, kernel + " fit (upper half): N^" + Format.number(e.fit().exponent()) + ", homework N^"
                            + (kernel.equals("softmax") ? "2" : "1"), x, java.util.Arrays.stream(x).map(e.fit()::predict).toArray(),
                            Charts.color(i));
                }
            }
            i++;
        }
        return chart;
    }

    @Override
    public String note(Measured m) {
        String load = "load average " + Format.number(m.loadBefore()) + " before and " + Format.number(m.loadAfter()) + " after timing on "
                + m.cores() + " cores";
        return m.loadBefore() > m.cores() || m.loadAfter() > m.cores()
                ? load + ": the machine was busier than its cores, so other processes disturbed these timings; rerun on a quiet machine"
                : load + ".";
    }

    @Override
    public List<Check> judge(Measured m) {
        List<Check> checks = new ArrayList<>();
        for (Exponent e : m.exponents()) {
            if (!e.judged()) {
                continue;
            }
            String what = e.kernel() + " " + e.quantity() + " exponent in " + e.sweep() + " (" + e.mode() + ")";
            if (e.fit() == null) {
                checks.add(new Check(what, Format.number(e.predicted()), "not measured (fewer than 2 sizes)",
                        "+-" + EXPONENT_TOLERANCE, false));
            } else if (e.upperBound()) {
                checks.add(Check.atMost(what, "<= " + Format.number(e.predicted()), e.fit().exponent(), e.predicted() + EXPONENT_TOLERANCE,
                        "at most linear, +" + EXPONENT_TOLERANCE));
            } else {
                checks.add(Check.close(what, e.predicted(), e.fit().exponent(), EXPONENT_TOLERANCE, "log-log fit, upper half"));
            }
        }
        m.speedupAtLargestN().forEach((mode, s) -> checks.add(Check.above(
                "softmax time / quadratic time at N = " + m.largestN() + " (" + mode + "; linear form faster from N = "
                        + (m.fastFromN().get(mode) == null ? "never" : m.fastFromN().get(mode)) + " on; FLOP model crossover N = "
                        + Format.number(m.flopModelCrossoverN()) + ")", "> 1 (linear form faster)", s, 1)));
        return checks;
    }
}
