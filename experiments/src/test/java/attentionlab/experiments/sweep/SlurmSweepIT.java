package attentionlab.experiments.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import attentionlab.experiments.config.ConfigLoader;
import attentionlab.experiments.io.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 4-point sweep (2 learning rates x 2 seeds) submitted to a real Slurm cluster through the built
 * {@code ./lab}: every array task trains its point into the shared experiment directory, {@code sweep
 * status} follows them to done, {@code compare} draws the four runs as two variants of two seeds, and
 * {@code sweep submit --resume} resubmits only a point whose run is missing. Runs in {@code mvn verify}
 * after the jar is packaged, when {@code LAB_SLURM_IT=1} ({@code .ci/run} sets it once
 * {@code scripts/slurm-local.sh start} has a node up); otherwise skipped with the reason.
 */
class SlurmSweepIT {

    static final String CONFIG = """
            # two learning rates x two seeds, seconds each
            experiment: slurm-it
            task:  {name: associative-recall, pairs: 3, vocab: 6, train_examples: 256, val_examples: 64}
            model: {d_model: 16, heads: 2, layers: 1, ffn_hidden: 32, kernel: softmax}
            train: {steps: 20, batch_size: 16, lr: 0.003, eval_every: 10, seeds: [0, 1]}
            grid:  {train.lr: [0.001, 0.003]}
            """;

    @TempDir
    Path tmp;

    final Path home = Path.of("..").toAbsolutePath().normalize();

    record Result(int code, String out, String err) {}

    Result lab(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(home.resolve("lab").toString()));
        command.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(command).directory(home.toFile());
        b.environment().put("LAB_NO_BUILD", "1"); // the jar this build packaged
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Process p = b.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("lab " + String.join(" ", args) + " finished").isTrue();
        Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        System.out.println("$ ./lab " + String.join(" ", args) + "   (exit " + r.code() + ")\n" + r.out()
                + r.err().lines().filter(l -> !l.contains("WARN")).map(l -> l + "\n").reduce("", String::concat));
        return r;
    }

    SweepStatus waitUntilSettled(Path dir) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(8);
        while (true) {
            SweepStatus status = SweepStatus.of(dir);
            boolean busy = status.rows().stream().anyMatch(r -> r.state() == PointState.RUNNING || r.state() == PointState.PENDING);
            if (!busy || System.nanoTime() > deadline) {
                return status;
            }
            Thread.sleep(2000);
        }
    }

    @Test
    void aFourPointSweepRunsAsAJobArrayAndResubmitsOnlyWhatIsMissing() throws Exception {
        String reason = System.getenv("LAB_SLURM_IT") == null
                ? "LAB_SLURM_IT is not set (.ci/run sets it once scripts/slurm-local.sh start, as root, has a Slurm node up)"
                : !Commands.onPath("sbatch") ? "sbatch is not on the PATH" : null;
        if (reason != null) {
            System.out.println("slurm integration: skipped: " + reason);
        }
        Assumptions.assumeTrue(reason == null, "slurm integration: skipped: " + reason);

        Path config = tmp.resolve("sweep.yaml");
        Files.writeString(config, CONFIG);
        Result submit = lab("sweep", "submit", config.toString(), "--slurm", "--cpus-per-task", "1", "--array-limit", "2",
                "--out", tmp.resolve("shared").toString());
        assertThat(submit.code()).as(submit.err()).isZero();
        assertThat(submit.err()).contains("submitted Slurm job", "4 array task(s), points 0-3");
        Path dir = Path.of(submit.out().strip().lines().reduce((a, b) -> b).orElseThrow());

        SweepStatus status = waitUntilSettled(dir);
        System.out.println(lab("sweep", "status", dir.toString()).out());
        assertThat(status.summary()).isEqualTo("4 points: 4 done");
        List<String> runs = List.of("softmax_lr-0.001-s0", "softmax_lr-0.001-s1", "softmax_lr-0.003-s0", "softmax_lr-0.003-s1");
        assertThat(Manifest.read(dir).points()).extracting(Manifest.Point::run).containsExactlyElementsOf(runs);
        for (String run : runs) {
            Path runDir = dir.resolve(run);
            JsonNode meta = Json.MAPPER.readTree(runDir.resolve("meta.json").toFile());
            assertThat(meta.get("status").asText()).as(run).isEqualTo("completed");
            assertThat(meta.get("threads").asText()).as(run).isEqualTo("1"); // the allocated CPU, not the node's
            assertThat(ConfigLoader.loadRun(runDir.resolve("config.yaml")).train().lr()).isEqualTo(run.contains("0.001") ? 0.001 : 0.003);
            assertThat(Files.readAllLines(runDir.resolve("metrics.csv"))).hasSize(22); // header + steps 0..20
        }
        assertThat(Files.readString(dir.resolve("slurm/" + Slurm.jobs(dir).get(0) + "_3.out"), StandardCharsets.UTF_8))
                .contains("sweep: point 3 (job " + Slurm.jobs(dir).get(0) + "_3, 1 engine thread(s)");

        Result compare = lab("compare", dir.toString(), "--out", tmp.resolve("compare").toString());
        assertThat(compare.code()).as(compare.err()).isZero();
        assertThat(compare.out()).contains("compared 4 runs in 2 groups");
        Path drawn = Path.of(compare.out().strip().lines().reduce((a, b) -> b).orElseThrow());
        assertThat(Files.readString(drawn.resolve("summary.md"))).contains("softmax_lr-0.001", "softmax_lr-0.003");

        // a point whose run is gone (as if its task never ran) is the only one resubmitted
        deleteTree(dir.resolve("softmax_lr-0.003-s0"));
        Result resume = lab("sweep", "submit", "--resume", dir.toString());
        assertThat(resume.code()).as(resume.err()).isZero();
        assertThat(resume.err()).contains("1 array task(s), points 2;");
        assertThat(waitUntilSettled(dir).summary()).isEqualTo("4 points: 4 done");
        assertThat(Slurm.jobs(dir)).hasSize(2);
        Result nothing = lab("sweep", "submit", "--resume", dir.toString());
        assertThat(nothing.err()).contains("nothing to resubmit");
        assertThat(Slurm.jobs(dir)).hasSize(2);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
