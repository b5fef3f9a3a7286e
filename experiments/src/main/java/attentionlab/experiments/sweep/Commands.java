package attentionlab.experiments.sweep;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the scheduler's command-line tools (sbatch, squeue, sacct) and captures what they print. */
final class Commands {

    private Commands() {}

    /**
     * @param exitCode the command's exit code (-1 if it could not be started or timed out)
     */
    record Output(int exitCode, String out, String err) {
        boolean ok() {
            return exitCode == 0;
        }

        /** The last non-blank line of standard error (or output), for one-line messages. */
        String lastLine() {
            String text = err.isBlank() ? out : err;
            List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
            return lines.isEmpty() ? "exit code " + exitCode : lines.get(lines.size() - 1).trim();
        }
    }

    /** Whether {@code program} is an executable on the PATH. */
    static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return true;
            }
        }
        return false;
    }

    static Output run(List<String> command, long timeoutSeconds) {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        } catch (IOException e) {
            return new Output(-1, "", "cannot run " + command.get(0) + ": " + e.getMessage());
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Output(-1, "", command.get(0) + " did not answer within " + timeoutSeconds + " s");
            }
            return new Output(process.exitValue(), out.join(), err.join());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return new Output(-1, "", "interrupted while running " + command.get(0));
        }
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
