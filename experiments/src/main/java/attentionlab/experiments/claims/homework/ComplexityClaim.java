package attentionlab.experiments.claims.homework;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import attentionlab.experiments.bench.AttentionTiming;
import attentionlab.experiments.bench.AttentionWorkload;
import attentionlab.experiments.bench.LogLogFit;
import attentionlab.experiments.bench.MachineLoad;
import attentionlab.experiments.bench.OpProfile;
import attentionlab.experiments.bench.Sweep;
import attentionlab.experiments.claims.Check;
import attentionlab.experiments.claims.Claim;
import attentionlab.experiments.claims.ClaimContext;
import attentionlab.experiments.claims.ClaimNotRunnable;
import attentionlab.experiments.io.Format;
import attentionlab.experiments.plot.Charts;
import attentionlab.models.kernel.AttentionKernels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;

/**
 * Homework 6(c, d): softmax attention costs O(N^2 max(D, M)) time and O(max(N^2, N D, N M)) memory;
 * quadratic-kernel attention in linear form costs O(N D^2 M) time and O(max(N D^2, D^2 M)) memory.
 * Big-O is an upper bound on operation counts, so the claim is tested on what the engine executed:
 * <ol type="a">
 *   <li>operation counts: every op of one forward pass, with its input shapes, from PyTorch's profiler
 *       ({@link OpProfile}); FLOPs / (N D^2 M) and FLOPs / (N^2 max(D, M)) stay within a band over
 *       N x D x M, and FLOPs grow as N (linear form) and N^2 (softmax) exactly; the bytes the forward
 *       leaves allocated (everything backward may read) against the memory terms, the same way;</li>
 *   <li>time as an upper bound ({@link AttentionTiming}, the engine {@code lab bench attention-scaling} times
 *       the same kernels with): fitted log-log slopes no steeper than the
 *       prediction beyond their 95% interval, and time / O-term at the top of each sweep no larger than
 *       {@value ComplexityJudge#TOP_OVER_MIDDLE} x its value in the middle;</li>
 *   <li>reported, not judged: the two-term fit of the linear form's time (feature maps ~ N F against
 *       products ~ N F (M+1)) and the products' share of the time and of the FLOPs.</li>
 * </ol>
 * The bands and their reasons are in {@link ComplexityJudge}. Timing is not judged on a busy machine
 * (the claim is then not run: "not measured: machine busy"), nor in quick mode (two sizes, one
 * round: two-point slopes have no interval).
 */
public final class ComplexityClaim implements Claim<ComplexityClaim.Measured> {

    /** The mode the claim times. */
    static final String FORWARD = AttentionTiming.MODES.get(0);

    /**
     * What to measure.
     *
     * @param softmaxKernel the registered kernel in the softmax role
     * @param linearKernel the registered kernel in the linear-form role
     * @param countN N of the operation counts
     * @param countD D of the operation counts; M runs over D/2, D, 2D
     * @param timing the timing plan (forward), or null to count operations only
     */
    public record Plan(String softmaxKernel, String linearKernel, List<Integer> countN, List<Integer> countD,
                       AttentionTiming.Plan timing) {

        public static Plan full() {
            return new Plan("softmax", "quadratic", List.of(1024, 4096, 16384), List.of(16, 32, 64, 128), AttentionTiming.Plan.full());
        }

        public static Plan quick() {
            return new Plan("softmax", "quadratic", List.of(1024, 4096), List.of(16, 32), AttentionTiming.Plan.quick());
        }
    }

    /**
     * One counted forward pass.
     *
     * @param role "softmax" or "linear"
     * @param productFlops FLOPs of the matrix products (mm, bmm, addmm)
     */
    public record Count(String role, String kernel, int n, int d, int m, OpProfile profile, double productFlops) {}

    /**
     * @param timing null when not measured (see {@code timingNote})
     * @param timingNote why timing is not judged, or null when it is
     */
    public record Measured(Plan plan, List<Count> counts, AttentionTiming.Result timing, String timingNote) {}

    private final Plan plan;
    private final Sweep.Timer timer;

    /** The claim of {@code lab reproduce}: full or quick plan by the context, timed by the engine with one thread. */
    public ComplexityClaim() {
        this(null, Sweep.engine(1));
    }

    /** A claim with a fixed plan and timer (tests: planted kernels, small sizes, fake timings). */
    public ComplexityClaim(Plan plan, Sweep.Timer timer) {
        this.plan = plan;
        this.timer = timer;
    }

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
                + " memory O(max(N D^2, D^2 M))";
    }

    @Override
    public String tolerance() {
        return ComplexityJudge.TOLERANCE;
    }

    @Override
    public Measured measure(ClaimContext context) throws ClaimNotRunnable {
        Plan p = plan != null ? plan : context.quick() ? Plan.quick() : Plan.full();
        List<Count> counts = counts(p, context::log);
        if (p.timing() == null) {
            return new Measured(p, counts, null, "timing not measured (operation counts only)");
        }
        String busy = MachineLoad.busyNow(timer);
        if (busy != null) {
            throw new ClaimNotRunnable(busy);
        }
        AttentionTiming.Result timing = AttentionTiming.measure(p.timing(), List.of(p.softmaxKernel(), p.linearKernel()), timer,
                context::log);
        if (timing.load().busy()) {
            throw new ClaimNotRunnable(timing.load().busyReason());
        }
        for (AttentionTiming.Time t : timing.times()) {
            if (!t.measured()) {
                throw new ClaimNotRunnable("not measured: " + t.kernel() + " at N = " + t.n() + ", D = " + t.d() + " " + t.skipped());
            }
        }
        for (String sweep : List.of("N", "D")) {
            context.figure(timeChart(timing, sweep), "time-vs-" + sweep);
        }
        String note = p.timing().rounds() < 2
                ? "time not judged in quick mode: " + p.timing().rounds() + " round at " + p.timing().sizesN().size()
                + " sizes gives slopes without a confidence interval"
                : null;
        return new Measured(p, counts, timing, note);
    }

    /** Counts one forward pass of each kernel at every (N, D, M) of the plan. */
    static List<Count> counts(Plan p, java.util.function.Consumer<String> log) {
        List<Count> counts = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int d : p.countD()) {
                for (int m : new int[] {d / 2, d, 2 * d}) {
                    for (int n : p.countN()) {
                        counts.add(count(manager, "softmax", p.softmaxKernel(), n, d, m));
                        counts.add(count(manager, "linear", p.linearKernel(), n, d, m));
                    }
                    log.accept(String.format(Locale.ROOT, "counted D=%d M=%d at N=%s", d, m, p.countN()));
                }
            }
        }
        return counts;
    }

    private static Count count(NDManager manager, String role, String kernel, int n, int d, int m) {
        Engine.getInstance().setRandomSeed(0);
        try (AttentionWorkload w = new AttentionWorkload(manager, AttentionKernels.create(kernel), n, d, m, false, false)) {
            OpProfile profile = OpProfile.of(w::run);
            double products = profile.ops().entrySet().stream()
                    .filter(e -> List.of("aten::mm", "aten::bmm", "aten::addmm", "aten::baddbmm").contains(e.getKey()))
                    .mapToDouble(e -> e.getValue().flops()).sum();
            return new Count(role, kernel, n, d, m, profile, products);
        }
    }

    @Override
    public String note(Measured m) {
        StringBuilder note = new StringBuilder(ComplexityJudge.twoTermReport(m));
        if (m.timingNote() != null) {
            note.append(' ').append(m.timingNote()).append('.');
        }
        if (m.timing() != null) {
            note.append(" Timing: ").append(m.timing().load().describe()).append(", ")
                    .append(Format.number(m.timing().load().seconds())).append(" s.");
        }
        return note.toString().strip();
    }

    @Override
    public List<Check> judge(Measured m) {
        return ComplexityJudge.judge(m);
    }

    /** Every round's forward time against N or D, with each kernel's fit. */
    private static XYChart timeChart(AttentionTiming.Result r, String sweep) {
        AttentionTiming.Plan plan = r.plan();
        XYChart chart = Charts.lineChart("Forward time vs " + sweep + (sweep.equals("N") ? " (D = M = " + plan.fixedD() + ")"
                : " = M (N = " + plan.fixedN() + ")"), sweep, "seconds per call (each round)");
        chart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true);
        List<String> kernels = r.times().stream().map(AttentionTiming.Time::kernel).distinct().toList();
        for (int i = 0; i < kernels.size(); i++) {
            List<double[]> s = AttentionTiming.samples(r, sweep, kernels.get(i), FORWARD);
            double[] x = s.stream().mapToDouble(p -> p[0]).toArray();
            Charts.points(chart, kernels.get(i) + " (" + s.size() + " samples)", x, s.stream().mapToDouble(p -> p[1]).toArray(),
                    Charts.color(i));
            LogLogFit fit = AttentionTiming.fit(r, sweep, kernels.get(i), FORWARD);
            if (fit != null) {
                double[] xs = Arrays.stream(x).distinct().sorted().toArray();
                Charts.line(chart, kernels.get(i) + " fit: " + sweep + "^" + fit.describe(), xs, Arrays.stream(xs).map(fit::predict).toArray(),
                        Charts.color(i));
            }
        }
        return chart;
    }
}
