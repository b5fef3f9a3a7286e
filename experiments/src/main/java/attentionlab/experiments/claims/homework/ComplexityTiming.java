package attentionlab.experiments.claims.homework;

import attentionlab.experiments.bench.LogLogFit;
import attentionlab.experiments.bench.MachineLoad;
import attentionlab.experiments.bench.Sweep;
import attentionlab.experiments.claims.ClaimContext;
import attentionlab.experiments.plot.Charts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.knowm.xchart.XYChart;

/**
 * The complexity claim's timing (part b): forward time per call of both kernels against N at D = M =
 * {@code fixedD} and against D = M at N = {@code fixedN}, through the timing engine ({@link Sweep}:
 * one JMH fork per point and round, one engine thread). At each size the two kernels are adjacent, so
 * every round measures them back to back.
 */
public final class ComplexityTiming {

    private ComplexityTiming() {}

    /**
     * @param rounds repeats of every point (each a fresh fork)
     * @param iterationSeconds length of one measured JMH iteration (at least one call)
     */
    public record Plan(List<Integer> sizesN, int fixedD, List<Integer> sizesD, int fixedN, int rounds, int warmup, int iterations,
                       double iterationSeconds) {

        /** N up to 16384 (the softmax scores take 1 GiB there), D up to 128 at N = 4096, 5 rounds. */
        public static Plan full() {
            return new Plan(List.of(1024, 2048, 4096, 8192, 16384), 16, List.of(16, 32, 64, 128), 4096, 5, 1, 3, 0.3);
        }

        /** Two sizes per sweep, one round: shown, not judged. */
        public static Plan quick() {
            return new Plan(List.of(1024, 4096), 16, List.of(16, 32), 1024, 1, 1, 2, 0.1);
        }
    }

    /**
     * Seconds per forward call in each round.
     *
     * @param sweep "N" or "D"
     * @param role "softmax" or "linear"
     */
    public record Time(String sweep, String role, String kernel, int n, int d, double[] seconds) {

        /** N or D, whichever the sweep varies. */
        public int x() {
            return sweep.equals("N") ? n : d;
        }
    }

    public record Result(Plan plan, List<Time> times, MachineLoad load) {}

    static Result measure(Plan plan, String softmax, String linear, double loadStart, ClaimContext context) {
        long start = System.nanoTime();
        List<String[]> labels = new ArrayList<>(); // sweep, role, kernel
        List<Sweep.Point> points = new ArrayList<>();
        for (String sweep : List.of("N", "D")) {
            for (int x : sweep.equals("N") ? plan.sizesN() : plan.sizesD()) {
                int n = sweep.equals("N") ? x : plan.fixedN();
                int d = sweep.equals("N") ? plan.fixedD() : x;
                for (String[] role : new String[][] {{"softmax", softmax}, {"linear", linear}}) {
                    labels.add(new String[] {sweep, role[0], role[1]});
                    points.add(ComplexityClaim.point(role[1], n, d));
                }
            }
        }
        List<Sweep.Measured> measured = Sweep.run(points, Sweep.Settings.timed(plan.rounds(), plan.warmup(), plan.iterations(),
                plan.iterationSeconds(), 900), context::log);
        List<Time> times = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            Sweep.Measured m = measured.get(i);
            if (!m.ok()) {
                throw new IllegalStateException("timing " + m.point().describe() + " failed: " + m.error());
            }
            String[] l = labels.get(i);
            times.add(new Time(l[0], l[1], l[2], Integer.parseInt(m.point().params().get("n")),
                    Integer.parseInt(m.point().params().get("d")), m.rounds()));
        }
        Result result = new Result(plan, times, MachineLoad.since(loadStart, start, 1));
        for (String sweep : List.of("N", "D")) {
            context.figure(chart(result, sweep), "time-vs-" + sweep);
        }
        return result;
    }

    /** Every round of one sweep and role as (x, seconds), for a fit. */
    static List<double[]> samples(Result r, String sweep, String role) {
        List<double[]> out = new ArrayList<>();
        for (Time t : r.times()) {
            if (t.sweep().equals(sweep) && t.role().equals(role)) {
                Arrays.stream(t.seconds()).forEach(s -> out.add(new double[] {t.x(), s}));
            }
        }
        return out;
    }

    /** The log-log fit over every round of one sweep and role (null with fewer than 2 sizes). */
    static LogLogFit fit(Result r, String sweep, String role) {
        List<double[]> s = samples(r, sweep, role);
        if (s.stream().mapToDouble(p -> p[0]).distinct().count() < 2) {
            return null;
        }
        return LogLogFit.fit(s.stream().map(p -> p[0]).toList(), s.stream().map(p -> p[1]).toList());
    }

    private static XYChart chart(Result r, String sweep) {
        XYChart chart = Charts.lineChart("Forward time vs " + sweep + (sweep.equals("N") ? " (D = M = " + r.plan().fixedD() + ")"
                : " = M (N = " + r.plan().fixedN() + ")"), sweep, "seconds per call (each round)");
        chart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true);
        int i = 0;
        for (String role : List.of("softmax", "linear")) {
            List<double[]> s = samples(r, sweep, role);
            double[] x = s.stream().mapToDouble(p -> p[0]).toArray();
            Charts.points(chart, role + " (" + s.size() + " samples)", x, s.stream().mapToDouble(p -> p[1]).toArray(), Charts.color(i));
            LogLogFit fit = fit(r, sweep, role);
            if (fit != null) {
                double[] xs = Arrays.stream(x).distinct().sorted().toArray();
                Charts.line(chart, role + " fit: " + sweep + "^" + fit.describe(), xs, Arrays.stream(xs).map(fit::predict).toArray(),
                        Charts.color(i));
            }
            i++;
        }
        return chart;
    }
}
