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

    public record Result(Peak peak, List<KernelFraction> kernels) {}

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
        return new Result(peak, kernels);
    }

    public static KernelFraction fraction(String kernel, int n, AttentionCost cost, double seconds, Peak peak) {
        double achieved = cost.flops() / seconds / 1e9;
        double memoryBound = peak.bandwidthGbs() * cost.arithmeticIntensity();
        double bound = Math.min(peak.matmulGflops(), memoryBound);
        return new KernelFraction(kernel, n, cost.flops(), cost.bytes(), cost.arithmeticIntensity(), achieved, bound,
                memoryBound < peak.matmulGflops() ? "memory" : "compute", achieved / bound);
    }

    /** Measures matMul GFLOP/s and memory bandwidth through the engine. */
    public static Peak measurePeak(NDManager parent, int repeats) {
        try (NDManager m = parent.newSubManager()) {
            NDArray a = m.randomUniform(-1, 1, new Shape(MATMUL_SIZE, MATMUL_SIZE));
            NDArray b = m.randomUniform(-1, 1, new Shape(MATMUL_SIZE, MATMUL_SIZE));
            Stats matmul = Stats.time(1, repeats, () -> {
                try (NDManager step = m.newSubManager()) {
                    a.matMul(b).attach(step);
                }
            });
            NDArray x = m.ones(new Shape(STREAM_ELEMENTS));
            double bytes = 2.0 * STREAM_ELEMENTS * 4; // read + write
            Stats inPlace = Stats.time(1, repeats, () -> x.muli(1.0f));
            Stats fresh = Stats.time(1, repeats, () -> {
                try (NDManager step = m.newSubManager()) {
                    x.duplicate().attach(step);
                }
            });
            return new Peak(2.0 * Math.pow(MATMUL_SIZE, 3) / matmul.median() / 1e9, bytes / inPlace.median() / 1e9,
                    bytes / fresh.median() / 1e9);
        }
    }
}
