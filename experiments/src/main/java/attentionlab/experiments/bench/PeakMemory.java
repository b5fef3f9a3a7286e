package attentionlab.experiments.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Peak memory of workloads, measured in a child JVM so that nothing the parent (or an earlier size)
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
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.add("-Xmx512m");
        command.add("-Dai.djl.offline=true");
        command.add("-Djava.awt.headless=true");
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=error");
        for (String property : List.of("ai.djl.pytorch.num_threads", "ai.djl.pytorch.num_interop_threads")) {
            if (System.getProperty(property) != null) {
                command.add("-D" + property + "=" + System.getProperty(property));
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(PeakMemory.class.getName());
        workloads.forEach(w -> command.add(String.join(" ", w)));
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            if (pinMmap) {
                builder.environment().put("MALLOC_MMAP_THRESHOLD_", "131072");
            }
            Process child = builder.start();
            byte[] out;
            try (var in = child.getInputStream()) {
                out = in.readAllBytes();
            }
            if (!child.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                child.destroyForcibly();
                throw new IllegalStateException("peak-memory child for " + workloads + " timed out after " + timeoutSeconds + " s");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            List<Measurement> measurements = new ArrayList<>();
            for (String line : text.split("\n")) {
                if (line.startsWith(RESULT)) {
                    String[] f = line.substring(RESULT.length()).trim().split(" ");
                    measurements.add(new Measurement(Long.parseLong(f[0]), Long.parseLong(f[1]), Boolean.parseBoolean(f[2])));
                }
            }
            if (measurements.size() != workloads.size()) {
                String[] lines = text.strip().split("\n");
                throw new IllegalStateException("peak-memory child for " + workloads + " exited with " + child.exitValue()
                        + " after " + measurements.size() + " of " + workloads.size() + " workloads: " + lines[lines.length - 1]);
            }
            return measurements;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a child JVM for " + workloads + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring " + workloads, e);
        }
    }

    /** Child entry point: one argument per workload; prints {@code peak-memory <peak> <baseline> <resetWorked>} each. */
    public static void main(String[] args) {
        Engine.getInstance().setRandomSeed(0);
        try (NDManager manager = NDManager.newBaseManager()) {
            run(manager, args[0].split(" "), true); // loads the engine's kernels at a tiny size
            for (String workload : args) {
                System.gc();
                boolean reset = Machine.resetPeakRss();
                long baseline = Machine.rssBytes();
                run(manager, workload.split(" "), false);
                long peak = Machine.peakRssBytes();
                System.out.println(RESULT + Math.max(0, peak - baseline) + " " + baseline + " " + reset);
            }
        }
    }

    private static void run(NDManager manager, String[] args, boolean tiny) {
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
