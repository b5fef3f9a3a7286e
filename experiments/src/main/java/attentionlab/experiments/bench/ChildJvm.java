package attentionlab.experiments.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The one way measurements leave this JVM: a fresh child JVM on the same class path, started with
 * the engine's flags (offline DJL, the parent's engine thread counts unless given, headless, quiet
 * logging), killed with every process it started (JMH forks included) when it outlives its timeout,
 * so that a hung native call cannot hang {@code reproduce} or {@code bench}. Used by {@link Sweep}
 * (timing) and {@link PeakMemory} (peak resident memory).
 */
public final class ChildJvm {

    private ChildJvm() {}

    /**
     * What a child printed on standard output (standard error merged), line by line.
     *
     * @param exitCode the child's exit code
     */
    public record Output(List<String> lines, int exitCode) {

        /** The last few lines, for error messages. */
        public String tail() {
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        }
    }

    /** Thrown when a child exceeds its time limit; the child and its descendants have been killed. */
    public static final class TimeoutException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        TimeoutException(String message) {
            super(message);
        }
    }

    /**
     * The engine flags of a child: offline DJL, headless, warnings only, the given heap; engine thread
     * counts from {@code threads} (0: the parent's settings, if any).
     */
    public static List<String> engineFlags(String heap, int threads) {
        List<String> flags = new ArrayList<>(List.of("-Xmx" + heap, "-Dai.djl.offline=true", "-Djava.awt.headless=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=error"));
        if (threads > 0) {
            flags.add("-Dai.djl.pytorch.num_threads=" + threads);
            flags.add("-Dai.djl.pytorch.num_interop_threads=1");
        } else {
            for (String property : List.of("ai.djl.pytorch.num_threads", "ai.djl.pytorch.num_interop_threads")) {
                if (System.getProperty(property) != null) {
                    flags.add("-D" + property + "=" + System.getProperty(property));
                }
            }
        }
        return flags;
    }

    /** The java executable running this JVM. */
    public static String java() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /**
     * Runs {@code mainClass} with {@code args} in a child JVM and waits at most {@code timeoutSeconds}.
     *
     * @param flags JVM flags (see {@link #engineFlags})
     * @param environment variables added to the child's environment
     * @param onLine receives each output line as it arrives (progress)
     * @throws TimeoutException naming {@code what} if the child runs longer (it is killed with its descendants)
     * @throws IllegalStateException naming {@code what} if it cannot start or the wait is interrupted
     */
    public static Output run(String what, List<String> flags, Class<?> mainClass, List<String> args,
                             Map<String, String> environment, long timeoutSeconds, Consumer<String> onLine) {
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(flags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(args);
        Process child;
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(environment);
            child = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a child JVM for " + what + ": " + e.getMessage(), e);
        }
        CompletableFuture<List<String>> out = CompletableFuture.supplyAsync(() -> readLines(child.getInputStream(), onLine));
        try {
            if (!child.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                kill(child);
                throw new TimeoutException(what + ": child JVM timed out after " + timeoutSeconds + " s and was killed");
            }
            return new Output(out.get(10, TimeUnit.SECONDS), child.exitValue());
        } catch (InterruptedException e) {
            kill(child);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + what, e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot read the output of the child JVM for " + what, e);
        }
    }

    /**
     * Calls {@code body} with a new empty temporary file (a child's spec or result), deleted afterwards.
     *
     * @throws UncheckedIOException if the file cannot be created
     */
    public static <T> T withTempFile(String prefix, Function<Path, T> body) {
        Path file;
        try {
            file = Files.createTempFile(prefix, ".json");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary file " + prefix + "*.json", e);
        }
        try {
            return body.apply(file);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temporary file left behind is harmless
            }
        }
    }

    /** Kills the child and every process it started (by process id: JMH forks, their helpers). */
    private static void kill(Process child) {
        List<ProcessHandle> descendants = child.descendants().toList();
        child.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    private static List<String> readLines(InputStream in, Consumer<String> onLine) {
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                lines.add(line);
                onLine.accept(line);
            }
        } catch (IOException e) {
            lines.add("(output unreadable: " + e.getMessage() + ")");
        }
        return lines;
    }
}
