package attentionlab.experiments.io;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Where a measurement was made: code version, library versions and machine. Recorded by runs
 * (meta.json), benchmarks and reports.
 */
public record Provenance(
        @JsonProperty("git_commit") String gitCommit,
        @JsonProperty("git_dirty") boolean gitDirty,
        @JsonProperty("djl_version") String djlVersion,
        @JsonProperty("engine") String engine,
        @JsonProperty("engine_version") String engineVersion,
        @JsonProperty("java_version") String javaVersion,
        @JsonProperty("os") String os,
        @JsonProperty("cores") int cores,
        @JsonProperty("threads") String threads) {

    /** Reads the current process and the git checkout at {@code $LAB_HOME} (or the working directory). */
    public static Provenance current() {
        Engine engine = Engine.getInstance();
        Path repo = Path.of(System.getenv().getOrDefault("LAB_HOME", "."));
        String commit = git(repo, "rev-parse", "HEAD");
        String status = git(repo, "status", "--porcelain", "--untracked-files=no");
        return new Provenance(
                commit == null ? "unknown" : commit,
                status != null && !status.isBlank(),
                Engine.getDjlVersion(),
                engine.getEngineName(),
                engine.getVersion(),
                System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("ai.djl.pytorch.num_threads", "default (" + Runtime.getRuntime().availableProcessors() + ")"));
    }

    private static String git(Path repo, String... args) {
        String[] command = new String[args.length + 3];
        command[0] = "git";
        command[1] = "-C";
        command[2] = repo.toString();
        System.arraycopy(args, 0, command, 3, args.length);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
