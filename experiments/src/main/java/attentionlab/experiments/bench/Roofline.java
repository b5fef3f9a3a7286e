package attentionlab.experiments.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import attentionlab.experiments.io.Json;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The physical limit: the machine's matMul rate and memory bandwidth, timed by the engine
 * ({@link RooflineBench}), and a kernel's achieved rate as a fraction of its roofline bound
 * {@code min(peak FLOP/s, bandwidth x arithmetic intensity)}, with FLOPs and bytes of the ops the kernel
 * executed ({@link OpProfile}) and its time per call from the engine.
 *
 * <p>Where the time goes inside a call comes from the profiler, not from JMH: each executed op's wall time
 * in one profiled call ({@link #profile}: a fresh {@link ChildJvm} with the engine's flags and thread count,
 * the call profiled after {@value #PROFILE_WARMUP} untimed ones, as a JMH fork warms up). JMH times whole calls; timing each op alone would mean
 * re-writing the kernel's ops by hand, which then drift from the kernel (and lose the cache state the
 * previous op leaves), while the profile shows the registered kernel's own ops.
 */
public final class Roofline {

    /** Side of the square matMul that measures peak FLOP/s: 2 S^3 FLOPs. */
    public static final int MATMUL_SIZE = 2048;
    /** Elements of the array whose in-place scaling measures bandwidth (256 MiB of float32). */
    public static final long STREAM_ELEMENTS = 64L << 20;

    /** Untimed calls before the profiled one in {@link #profile}. */
    static final int PROFILE_WARMUP = 2;

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
     * @param flops executed FLOPs of one call
     * @param bytes bytes its ops read and wrote
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
     * One op name of a kernel's profiled call: where the time goes.
     *
     * @param seconds the profiler's wall time of its calls in one kernel call
     * @param bytes bytes its calls read and wrote
     * @param gbs bytes / seconds
     */
    public record OpTime(String kernel, String op, int calls, double seconds, double flops, double bytes, double gbs) {}

    public record Result(Peak peak, List<KernelFraction> kernels, List<OpTime> ops) {}

    /**
     * Measures the machine's peak rates, then profiles each kernel's forward call at N, D = M in a child
     * JVM and places it under the roofline with its engine-timed seconds per call.
     *
     * @param secondsPerCall the engine's median seconds of each kernel's forward call at N
     * @param small measure the peak rates at small sizes (quick runs: less faithful)
     */
    static Result run(Sweep.Timer timer, Map<String, Double> secondsPerCall, int n, int d, int rounds, boolean small,
                      Consumer<String> log) {
        Peak peak = small ? measurePeak(timer, 1, 256, 1L << 20, log) : measurePeak(timer, rounds, MATMUL_SIZE, STREAM_ELEMENTS, log);
        log.accept(String.format(Locale.ROOT, "  machine: matMul %.1f GFLOP/s, bandwidth %.1f GB/s in place (%.1f GB/s into fresh memory)",
                peak.matmulGflops(), peak.bandwidthGbs(), peak.freshCopyGbs()));
        List<KernelFraction> kernels = new ArrayList<>();
        List<OpTime> ops = new ArrayList<>();
        secondsPerCall.forEach((kernel, seconds) -> {
            OpProfile profile = profile(kernel, n, d, timer.threads(), 600);
            kernels.add(fraction(kernel, n, profile, seconds, peak));
            profile.ops().entrySet().stream().sorted((a, b) -> Double.compare(b.getValue().seconds(), a.getValue().seconds()))
                    .forEach(e -> ops.add(new OpTime(kernel, e.getKey(), e.getValue().calls(), e.getValue().seconds(),
                            e.getValue().flops(), e.getValue().bytes(), e.getValue().bytesPerSecond() / 1e9)));
        });
        return new Result(peak, kernels, ops);
    }

    /**
     * Profiles one forward call of a kernel on Q, K, V [1,1,N,D] (its inputs made beforehand) in a fresh
     * child JVM with {@code threads} engine threads, after {@value #PROFILE_WARMUP} untimed calls.
     *
     * @throws IllegalStateException naming the kernel if the child fails or exceeds {@code timeoutSeconds}
     */
    static OpProfile profile(String kernel, int n, int d, int threads, long timeoutSeconds) {
        String what = "op profile of " + kernel + " at N = " + n + ", D = " + d;
        return ChildJvm.withTempFile("attention-lab-op-profile", result -> {
            ChildJvm.Output out = ChildJvm.run(what, ChildJvm.engineFlags("1g", threads), Roofline.class,
                    List.of(result.toString(), kernel, "" + n, "" + d), Map.of(), timeoutSeconds, line -> { });
            if (out.exitCode() != 0 || result.toFile().length() == 0) {
                throw new IllegalStateException(what + ": child JVM exited with " + out.exitCode() + ": " + out.tail());
            }
            return Json.read(result, OpProfile.class);
        });
    }

    /** Child entry of {@link #profile}: {@code RESULT_FILE KERNEL N D}. */
    public static void main(String[] args) {
        Engine.getInstance().setRandomSeed(0);
        int n = Integer.parseInt(args[2]);
        int d = Integer.parseInt(args[3]);
        try (NDManager manager = NDManager.newBaseManager();
             AttentionWorkload w = new AttentionWorkload(manager, args[1], n, d, d, false)) {
            for (int i = 0; i < PROFILE_WARMUP; i++) {
                w.run();
            }
            Json.write(Path.of(args[0]), OpProfile.of(w::run));
        }
    }

    /** The executed FLOPs and bytes of one call taking {@code seconds}, under the roofline of {@code peak}. */
    public static KernelFraction fraction(String kernel, int n, OpProfile profile, double seconds, Peak peak) {
        double intensity = profile.flops() / profile.bytesMoved();
        double achieved = profile.flops() / seconds / 1e9;
        double memoryBound = peak.bandwidthGbs() * intensity;
        double bound = Math.min(peak.matmulGflops(), memoryBound);
        return new KernelFraction(kernel, n, profile.flops(), profile.bytesMoved(), intensity, achieved, bound,
                memoryBound < peak.matmulGflops() ? "memory" : "compute", achieved / bound);
    }

    /**
     * Measures matMul GFLOP/s (S = {@code matmulSize}) and memory bandwidth ({@code streamElements} floats)
     * with the timing engine.
     *
     * @throws IllegalStateException if one of them fails
     */
    public static Peak measurePeak(Sweep.Timer timer, int rounds, int matmulSize, long streamElements, Consumer<String> log) {
        List<Sweep.Point> points = List.of(
                new Sweep.Point("RooflineBench", Sweep.params("op", "matmul", "size", matmulSize)),
                new Sweep.Point("RooflineBench", Sweep.params("op", "stream", "size", streamElements)),
                new Sweep.Point("RooflineBench", Sweep.params("op", "fresh-copy", "size", streamElements)));
        List<Sweep.Measured> m = timer.run(points, Sweep.Settings.timed(rounds, 1, 3, 0.3, 300), log);
        for (Sweep.Measured x : m) {
            if (!x.ok()) {
                throw new IllegalStateException("roofline " + x.point().describe() + " failed: " + x.error());
            }
        }
        double bytes = 2.0 * streamElements * 4; // read + write
        return new Peak(2.0 * Math.pow(matmulSize, 3) / m.get(0).stats().median() / 1e9, bytes / m.get(1).stats().median() / 1e9,
                bytes / m.get(2).stats().median() / 1e9);
    }
}
