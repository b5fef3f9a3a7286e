package attentionlab.experiments.claims.homework;

import attentionlab.experiments.bench.AttentionScaling;
import attentionlab.experiments.bench.LogLogFit;
import attentionlab.experiments.claims.Check;
import attentionlab.experiments.claims.Claim;
import attentionlab.experiments.claims.ClaimContext;
import attentionlab.experiments.io.Format;
import attentionlab.experiments.io.Json;
import attentionlab.experiments.plot.Charts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.knowm.xchart.XYChart;

/**
 * Homework 6(c, d): softmax attention costs O(N^2 max(D, M)) time and O(max(N^2, N D, N M)) memory (the
 * N x N weights are kept for backprop); quadratic-kernel attention in linear form costs O(N D^2 M) time
 * and O(max(N D^2, D^2 M)) memory, so it wins beyond some N.
 *
 * <p>Measured with the attention-scaling benchmark (one head, batch 1, M = D): wall time per call and
 * peak memory of a fresh JVM, against N at D = 16 and against D at fixed N. Exponents are fitted in
 * log-log space over the upper half of each sweep (at least 3 sizes), where the leading term
 * dominates. Times come from {@link InterleavedTiming} (minimum over interleaved rounds, the estimate
 * least disturbed by other processes); peak memory from the benchmark's fresh-JVM measurement.
 */
public final class ComplexityClaim implements Claim<ComplexityClaim.Measured> {

    /** D = M during the N sweep. */
    static final int FIXED_D = 16;

    /** How far a fitted exponent may be from the homework's. */
    public static final double EXPONENT_TOLERANCE = 0.4;

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

    /**
     * @param speedupAtLargestN mode -> softmax time / quadratic time at the largest N both measured
     * @param crossoverN mode -> the benchmark's interpolated crossover N (null if not bracketed)
     */
    public record Measured(List<Exponent> exponents, int largestN, java.util.Map<String, Double> speedupAtLargestN,
                           java.util.Map<String, Double> crossoverN, double flopModelCrossoverN, double loadBefore,
                           double loadAfter, String benchmarkJson, List<InterleavedTiming.Point> times) {}

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
                + " terms); quadratic faster than softmax at the largest N; memory against D reported, not judged (near the"
                + " measurement floor)";
    }

    @Override
    public Measured measure(ClaimContext context) throws Exception {
        List<Integer> sizesN = context.quick() ? List.of(512, 1024, 2048, 4096) : List.of(256, 512, 1024, 2048, 4096, 8192);
        List<Integer> sizesD = context.quick() ? List.of(8, 16, 32) : List.of(4, 8, 16, 32);
        int fixedN = context.quick() ? 2048 : 4096;
        // Peak memory (fresh JVM per point) and the benchmark's own record; its single timed call is informative only.
        AttentionScaling.Options options = new AttentionScaling.Options(sizesN, FIXED_D, sizesD, fixedN, 1, 1, true, 60);
        AttentionScaling.Result r = AttentionScaling.run(options, context::log);
        List<InterleavedTiming.Size> sizes = new ArrayList<>();
        for (String mode : AttentionScaling.MODES) {
            for (String kernel : AttentionScaling.KERNELS) {
                sizesN.forEach(n -> sizes.add(new InterleavedTiming.Size("N", kernel, mode, n, FIXED_D)));
                sizesD.forEach(d -> sizes.add(new InterleavedTiming.Size("D", kernel, mode, fixedN, d)));
            }
        }
        List<InterleavedTiming.Point> times = InterleavedTiming.measure(sizes, context.quick() ? 5 : 9, 0.05, context::log);
        Path dir = context.reportDir().resolve("complexity");
        Files.createDirectories(dir);
        Path json = dir.resolve("attention-scaling.json");
        Json.write(json, r);
        context.evidence(json);
        List<Exponent> exponents = new ArrayList<>();
        for (String kernel : AttentionScaling.KERNELS) {
            boolean softmax = kernel.equals("softmax");
            exponents.add(exponent(times, r, "time", "N", kernel, "forward", softmax ? 2 : 1, false, true));
            exponents.add(exponent(times, r, "time", "N", kernel, "forward+backward", softmax ? 2 : 1, false, true));
            exponents.add(exponent(times, r, "memory", "N", kernel, "forward+backward", softmax ? 2 : 1, false, true));
            exponents.add(exponent(times, r, "time", "D", kernel, "forward", softmax ? 1 : 3, softmax, true));
            exponents.add(exponent(times, r, "memory", "D", kernel, "forward+backward", softmax ? 0 : 2, false, false));
        }
        int largest = sizesN.get(sizesN.size() - 1);
        java.util.Map<String, Double> speedup = new java.util.LinkedHashMap<>();
        java.util.Map<String, Double> crossover = new java.util.LinkedHashMap<>();
        for (String mode : AttentionScaling.MODES) {
            speedup.put(mode, seconds(times, "softmax", mode, largest) / seconds(times, "quadratic", mode, largest));
        }
        r.crossovers().forEach(c -> crossover.put(c.mode(), c.measuredN()));
        context.figure(chart(times, r, "time", "forward"), "time-vs-N");
        context.figure(chart(times, r, "time", "forward+backward"), "time-vs-N-backward");
        context.figure(chart(times, r, "memory", "forward+backward"), "memory-vs-N");
        for (Exponent e : exponents) {
            context.log(e.quantity() + " vs " + e.sweep() + " " + e.kernel() + " " + e.mode() + ": exponent "
                    + (e.fit() == null ? "n/a" : Format.number(e.fit().exponent())) + " (homework " + Format.number(e.predicted()) + ")");
        }
        return new Measured(exponents, largest, speedup, crossover, r.flopModelCrossoverN(), r.loadBefore(), r.loadAfter(),
                context.reportDir().relativize(json).toString(), times);
    }

    /** The log-log fit of one sweep over its upper half (at least 3 sizes when there are). */
    static Exponent exponent(List<InterleavedTiming.Point> times, AttentionScaling.Result r, String quantity, String sweep,
                             String kernel, String mode, double predicted, boolean upperBound, boolean judged) {
        List<double[]> points = points(times, r, quantity, sweep, kernel, mode); // sorted by x
        int keep = Math.min(points.size(), Math.max(3, (points.size() + 1) / 2));
        List<double[]> upper = points.subList(points.size() - keep, points.size());
        LogLogFit fit = upper.size() < 2 ? null
                : LogLogFit.fit(upper.stream().map(p -> p[0]).toList(), upper.stream().map(p -> p[1]).toList());
        return new Exponent(quantity, sweep, kernel, mode, predicted, upperBound, fit, judged);
    }

    /** (x, y) of one sweep: interleaved minimum times, or peak bytes at or above the benchmark's fitting floor. */
    private static List<double[]> points(List<InterleavedTiming.Point> times, AttentionScaling.Result r, String quantity, String sweep,
                                         String kernel, String mode) {
        List<double[]> points = new ArrayList<>();
        if (quantity.equals("time")) {
            for (InterleavedTiming.Point p : times) {
                InterleavedTiming.Size s = p.size();
                if (s.sweep().equals(sweep) && s.kernel().equals(kernel) && s.mode().equals(mode)) {
                    points.add(new double[] {sweep.equals("N") ? s.n() : s.d(), p.seconds()});
                }
            }
        } else {
            for (AttentionScaling.Row row : r.rows()) {
                if (row.sweep().equals(sweep) && row.kernel().equals(kernel) && row.mode().equals(mode) && row.peakBytes() != null
                        && row.peakBytes() >= AttentionScaling.MEMORY_FIT_FLOOR_BYTES) {
                    points.add(new double[] {sweep.equals("N") ? row.n() : row.d(), row.peakBytes()});
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

    private static XYChart chart(List<InterleavedTiming.Point> times, AttentionScaling.Result r, String quantity, String mode) {
        boolean time = quantity.equals("time");
        XYChart chart = Charts.lineChart("Attention " + quantity + " vs N (" + mode + ", D = M = " + FIXED_D + ")",
                "N (tokens)", time ? "seconds per call (min over interleaved rounds)" : "peak bytes (fresh JVM)");
        chart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true);
        int i = 0;
        for (String kernel : AttentionScaling.KERNELS) {
            List<double[]> pts = points(times, r, quantity, "N", kernel, mode);
            if (!pts.isEmpty()) {
                double[] x = pts.stream().mapToDouble(p -> p[0]).toArray();
                Charts.points(chart, kernel + " measured", x, pts.stream().mapToDouble(p -> p[1]).toArray(), Charts.color(i));
                Exponent e = exponent(times, r, quantity, "N", kernel, mode, 0, false, true);
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
    public List<Check> judge(Measured m) {
        List<Check> checks = new ArrayList<>();
        for (Exponent e : m.exponents()) {
            if (!e.judged()) {
                continue;
            }
            String what = e.kernel() + " " + e.quantity() + " exponent in " + e.sweep() + " (" + e.mode() + ")";
            if (e.fit() == null) {
                checks.add(new Check(what, Format.number(e.predicted()), "not measured (too few sizes above the measurement floor)",
                        "+-" + EXPONENT_TOLERANCE, false));
            } else if (e.upperBound()) {
                checks.add(Check.atMost(what, "<= " + Format.number(e.predicted()), e.fit().exponent(), e.predicted() + EXPONENT_TOLERANCE,
                        "at most linear, +" + EXPONENT_TOLERANCE));
            } else {
                checks.add(Check.close(what, e.predicted(), e.fit().exponent(), EXPONENT_TOLERANCE, "log-log fit, upper half"));
            }
        }
        m.speedupAtLargestN().forEach((mode, s) -> checks.add(Check.above(
                "softmax time / quadratic time at N = " + m.largestN() + " (" + mode + ")", "> 1 (linear form faster)", s, 1)));
        return checks;
    }
}
