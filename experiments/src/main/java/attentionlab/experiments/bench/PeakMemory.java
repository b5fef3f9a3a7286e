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
 * Peak memory of one workload, measured in a fresh child JVM so that no earlier allocation (of the
 * parent, or of a previous size) is reused: the child loads the engine, runs the workload once at a
 * tiny size, resets its peak RSS (/proc/self/clear_refs), runs the workload at the requested size and
 * reports VmHWM minus the RSS it started from. Native (PyTorch) and Java memory are both counted.
 *
 * <p>Workloads, by their first argument: {@code attention KERNEL N D M BACKWARD},
 * {@code decode G B D H N}, {@code train MODEL STEPS}.
 */
public final class PeakMemory {

    private static final String RESULT = "peak-memory ";

    private PeakMemory() {}

    /**
     * @param peakBytes VmHWM during the workload minus the RSS before it
     * @param baselineBytes RSS of the warmed-up child before the workload
     * @param resetWorked whether the peak could be reset after warm-up (if not, the peak may include it)
     */
    public record Measurement(long peakBytes, long baselineBytes, boolean resetWorked) {}

    /**
     * Runs the workload in a child JVM.
     *
     * @throws IllegalStateException naming the workload if the child fails or exceeds {@code timeoutSeconds}
     */
    public static Measurement measure(List<String> workload, long timeoutSeconds) {
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
        command.addAll(workload);
        try {
            Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out;
            try (var in = child.getInputStream()) {
                out = in.readAllBytes();
            }
            if (!child.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                child.destroyForcibly();
                throw new IllegalStateException("peak-memory child for " + workload + " timed out after " + timeoutSeconds + " s");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            for (String line : text.split("\n")) {
                if (line.startsWith(RESULT)) {
                    String[] f = line.substring(RESULT.length()).trim().split(" ");
                    return new Measurement(Long.parseLong(f[0]), Long.parseLong(f[1]), Boolean.parseBoolean(f[2]));
                }
            }
            String[] lines = text.strip().split("\n");
            throw new IllegalStateException("peak-memory child for " + workload + " exited with " + child.exitValue()
                    + ": " + lines[lines.length - 1]);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a child JVM for " + workload + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring " + workload, e);
        }
    }

    /** Child entry point: prints {@code peak-memory <peak> <baseline> <resetWorked>}. */
    public static void main(String[] args) {
        Engine.getInstance().setRandomSeed(0);
        try (NDManager manager = NDManager.newBaseManager()) {
            run(manager, args, true); // loads the engine's kernels at a tiny size
            System.gc();
            boolean reset = Machine.resetPeakRss();
            long baseline = Machine.rssBytes();
            run(manager, args, false);
            long peak = Machine.peakRssBytes();
            System.out.println(RESULT + Math.max(0, peak - baseline) + " " + baseline + " " + reset);
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
