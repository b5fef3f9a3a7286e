package attentionlab.experiments.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The physical limit: the machine's matMul rate and memory bandwidth, measured through the engine,
 * and each kernel's achieved rate as a fraction of its roofline bound
 * {@code min(peak FLOP/s, bandwidth x arithmetic intensity)}, with FLOPs and bytes from
 * {@link AttentionCost} (forward pass).
 */
public final class Roofline {

    /** Side of the square matMul that measures peak FLOP/s: 2 S^3 FLOPs. */
    public static final int MATMUL_SIZE = 2048;
    /** Elements of the array whose in-place scaling measures bandwidth (256 MiB of float32). */
    public static final long STREAM_ELEMENTS = 64L << 20;

    private Roofline() {}

    /**
     * @param matmulGflops S x S float32 matMul, 2 S^3 FLOPs per call
     * @param bandwidthGbs in-place x *= c over 256 MiB: read + write, no allocation
     * @param freshCopyGbs the same bytes copied into a freshly allocated array (includes page faults,
     *                     as every op that allocates its output pays them)
     */
    public record Peak(@JsonProperty("matmul_gflops") double matmulGflops,
                       @JsonProperty("bandwidth_gbs") double bandwidthGbs,
                       @JsonProperty("fresh_copy_gbs") double freshCopyGbs) {}

    /**
     * @param boundGflops min(peak, bandwidth x intensity)
     * @param boundBy "compute" or "memory"
     * @param fraction achieved / bound
     */
    public record KernelFraction(String kernel, int n, double flops, double bytes,
                                 @JsonProperty("arithmetic_intensity") double arithmeticIntensity,
                                 @JsonProperty("achieved_gflops") double achievedGflops,
                                 @JsonProperty("bound_gflops") double boundGflops,
                                 @JsonProperty("bound_by") String boundBy, double fraction) {}

    /**
     * One engine op of a kernel's forward pass at the largest N, timed alone: where the time goes.
     *
     * @param bytes bytes the op must read and write
     * @param gbs bytes / median seconds
     */
    public record OpTime(String kernel, String op, RepeatStats seconds, double bytes, double gbs) {}

    public record Result(Peak peak, List<KernelFraction> kernels, List<OpTime> ops) {}

    /** Measures the machine, then places the forward rows at N = {@code n} under its roofline. */
    static Result run(NDManager manager, List<AttentionScaling.Row> rows, int n, int d, int repeats, Consumer<String> log) {
        Peak peak = measurePeak(manager, Math.max(3, repeats));
        log.accept(String.format(Locale.ROOT, "  machine: matMul %.1f GFLOP/s, bandwidth %.1f GB/s in place (%.1f GB/s into fresh memory)",
                peak.matmulGflops(), peak.bandwidthGbs(), peak.freshCopyGbs()));
        List<KernelFraction> kernels = new ArrayList<>();
        for (AttentionScaling.Row r : rows) {
            if (r.sweep().equals("N") && r.n() == n && r.d() == d && r.mode().equals("forward") && r.seconds() != null) {
                kernels.add(fraction(r.kernel(), n, AttentionCost.of(r.kernel(), n, d, d), r.seconds().median(), peak));
            }
        }
        return new Result(peak, kernels, ops(manager, n, d, Math.max(3, repeats)));
    }

    /** Times the ops of both kernels' forward pass one by one at N, D = M. */
    static List<OpTime> ops(NDManager parent, int n, int d, int repeats) {
        List<OpTime> ops = new ArrayList<>();
        try (NDManager m = parent.newSubManager()) {
            NDArray q = m.randomNormal(new Shape(1, 1, n, d));
            NDArray k = m.randomNormal(new Shape(1, 1, n, d));
            NDArray v = m.randomNormal(new Shape(1, 1, n, d));
            NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)); // [1,1,N,N]
            NDArray weights = scores.softmax(-1);
            double nn = 4.0 * n * n;
            ops.add(op(m, "softmax", "Q K^T (matMul into a fresh N x N array)", nn + 8.0 * n * d, repeats,
                    s -> q.matMul(k.transpose(0, 1, 3, 2))));
            ops.add(op(m, "softmax", "softmax over N x N (fresh output)", 2 * nn, repeats, s -> scores.softmax(-1)));
            ops.add(op(m, "softmax", "weights x V (matMul reading N x N)", nn + 8.0 * n * d, repeats, s -> weights.matMul(v)));
            ops.add(op(m, "softmax", "reference: x * 1 over N x N into a fresh array", 2 * nn, repeats, s -> scores.mul(1f)));
            ops.add(op(m, "softmax", "reference: x *= 1 over N x N in place", 2 * nn, repeats, s -> {
                scores.muli(1f);
                return null;
            }));
            attentionlab.models.kernel.FeatureMap phi = new attentionlab.models.kernel.QuadraticFeatureMap();
            double f = AttentionCost.features(d);
            NDArray phiQ = phi.apply(q); // [1,1,N,F]
            NDArray phiK = phi.apply(k);
            NDArray kv = phiK.transpose(0, 1, 3, 2).matMul(v); // [1,1,F,M]
            ops.add(op(m, "quadratic", "phi(Q): [N,D] -> [N,F]", 4.0 * n * (d + f), repeats, s -> phi.apply(q)));
            ops.add(op(m, "quadratic", "phi(K)^T V -> [F,M]", 4.0 * n * (f + d), repeats, s -> phiK.transpose(0, 1, 3, 2).matMul(v)));
            ops.add(op(m, "quadratic", "sum_j phi(K_j) -> [F]", 4.0 * n * f, repeats, s -> phiK.sum(new int[] {2}, true)));
            ops.add(op(m, "quadratic", "phi(Q) (phi(K)^T V) -> [N,M]", 4.0 * n * (f + d), repeats, s -> phiQ.matMul(kv)));
        }
        return ops;
    }

    private static OpTime op(NDManager m, String kernel, String name, double bytes, int repeats,
                             java.util.function.Function<NDManager, NDArray> body) {
        RepeatStats seconds = RepeatStats.time(1, repeats, () -> {
            try (NDManager s = m.newSubManager()) {
                NDArray out = body.apply(s);
                if (out != null) {
                    out.attach(s);
                }
            }
        });
        return new OpTime(kernel, name, seconds, bytes, bytes / seconds.median() / 1e9);
    }

    public static KernelFraction fraction(String kernel, int n, AttentionCost cost, double seconds, Peak peak) {
        double achieved = cost.flops() / seconds / 1e9;
        double memoryBound = peak.bandwidthGbs() * cost.arithmeticIntensity();
        double bound = Math.min(peak.matmulGflops(), memoryBound);
        return new KernelFraction(kernel, n, cost.flops(), cost.bytes(), cost.arithmeticIntensity(), achieved, bound,
                memoryBound < peak.matmulGflops() ? "memory" : "compute", achieved / bound);
    }

    /**
     * Measures matMul GFLOP/s and memory bandwidth with the timing engine ({@link Sweep}, {@link RooflineBench}):
     * one engine thread, as every other timing.
     */
    public static Peak measurePeak(int rounds, Consumer<String> log) {
        return measurePeak(rounds, MATMUL_SIZE, STREAM_ELEMENTS, log);
    }

    /** {@link #measurePeak(int, Consumer)} at other sizes (quick runs: smaller, less faithful). */
    public static Peak measurePeak(int rounds, int matmulSize, long streamElements, Consumer<String> log) {
        List<Sweep.Point> points = List.of(
                new Sweep.Point("RooflineBench", Sweep.params("op", "matmul", "size", matmulSize)),
                new Sweep.Point("RooflineBench", Sweep.params("op", "stream", "size", streamElements)),
                new Sweep.Point("RooflineBench", Sweep.params("op", "fresh-copy", "size", streamElements)));
        List<Sweep.Measured> m = Sweep.run(points, Sweep.Settings.timed(rounds, 1, 3, 0.3, 300), log);
        for (Sweep.Measured x : m) {
            if (!x.ok()) {
                throw new IllegalStateException("roofline " + x.point().describe() + " failed: " + x.error());
            }
        }
        double bytes = 2.0 * streamElements * 4; // read + write
        return new Peak(2.0 * Math.pow(matmulSize, 3) / m.get(0).stats().median() / 1e9, bytes / m.get(1).stats().median() / 1e9,
                bytes / m.get(2).stats().median() / 1e9);
    }

    /** Measures matMul GFLOP/s and memory bandwidth through the engine, in this JVM. */
    public static Peak measurePeak(NDManager parent, int repeats) {
        try (NDManager m = parent.newSubManager()) {
            NDArray a = m.randomUniform(-1, 1, new Shape(MATMUL_SIZE, MATMUL_SIZE));
            NDArray b = m.randomUniform(-1, 1, new Shape(MATMUL_SIZE, MATMUL_SIZE));
            RepeatStats matmul = RepeatStats.time(1, repeats, () -> {
                try (NDManager step = m.newSubManager()) {
                    a.matMul(b).attach(step);
                }
            });
            NDArray x = m.ones(new Shape(STREAM_ELEMENTS));
            double bytes = 2.0 * STREAM_ELEMENTS * 4; // read + write
            RepeatStats inPlace = RepeatStats.time(1, repeats, () -> x.muli(1.0f));
            RepeatStats fresh = RepeatStats.time(1, repeats, () -> {
                try (NDManager step = m.newSubManager()) {
                    x.duplicate().attach(step);
                }
            });
            return new Peak(2.0 * Math.pow(MATMUL_SIZE, 3) / matmul.median() / 1e9, bytes / inPlace.median() / 1e9,
                    bytes / fresh.median() / 1e9);
        }
    }
}
