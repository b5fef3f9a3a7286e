package attentionlab.experiments.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Attention calls ({@link AttentionBench}: one head, batch 1, no mask) timed against N at D = M =
 * {@code fixedD} and against D = M at N = {@code fixedN}: the one way both {@code lab bench
 * attention-scaling} and the complexity claim time kernels. Through a {@link Sweep.Timer}: every point in
 * its own JMH fork, rounds outermost, and at each size the kernels (and modes) adjacent, so every round
 * times them back to back and their per-round ratios are paired. Fits take every round as a point
 * ({@link LogLogFit}, 95% interval from the repeat variance), over N >= {@link Plan#fitFromN} in N.
 *
 * <p>Sizes are fixed by the plan. A point whose estimated memory ({@link #estimatedBytes}) exceeds the
 * budget is not run and carries the reason; a point that runs too long is bounded by the engine's timeout,
 * which ends the whole sweep with an error rather than hanging it.
 */
public final class AttentionTiming {

    public static final List<String> MODES = List.of("forward", "forward+backward");

    private AttentionTiming() {}

    /**
     * @param sizesN N values of the N sweep
     * @param fixedD D = M during the N sweep
     * @param sizesD D (= M) values of the D sweep
     * @param fixedN N during the D sweep
     * @param modes from {@link #MODES}
     * @param fitFromN smallest N of the exponent fits in N: below it fixed per-call costs bend the line
     * @param rounds repeats of every point, each in a fresh fork
     * @param warmup untimed JMH iterations per fork
     * @param iterations measured JMH iterations per fork
     * @param iterationSeconds length of one JMH iteration (at least one call)
     * @param memoryBudgetBytes skip a point whose estimated memory exceeds this; 0: half of MemAvailable, at most 8 GiB
     */
    public record Plan(List<Integer> sizesN, int fixedD, List<Integer> sizesD, int fixedN, List<String> modes, int fitFromN,
                       int rounds, int warmup, int iterations, double iterationSeconds, long memoryBudgetBytes) {

        /** Forward, N = 1024 .. 16384 at D = 16 (softmax scores take 1 GiB there), D = 16 .. 128 at N = 4096, 5 rounds. */
        public static Plan full() {
            return new Plan(List.of(1024, 2048, 4096, 8192, 16384), 16, List.of(16, 32, 64, 128), 4096, List.of(MODES.get(0)), 1024,
                    5, 1, 3, 0.3, 0);
        }

        /** Forward, two sizes per sweep, one round: shown, not judged (two-point slopes have no interval). */
        public static Plan quick() {
            return new Plan(List.of(1024, 4096), 16, List.of(16, 32), 1024, List.of(MODES.get(0)), 1024, 1, 1, 2, 0.1, 0);
        }

        /** The same plan with other N values and modes (fits still from {@link #fitFromN}). */
        public Plan with(List<Integer> newSizesN, List<String> newModes) {
            return new Plan(newSizesN, fixedD, sizesD, fixedN, newModes, fitFromN, rounds, warmup, iterations, iterationSeconds,
                    memoryBudgetBytes);
        }
    }

    /**
     * One point: seconds per call in each round, or why it was skipped.
     *
     * @param sweep "N" or "D"
     * @param seconds per round; empty when skipped
     * @param skipped why the point was not run, or null
     */
    public record Time(String sweep, String kernel, String mode, int n, int d, double[] seconds, String skipped) {

        /** N or D, whichever the sweep varies. */
        public int x() {
            return sweep.equals("N") ? n : d;
        }

        public boolean measured() {
            return skipped == null;
        }

        /** Median and spread over rounds (null when skipped). */
        public RepeatStats stats() {
            return measured() ? RepeatStats.of(seconds) : null;
        }

        boolean backward() {
            return mode.equals(MODES.get(1));
        }
    }

    public record Result(Plan plan, List<Time> times, MachineLoad load) {}

    /**
     * Times {@code kernels} at every size and mode of the plan.
     *
     * @throws IllegalStateException naming the point if one fails in the engine
     */
    public static Result measure(Plan plan, List<String> kernels, Sweep.Timer timer, Consumer<String> log) {
        double loadStart = timer.otherLoad();
        long start = System.nanoTime();
        long budget = plan.memoryBudgetBytes() > 0 ? plan.memoryBudgetBytes() : Math.min(Machine.availableMemoryBytes() / 2, 8L << 30);
        List<Time> planned = new ArrayList<>();
        for (String sweep : List.of("N", "D")) {
            for (int x : sweep.equals("N") ? plan.sizesN() : plan.sizesD()) {
                int n = sweep.equals("N") ? x : plan.fixedN();
                int d = sweep.equals("N") ? plan.fixedD() : x;
                for (String mode : plan.modes()) {
                    for (String kernel : kernels) {
                        planned.add(new Time(sweep, kernel, mode, n, d, new double[0], skipReason(kernel, n, d, mode, budget)));
                    }
                }
            }
        }
        List<Time> run = planned.stream().filter(Time::measured).toList();
        planned.stream().filter(t -> !t.measured()).forEach(t -> log.accept(String.format(Locale.ROOT,
                "  skip %-9s %-16s N=%-6d D=%-3d %s", t.kernel(), t.mode(), t.n(), t.d(), t.skipped())));
        List<Sweep.Measured> measured = timer.run(run.stream().map(AttentionTiming::point).toList(),
                Sweep.Settings.timed(plan.rounds(), plan.warmup(), plan.iterations(), plan.iterationSeconds(), 900), log);
        List<Time> times = new ArrayList<>();
        int next = 0;
        for (Time t : planned) {
            if (!t.measured()) {
                times.add(t);
                continue;
            }
            Sweep.Measured m = measured.get(next++);
            if (!m.ok()) {
                throw new IllegalStateException("timing " + m.point().describe() + " failed: " + m.error());
            }
            times.add(new Time(t.sweep(), t.kernel(), t.mode(), t.n(), t.d(), m.rounds(), null));
        }
        return new Result(plan, times, MachineLoad.since(timer, loadStart, start));
    }

    /** The engine's point of one timed call: D = M. */
    static Sweep.Point point(Time t) {
        return new Sweep.Point("AttentionBench", Sweep.params("kernel", t.kernel(), "n", t.n(), "d", t.d(), "m", t.d(),
                "backward", t.backward()));
    }

    /** Why a point is not run (over the memory budget), or null. */
    private static String skipReason(String kernel, int n, int d, String mode, long budget) {
        long estimate = estimatedBytes(kernel, n, d, mode.equals(MODES.get(1)));
        return estimate <= budget ? null : String.format(Locale.ROOT, "needs ~%.2f GiB (estimated), memory budget %.2f GiB",
                estimate / (double) (1L << 30), budget / (double) (1L << 30));
    }

    /**
     * A generous upper estimate of one call's memory, used only to skip sizes that would not fit: softmax
     * 4 (8 with backward) N x N float arrays; a feature-map kernel 12 (24) N x F, F = 1 + D + D(D+1)/2.
     */
    static long estimatedBytes(String kernel, long n, long d, boolean backward) {
        if (kernel.equals("softmax")) {
            return (backward ? 8 : 4) * n * n * 4;
        }
        return (backward ? 24 : 12) * n * (long) AttentionCost.features(d) * 4;
    }

    /** Every round of one series as (x, seconds): N at or above {@link Plan#fitFromN} in the N sweep. */
    public static List<double[]> samples(Result r, String sweep, String kernel, String mode) {
        List<double[]> out = new ArrayList<>();
        for (Time t : r.times()) {
            if (t.measured() && t.sweep().equals(sweep) && t.kernel().equals(kernel) && t.mode().equals(mode)
                    && (sweep.equals("D") || t.n() >= r.plan().fitFromN())) {
                Arrays.stream(t.seconds()).forEach(s -> out.add(new double[] {t.x(), s}));
            }
        }
        return out;
    }

    /** The log-log fit of time over every round of one series (see {@link #samples}); null with fewer than 2 sizes. */
    public static LogLogFit fit(Result r, String sweep, String kernel, String mode) {
        List<double[]> s = samples(r, sweep, kernel, mode);
        if (s.stream().mapToDouble(p -> p[0]).distinct().count() < 2) {
            return null;
        }
        return LogLogFit.fit(s.stream().map(p -> p[0]).toList(), s.stream().map(p -> p[1]).toList());
    }

    /** The measured point of one series at x, or null. */
    public static Time find(Result r, String sweep, String kernel, String mode, int x) {
        return r.times().stream().filter(t -> t.measured() && t.sweep().equals(sweep) && t.kernel().equals(kernel)
                && t.mode().equals(mode) && t.x() == x).findFirst().orElse(null);
    }
}
