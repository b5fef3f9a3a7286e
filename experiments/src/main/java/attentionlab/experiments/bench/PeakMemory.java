package attentionlab.experiments.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Peak memory of workloads, measured in a {@link ChildJvm} so that nothing the parent (or an earlier size)
 * allocated is reused: the child loads the engine, runs the first workload once at a tiny size, then
 * for each workload resets its peak RSS (/proc/self/clear_refs), runs it, and reports VmHWM minus the
 * RSS it started from. Native (PyTorch) and Java memory are both counted.
 *
 * <p>{@link #measure} runs one workload per fresh JVM. {@link #measureSeries} runs several in one JVM,
 * with glibc's mmap threshold pinned at 128 KiB (MALLOC_MMAP_THRESHOLD_) so that every freed large
 * block goes back to the OS and cannot hide the next workload's allocations; it saves one JVM start
 * per size.
 *
 * <p>Workloads, by their first word: {@code attention KERNEL N D M BACKWARD},
 * {@code decode G B D H N}, {@code train MODEL STEPS}.
 */
public final class PeakMemory {

    private static final String RESULT = "peak-memory ";

    private PeakMemory() {}

    /**
     * @param peakBytes VmHWM during the workload minus the RSS before it
     * @param baselineBytes RSS of the warmed-up child before the workload
     * @param resetWorked whether the peak could be reset before the workload (if not, it may include earlier work)
     */
    public record Measurement(long peakBytes, long baselineBytes, boolean resetWorked) {}

    /**
     * Runs one workload in a fresh child JVM.
     *
     * @throws IllegalStateException naming the workload if the child fails or exceeds {@code timeoutSeconds}
     */
    public static Measurement measure(List<String> workload, long timeoutSeconds) {
        return measureSeries(List.of(workload), timeoutSeconds, false).get(0);
    }

    /**
     * Runs the workloads one after another in one child JVM (see the class comment).
     *
     * @throws IllegalStateException naming the workloads if the child fails or exceeds {@code timeoutSeconds}
     */
    public static List<Measurement> measureSeries(List<List<String>> workloads, long timeoutSeconds) {
        return measureSeries(workloads, timeoutSeconds, true);
    }

    private static List<Measurement> measureSeries(List<List<String>> workloads, long timeoutSeconds, boolean pinMmap) {
        String what = "peak memory of " + workloads;
        ChildJvm.Output out = ChildJvm.run(what, ChildJvm.engineFlags("512m", 0), PeakMemory.class,
                workloads.stream().map(w -> String.join(" ", w)).toList(),
                pinMmap ? Map.of("MALLOC_MMAP_THRESHOLD_", "131072") : Map.of(), timeoutSeconds, line -> { });
        List<Measurement> measurements = new ArrayList<>();
        for (String line : out.lines()) {
            if (line.startsWith(RESULT)) {
                String[] f = line.substring(RESULT.length()).trim().split(" ");
                measurements.add(new Measurement(Long.parseLong(f[0]), Long.parseLong(f[1]), Boolean.parseBoolean(f[2])));
            }
        }
        if (measurements.size() != workloads.size()) {
            throw new IllegalStateException(what + ": child JVM exited with " + out.exitCode() + " after " + measurements.size()
                    + " of " + workloads.size() + " workloads: " + out.tail());
        }
        return measurements;
    }

    /** Child entry point: one argument per workload; prints {@code peak-memory <peak> <baseline> <resetWorked>} each. */
    public static void main(String[] args) {
        Engine.getInstance().setRandomSeed(0);
        try (NDManager manager = NDManager.newBaseManager()) {
            workload(manager, args[0].split(" "), true); // loads the engine's kernels at a tiny size
            for (String workload : args) {
                System.gc();
                boolean reset = Machine.resetPeakRss();
                long baseline = Machine.rssBytes();
                workload(manager, workload.split(" "), false);
                long peak = Machine.peakRssBytes();
                System.out.println(RESULT + Math.max(0, peak - baseline) + " " + baseline + " " + reset);
            }
        }
    }

    private static void workload(NDManager manager, String[] args, boolean tiny) {
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args.length == 0 ? "" : args[0]) {
            case "attention" -> AttentionScaling.probe(manager, rest, tiny);
            case "decode" -> DecodeBenchmark.probe(manager, rest, tiny);
            case "train" -> TrainBenchmark.probe(manager, rest, tiny);
            default -> throw new IllegalArgumentException("unknown workload " + Arrays.toString(args)
                    + "; expected attention|decode|train ...");
        }
    }
}
