package attentionlab.experiments.train;

import attentionlab.experiments.sweep.RunRequest;
import attentionlab.experiments.sweep.ExperimentRunner;
import static org.assertj.core.api.Assertions.assertThat;

import attentionlab.experiments.cli.Lab;
import attentionlab.experiments.cli.LabCli;
import attentionlab.experiments.compare.RunRecord;
import attentionlab.experiments.io.Json;
import attentionlab.experiments.layout.RunStatus;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What happens to a run when its process is ended from outside: SIGTERM (exit 143, checkpointed,
 * interrupted, the runs that never started named), SIGKILL (resumed from its last checkpoint to the same
 * metrics.csv), and a full disk (exit 1, failed, the cause named, no temporary file left). Each case runs
 * {@code lab run} in a child JVM.
 */
class ProcessFailuresTest {

    /** Two variants; slow enough (many steps) to be stopped in the middle of the first on a fast, idle machine. */
    static final String TWO_VARIANTS = TinyRuns.RECALL.replace("steps: 12", "steps: 3000") + """
            variants:
              soft: {model.kernel: softmax}
              hard: {model.kernel: argmax}
            """;

    @TempDir
    Path tmp;

    /**
     * Waits until some run's metrics.csv has at least {@code rows} data rows; returns that run directory.
     * The runs are found by their layout (root/experiment/timestamp/run/metrics.csv) with directory
     * listings only: walking the whole tree reads the attributes of every checkpoint and snapshot file,
     * and on an idle machine those temporary files vanished under almost every walk, so the signal came
     * only after the runs had ended.
     */
    static Path awaitRows(Path root, int rows, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("lab exited early").isTrue();
            for (Path experiment : children(root)) {
                for (Path stamp : children(experiment)) {
                    for (Path run : children(stamp)) {
                        Path metrics = run.resolve("metrics.csv");
                        try {
                            if (Files.isRegularFile(metrics) && TinyRuns.lines(metrics).size() > rows) {
                                return run;
                            }
                        } catch (java.io.UncheckedIOException racing) {
                            // being created
                        }
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no run reached " + rows + " rows");
    }

    private static List<Path> children(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.toList();
        } catch (IOException | java.io.UncheckedIOException missing) {
            return List.of();
        }
    }

    static String output(Process p) throws IOException {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    /** Ctrl-C (SIGINT) exits 130 and SIGTERM 143, each after checkpointing the current run; the runs that never started are named. */
    @ParameterizedTest
    @CsvSource({"INT, 130", "TERM, 143"})
    void aSignalCheckpointsTheCurrentRunExitsWithItsStatusAndNamesTheRunsThatNeverStarted(String signal, int status)
            throws Exception {
        Path config = TinyRuns.config(tmp, TWO_VARIANTS);
        Path output = tmp.resolve("output.txt");
        Process p = ChildJvm.start(Lab.class, List.of("run", config.toString(), "--out", tmp.resolve("runs").toString()), tmp,
                output);
        try {
            Path run = awaitRows(tmp.resolve("runs"), 3, p);
            ChildJvm.signal(p, signal);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String out = Files.readString(output);
            assertThat(p.exitValue()).as(out).isEqualTo(status);
            assertThat(out).contains("lab: soft-s0 interrupted", "lab: hard-s0: not started; continue with: lab resume ");
            JsonNode meta = Json.read(run.resolve("meta.json"), JsonNode.class);
            assertThat(meta.get("status").asText()).isEqualTo("interrupted");
            int step = meta.get("steps_completed").asInt();
            assertThat(run.resolve("checkpoints/step-" + step + "/checksums.sha256")).exists();
            assertThat(run.resolveSibling("hard-s0")).doesNotExist();
        } finally {
            p.destroyForcibly();
        }
    }

    /**
     * kill -9 before the first periodic checkpoint: meta.json still says running (a reader says stopped),
     * the resume starts from step-0, and metrics.csv ends up equal to the uninterrupted run's (all
     * columns but the wall time), the step-0 validation row included.
     */
    @Test
    void aRunKilledBeforeItsFirstCheckpointResumesFromStepZeroToTheSameMetrics() throws Exception {
        String yaml = TinyRuns.RECALL.replace("steps: 12", "steps: 16");
        Process p = ChildJvm.start(Lab.class, List.of("run", TinyRuns.config(tmp, yaml).toString(), "--out",
                tmp.resolve("killed").toString()), tmp, tmp.resolve("output.txt"));
        Path run = awaitRows(tmp.resolve("killed"), 3, p);
        p.destroyForcibly(); // SIGKILL
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(Json.read(run.resolve("meta.json"), JsonNode.class).get("status").asText()).isEqualTo("running");
        assertThat(RunRecord.load(run).status()).isEqualTo(RunStatus.STOPPED);
        assertThat(Checkpoints.list(run.resolve("checkpoints"))).extracting(c -> c.getFileName().toString())
                .containsExactly("step-0");

        LabCli resumed = LabCli.execute("resume", run.toString());
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(Files.readString(run.resolve("log.txt"))).contains("resume from step-0 (status was stopped (no live process))");
        Path whole = ExperimentRunner.run(new RunRequest(TinyRuns.config(tmp, yaml), List.of(), null, tmp.resolve("whole"), null,
                null)).runs().get(0).runDir();
        assertThat(withoutWallTime(run.resolve("metrics.csv"))).isEqualTo(withoutWallTime(whole.resolve("metrics.csv")));
    }

    static List<String> withoutWallTime(Path metrics) {
        List<String> rows = new ArrayList<>();
        int wall = TinyRuns.header(metrics).indexOf("wall_time_s");
        for (String line : TinyRuns.lines(metrics)) {
            List<String> cells = new ArrayList<>(List.of(line.split(",", -1)));
            cells.remove(wall);
            rows.add(String.join(",", cells));
        }
        return rows;
    }

    /**
     * A real full disk: {@code lab run} on a 160 KiB tmpfs (mounted in a user namespace, so no root is
     * needed) fills it. Exit 1, the run failed with "no space left on device" and the path, no
     * temporary or empty meta.json left. Skipped where user namespaces are not available.
     */
    @Test
    void aFullDiskEndsTheRunAsFailedWithExitOneAndTheCause() throws Exception {
        Assumptions.assumeTrue(userNamespaces(), "needs unshare -rm (user and mount namespaces)");
        Path disk = Files.createDirectory(tmp.resolve("disk"));
        // about 60 KiB of parameters: step-0 fits, step-1 (parameters and Adam's two moments) does not
        Path config = TinyRuns.config(tmp, TinyRuns.RECALL.replace("d_model: 16, heads: 2, layers: 1, ffn_hidden: 32",
                "d_model: 32, heads: 2, layers: 1, ffn_hidden: 128").replace("seeds: [0]", "seeds: [0], checkpoint_every: 1"));
        String lab = String.join(" ", ChildJvm.command(Lab.class, List.of("run", config.toString(), "--out",
                disk.resolve("runs").toString())).stream().map(ProcessFailuresTest::quote).toList());
        String script = "mount -t tmpfs -o size=160k tmpfs " + quote(disk.toString()) + " || exit 99\n"
                + lab + "\nrc=$?\n"
                + "echo \"exit=$rc\"\n"
                + "echo \"left: $(find " + quote(disk.toString()) + " -name '*.tmp*' | wc -l)\"\n"
                + "cat " + quote(disk.toString()) + "/runs/*/*/*/meta.json\n";
        Process p = new ProcessBuilder("unshare", "-rm", "sh", "-c", script).directory(tmp.toFile()).redirectErrorStream(true)
                .start();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        String out = output(p);
        assertThat(out).as(out).contains("exit=1", "left: 0", "\"status\" : \"failed\"", "no space left on device")
                .contains(disk.resolve("runs").toString())
                .doesNotContain("internal error");
    }

    private static boolean userNamespaces() {
        try {
            Process p = new ProcessBuilder("unshare", "-rm", "true").redirectErrorStream(true).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
