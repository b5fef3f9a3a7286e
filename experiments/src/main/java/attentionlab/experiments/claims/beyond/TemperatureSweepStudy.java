package attentionlab.experiments.claims.beyond;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import attentionlab.experiments.claims.ClaimContext;
import attentionlab.experiments.claims.Study;
import attentionlab.experiments.io.Format;
import attentionlab.experiments.plot.Charts;
import attentionlab.models.attention.MultiHeadAttention;
import attentionlab.models.kernel.AttentionKernel;
import attentionlab.models.kernel.AttentionKernels;
import attentionlab.models.kernel.KernelOptions;
import attentionlab.models.reference.ParameterNames;
import attentionlab.models.reference.Samples;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;

/**
 * Softmax with temperature T, softmax(Q K^T / (sqrt(d_k) T)), approaches argmax as T -> 0: how fast
 * does the gradient reaching W_q and W_k vanish? One multi-head block (d_model 32, 4 heads, the same
 * initial weights for every T), random inputs x [8,16,32] and a random linear read-out
 * L = sum(y * R); Frobenius norms of dL/dW averaged over draws, next to argmax's exact zero.
 */
public final class TemperatureSweepStudy implements Study<TemperatureSweepStudy.Measured> {

    /** Values below this are drawn on the chart's zero floor (claims.json keeps them exactly). */
    static final double DISPLAY_FLOOR = 1e-9;

    static final double[] TEMPERATURES = {4, 2, 1, 0.5, 0.25, 0.1, 0.05, 0.02, 0.01, 0.005, 1e-3, 3e-4, 1e-4, 3e-5, 1e-5, 3e-6, 1e-6};

    /**
     * One temperature (T = 0 marks argmax), averaged over draws.
     *
     * @param maxWeight mean over rows of the largest attention weight
     * @param softRows fraction of attention rows whose largest weight is below 0.99 (not yet one-hot)
     */
    public record Point(double temperature, double gradWq, double gradWk, double gradWv, double maxWeight, double softRows) {}

    public record Measured(int draws, List<Point> softmax, Point argmax) {}

    @Override
    public String id() {
        return "temperature-sweep";
    }

    @Override
    public String title() {
        return "Softmax temperature -> 0: the gradient to W_q and W_k vanishes (approach to argmax)";
    }

    @Override
    public String question() {
        return "How do the gradient norms of W_q, W_k (and W_v for contrast) change as the softmax temperature T goes to 0,"
                + " where softmax becomes argmax (homework 2b)?";
    }

    @Override
    public Measured measure(ClaimContext context) {
        int draws = context.size("draws per temperature", 10, 3);
        List<Point> softmax = new ArrayList<>();
        for (double t : TEMPERATURES) {
            softmax.add(point(AttentionKernels.create("softmax", new KernelOptions(t, true)), t, draws));
        }
        Point argmax = point(AttentionKernels.create("argmax"), 0, draws);
        for (Point p : softmax) {
            context.log("T=" + p.temperature() + ": |grad W_q| " + Format.number(p.gradWq()) + ", |grad W_k| "
                    + Format.number(p.gradWk()) + ", |grad W_v| " + Format.number(p.gradWv()) + ", mean max weight "
                    + Format.number(p.maxWeight()) + ", soft rows " + Format.number(p.softRows()));
        }
        context.log("argmax: |grad W_q| " + argmax.gradWq() + ", |grad W_k| " + argmax.gradWk() + ", |grad W_v| "
                + Format.number(argmax.gradWv()));
        context.figure(chart(softmax, argmax), "grad-norm-vs-temperature");
        return new Measured(draws, softmax, argmax);
    }

    private static Point point(AttentionKernel kernel, double temperature, int draws) {
        double wq = 0;
        double wk = 0;
        double wv = 0;
        double maxWeight = 0;
        double softRows = 0;
        for (int draw = 0; draw < draws; draw++) {
            try (NDManager m = NDManager.newBaseManager()) {
                MultiHeadAttention mha = MultiHeadAttention.builder().setModelDim(32).setHeads(4).optKernel(kernel).build();
                Engine.getInstance().setRandomSeed(0); // the same weights at every temperature
                mha.initialize(m, DataType.FLOAT32, new Shape(8, 16, 32));
                for (Parameter p : mha.getParameters().values()) {
                    p.getArray().setRequiresGradient(true);
                }
                NDArray x = Samples.normal(m, 1000 + draw, DataType.FLOAT32, 8, 16, 32); // [B,N,d]
                NDArray readout = Samples.normal(m, 2000 + draw, DataType.FLOAT32, 8, 16, 32);
                ParameterStore ps = new ParameterStore(m, false);
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray y = mha.forward(ps, new NDList(x), true).head(); // [B,N,d]
                    collector.backward(y.mul(readout).sum());
                }
                wq += norm(mha, "W_q");
                wk += norm(mha, "W_k");
                wv += norm(mha, "W_v");
                NDArray largest = mha.attentionWeights(ps, new NDList(x)).max(new int[] {-1}); // [B,H,N,N] -> [B,H,N]
                maxWeight += largest.mean().getFloat();
                softRows += largest.lt(0.99f).toType(DataType.FLOAT32, false).mean().getFloat();
            }
        }
        return new Point(temperature, wq / draws, wk / draws, wv / draws, maxWeight / draws, softRows / draws);
    }

    private static double norm(MultiHeadAttention mha, String projection) {
        NDArray g = ParameterNames.find(mha, projection + "_weight").getArray().getGradient();
        return g.toType(DataType.FLOAT64, false).square().sum().sqrt().getDouble();
    }

    private static XYChart chart(List<Point> softmax, Point argmax) {
        double[] t = softmax.stream().mapToDouble(Point::temperature).toArray();
        double[] q = softmax.stream().mapToDouble(Point::gradWq).toArray();
        double[] k = softmax.stream().mapToDouble(Point::gradWk).toArray();
        double[] v = softmax.stream().mapToDouble(Point::gradWv).toArray();
        double smallest = Double.POSITIVE_INFINITY;
        for (double[] a : new double[][] {q, k, v}) {
            for (double x : a) {
                if (x > 0) {
                    smallest = Math.min(smallest, x);
                }
            }
        }
        double floor = Math.max(Charts.logFloor(smallest), DISPLAY_FLOOR);
        XYChart chart = Charts.lineChart("Gradient norm vs softmax temperature T",
                "temperature T", "||dL/dW||_F");
        chart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true);
        Charts.line(chart, "W_q (softmax)", t, atLeast(q, floor), Charts.color(0));
        Charts.line(chart, "W_k (softmax)", t, atLeast(k, floor), Charts.color(1));
        Charts.line(chart, "W_v (softmax)", t, atLeast(v, floor), Charts.color(2));
        double tMin = t[t.length - 1];
        Charts.points(chart, "argmax W_q, W_k: " + Format.number(argmax.gradWq()) + ", " + Format.number(argmax.gradWk()),
                new double[] {tMin / 2}, new double[] {Math.max(argmax.gradWq(), floor)}, Charts.color(3));
        Charts.points(chart, "argmax W_v: " + Format.number(argmax.gradWv()), new double[] {tMin / 2},
                new double[] {Math.max(argmax.gradWv(), floor)}, Charts.color(2));
        Charts.zeroFloor(chart, floor, tMin / 2, t[0], "exact 0 or below " + Format.number(floor) + " (drawn on this floor)");
        return chart;
    }

    private static double[] atLeast(double[] values, double floor) {
        double[] out = values.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.max(out[i], floor);
        }
        return out;
    }

    @Override
    public String findings(Measured m) {
        Point one = m.softmax().stream().filter(p -> p.temperature() == 1).findFirst().orElseThrow();
        Point peak = m.softmax().stream().max(java.util.Comparator.comparingDouble(Point::gradWq)).orElseThrow();
        Point coldest = m.softmax().get(m.softmax().size() - 1);
        return "The W_q gradient does not fade smoothly: from " + Format.number(one.gradWq()) + " at T=1 it grows to "
                + Format.number(peak.gradWq()) + " at T=" + Format.number(peak.temperature()) + " (the few rows still near a tie, "
                + Format.number(100 * peak.softRows()) + "% of rows not yet one-hot, get gradient ~1/T), then collapses to "
                + Format.number(coldest.gradWq()) + " at T=" + Format.number(coldest.temperature()) + " once T is below every row's"
                + " top-2 score gap (" + Format.number(100 * coldest.softRows()) + "% soft rows); argmax gives exactly "
                + Format.number(m.argmax().gradWq()) + " (W_q) and " + Format.number(m.argmax().gradWk()) + " (W_k), while |grad W_v|"
                + " tends to argmax's " + Format.number(m.argmax().gradWv()) + ". So the zero gradient of 2(b) is a limit reached"
                + " per input only when T is below its score gap; near it, training sees rare, large gradients.";
    }
}
