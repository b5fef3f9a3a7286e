package attentionlab.experiments.train;

import attentionlab.experiments.sweep.RunRequest;
import attentionlab.experiments.sweep.ExperimentResult;
import attentionlab.experiments.sweep.ExperimentRunner;
import static org.assertj.core.api.Assertions.assertThat;

import attentionlab.experiments.cli.LabCli;
import attentionlab.experiments.config.ConfigLoader;
import attentionlab.experiments.core.StopSignal;
import attentionlab.experiments.io.Json;
import attentionlab.experiments.layout.RunLayout;
import attentionlab.experiments.layout.RunLock;
import attentionlab.experiments.layout.RunStatus;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A run's record survives bad resumes: damaged checkpoints and changed configs are refused naming the
 * file, a failed resume writes nothing, two resumes of one run never write it together, a change made on
 * purpose is recorded, and a full disk ends the run as failed with the cause named.
 */
class ResumeSafetyTest {

    static final String YAML = TinyRuns.RECALL.replace("seeds: [0]", "seeds: [0], checkpoint_every: 3");

    @TempDir
    static Path shared;

    /** Interrupted after step 6 (checkpoints step-0, step-6), and completed (step-0, step-12). */
    static Path interrupted;
    static Path completed;

    @TempDir
    Path tmp;

    @BeforeAll
    static void trainOnce() {
        interrupted = ExperimentRunner.run(new RunRequest(TinyRuns.config(shared, YAML), List.of(), null, shared.resolve("cut"),
                null, stopAfter(7))).runs().get(0).runDir(); // runner check + steps 1..6
        completed = ExperimentRunner.run(new RunRequest(TinyRuns.config(shared, YAML), List.of(), null, shared.resolve("whole"),
                null, null)).runs().get(0).runDir();
    }

    static BooleanSupplier stopAfter(int checks) {
        AtomicInteger calls = new AtomicInteger();
        return () -> calls.incrementAndGet() > checks;
    }

    /** A fresh copy of a trained run (tests change it). */
    Path copy(Path run) throws IOException {
        Path target = tmp.resolve("exp").resolve(run.getFileName());
        try (Stream<Path> files = Files.walk(run)) {
            for (Path p : files.toList()) {
                Path to = target.resolve(run.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        return target;
    }

    /** Every file of a directory with its bytes, to show that nothing changed. */
    static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(p).toString(), Checkpoints.sha256(Files.readAllBytes(p)));
            }
        }
        return files;
    }

    static void flipBytes(Path file, int offset, int count) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        for (int i = 0; i < count; i++) {
            bytes[offset + i] ^= (byte) 0x5A;
        }
        Files.write(file, bytes);
    }

    static void edit(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertThat(text).contains(from);
        Files.writeString(file, text.replace(from, to));
    }

    interface Damage {
        void apply(Path run) throws IOException;
    }

    static Arguments damage(String name, Damage damage, String... fragments) {
        return Arguments.of(name, damage, List.of(fragments));
    }

    static Stream<Arguments> damaged() {
        return Stream.of(
                damage("16 flipped bytes in the parameters", run -> {
                    Path params = run.resolve("checkpoints/step-6/model-0000.params");
                    flipBytes(params, (int) Files.size(params) - 100, 16);
                }, "step-6/model-0000.params: checksum mismatch"),
                damage("flipped bytes in the optimizer state", run -> flipBytes(run.resolve("checkpoints/step-6/optimizer.bin"), 200, 4),
                        "step-6/optimizer.bin: checksum mismatch"),
                damage("flipped bytes in the initial weights", run -> {
                    Path params = run.resolve("checkpoints/step-0/model-0000.params");
                    flipBytes(params, (int) Files.size(params) - 100, 1);
                }, "step-0/model-0000.params: checksum mismatch"),
                damage("an edited step in state.json", run -> edit(run.resolve("checkpoints/step-6/state.json"), "\"step\" : 6",
                        "\"step\" : 3"), "step-6/state.json: checksum mismatch"),
                damage("an edited step with its checksum recomputed", run -> {
                    Path state = run.resolve("checkpoints/step-6/state.json");
                    String before = Checkpoints.sha256(Files.readAllBytes(state));
                    edit(state, "\"step\" : 6", "\"step\" : 3");
                    edit(run.resolve("checkpoints/step-6/checksums.sha256"), before, Checkpoints.sha256(Files.readAllBytes(state)));
                }, "step-6/state.json: step 3 contradicts its directory step-6"),
                damage("a deleted state.json", run -> Files.delete(run.resolve("checkpoints/step-6/state.json")),
                        "step-6/state.json: missing from the checkpoint"),
                damage("no checksums", run -> Files.delete(run.resolve("checkpoints/step-6/checksums.sha256")),
                        "step-6/checksums.sha256: missing"),
                damage("an edited learning rate in config.yaml", run -> edit(run.resolve("config.yaml"), "lr: 0.003", "lr: 0.01"),
                        "config.yaml: differs from the config checkpoint step-6 was trained with (train.lr: 0.003 -> 0.01)",
                        "--allow-config-change"),
                damage("an edited seed in config.yaml", run -> edit(run.resolve("config.yaml"), "seeds:\n  - 0", "seeds:\n  - 1"),
                        "train.seeds: [0] -> [1]", "--allow-config-change"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damaged")
    void aDamagedCheckpointOrChangedConfigIsRefusedNamingTheFileAndNothingIsWritten(String name, Damage damage,
                                                                                       List<String> fragments) throws IOException {
        Path run = copy(interrupted);
        damage.apply(run);
        Map<String, String> before = snapshot(run);
        LabCli cli = LabCli.execute("resume", run.toString());
        assertThat(cli.code()).as(cli.err()).isEqualTo(2);
        assertThat(cli.err().trim()).startsWith("lab: ").doesNotContain("\n");
        fragments.forEach(f -> assertThat(cli.err()).contains(f));
        assertThat(snapshot(run)).isEqualTo(before);
    }

    /** The case: a failed resume rewrote a completed run's meta.json to "failed, 0 steps", and --steps rewrote config.yaml. */
    @Test
    void aFailedResumeLeavesACompletedRunsRecordAsItWas() throws IOException {
        Path run = copy(completed);
        Map<String, String> before = snapshot(run);
        assertThat(LabCli.execute("resume", run.toString()).err()).contains("already completed 12 steps", "--steps");
        assertThat(LabCli.execute("resume", run.toString(), "--steps", "10").err())
                .contains("--steps: 10 is invalid; must be > the checkpoint's step 12");
        assertThat(snapshot(run)).isEqualTo(before);

        // a model that can no longer be built (W_o declared for 16 inputs, heads give 32), even when the change is allowed
        edit(run.resolve("config.yaml"), "value_dim: 16", "value_dim: 32");
        before = snapshot(run);
        LabCli cli = LabCli.execute("resume", run.toString(), "--steps", "20", "--allow-config-change");
        assertThat(cli.code()).isEqualTo(2);
        assertThat(cli.err()).contains("cannot resume", "W_o");
        assertThat(snapshot(run)).isEqualTo(before);
        assertThat(Json.read(run.resolve("meta.json"), JsonNode.class).get("status").asText()).isEqualTo("completed");
    }

    @Test
    void anAllowedConfigChangeIsRecordedInMetaAndCarriedByTheNextCheckpoints() throws IOException {
        Path run = copy(interrupted);
        edit(run.resolve("config.yaml"), "lr: 0.003", "lr: 0.01");
        LabCli cli = LabCli.execute("resume", run.toString(), "--allow-config-change");
        assertThat(cli.code()).as(cli.err()).isZero();
        JsonNode meta = Json.read(run.resolve("meta.json"), JsonNode.class);
        assertThat(meta.get("status").asText()).isEqualTo("completed");
        JsonNode change = meta.get("config_changes").get(0);
        assertThat(change.get("step").asInt()).isEqualTo(6);
        assertThat(change.get("changes").get(0).asText()).isEqualTo("train.lr: 0.003 -> 0.01");
        assertThat(Checkpoints.configHashOf(run.resolve("checkpoints/step-12")))
                .isEqualTo(Checkpoints.configHash(ConfigLoader.loadRun(run.resolve("config.yaml"))));
        assertThat(LabCli.execute("resume", run.toString(), "--steps", "14").code()).isZero(); // no flag needed now
    }

    /** meta.json follows the checkpoints: a killed run's record says how far it got. */
    @Test
    void stepsCompletedIsRecordedAtEachCheckpoint() {
        List<Integer> seen = new ArrayList<>();
        Path[] runDir = new Path[1];
        ExperimentRunner.run(new RunRequest(TinyRuns.config(tmp, YAML), List.of(), null, tmp.resolve("runs"), null, () -> {
            if (runDir[0] == null) {
                try (Stream<Path> runs = Files.walk(tmp.resolve("runs"))) {
                    runDir[0] = runs.filter(p -> Files.exists(p.resolve("meta.json"))).findFirst().orElse(null);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            if (runDir[0] != null) {
                seen.add(Json.read(runDir[0].resolve("meta.json"), JsonNode.class).get("steps_completed").asInt());
            }
            return false;
        }));
        // checked before steps 1..12; checkpoints after steps 3, 6 and 9
        assertThat(seen).containsExactly(0, 0, 0, 3, 3, 3, 6, 6, 6, 9, 9, 9);
    }

    @Test
    void twoConcurrentResumesOfOneRun_theSecondIsRefusedAndTheFileHasEachStepOnce() throws Exception {
        Path run = copy(interrupted);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<RunResult> first = CompletableFuture.supplyAsync(() -> RunTrainer.resume(run, null, null, () -> {
            holding.countDown();
            try {
                release.await(60, TimeUnit.SECONDS); // hold the run (and its lock) while the second resume tries
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        }));
        assertThat(holding.await(60, TimeUnit.SECONDS)).isTrue();
        Map<String, String> before = snapshot(run);
        LabCli second = LabCli.execute("resume", run.toString());
        assertThat(second.code()).isEqualTo(2);
        assertThat(second.err().trim()).startsWith("lab: " + run + ": another lab process is writing this run").doesNotContain("\n");
        assertThat(snapshot(run)).isEqualTo(before);
        release.countDown();
        assertThat(first.get(120, TimeUnit.SECONDS).status()).as(Files.readString(run.resolve("meta.json")))
                .isEqualTo(RunStatus.COMPLETED);
        assertThat(TinyRuns.column(run.resolve("metrics.csv"), "step"))
                .containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12");
        assertThat(RunLock.isHeld(new RunLayout(run))).isFalse();
    }

    /** Another process holds the lock: refused; kill -9 that process and the OS releases it. */
    @Test
    void aLockHeldByAnotherProcessIsRespectedAndReleasedWhenThatProcessIsKilled() throws Exception {
        Path run = copy(interrupted);
        Process holder = ChildJvm.start(LockHolder.class, List.of(run.toString()), tmp);
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("locked");
            RunLayout layout = new RunLayout(run);
            assertThat(RunLock.isHeld(layout)).isTrue();
            assertThat(RunLock.liveStatus(layout, RunStatus.RUNNING)).isEqualTo(RunStatus.RUNNING);
            LabCli refused = LabCli.execute("resume", run.toString());
            assertThat(refused.code()).isEqualTo(2);
            assertThat(refused.err()).contains("another lab process is writing this run", run.resolve("lock").toString());
            holder.destroyForcibly(); // SIGKILL
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(RunLock.isHeld(layout)).isFalse();
            assertThat(RunLock.liveStatus(layout, RunStatus.RUNNING)).isEqualTo(RunStatus.STOPPED);
            assertThat(RunTrainer.resume(run, null, null, new StopSignal()).status()).isEqualTo(RunStatus.COMPLETED);
        } finally {
            holder.destroyForcibly();
        }
    }

    /**
     * A full disk, simulated with real ENOSPC from /dev/full: summary.json cannot be written at the end.
     * The run ends as failed with the file and the cause, and no temporary file is left.
     */
    @Test
    void aFullDiskFailsTheRunNamingTheFileAndTheCause() throws IOException {
        Path devFull = Path.of("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(devFull), "needs /dev/full (Linux)");
        Path[] runDir = new Path[1];
        ExperimentResult result = ExperimentRunner.run(new RunRequest(TinyRuns.config(tmp, YAML), List.of(), null,
                tmp.resolve("runs"), null, () -> {
                    try (Stream<Path> runs = Files.walk(tmp.resolve("runs"))) {
                        Path run = runs.filter(p -> Files.exists(p.resolve("meta.json"))).findFirst().orElse(null);
                        if (run != null && runDir[0] == null) {
                            Files.createSymbolicLink(run.resolve("summary.json.tmp"), devFull); // writes to summary.json now fail
                            runDir[0] = run;
                        }
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                    return false;
                }));
        RunResult run = result.runs().get(0);
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        JsonNode meta = Json.read(run.runDir().resolve("meta.json"), JsonNode.class);
        assertThat(meta.get("status").asText()).isEqualTo("failed");
        assertThat(meta.get("reason").asText()).contains("summary.json", "no space left on device");
        assertThat(meta.get("steps_completed").asInt()).isEqualTo(12);
        try (Stream<Path> files = Files.walk(run.runDir())) {
            assertThat(files.filter(p -> p.getFileName().toString().endsWith(".tmp"))).isEmpty();
        }
    }

    /** When meta.json cannot be replaced atomically (its temporary file hits a full disk), it is overwritten in place. */
    @Test
    void metaJsonIsOverwrittenInPlaceWhenTheAtomicWriteFails() throws IOException {
        Path devFull = Path.of("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(devFull), "needs /dev/full (Linux)");
        Path run = copy(interrupted);
        Files.createSymbolicLink(run.resolve("meta.json.tmp"), devFull);
        try (RunDirectory dir = RunDirectory.open(run)) {
            dir.updateMeta(RunStatus.FAILED, "cannot write x: no space left on device", 6, null, true);
        }
        assertThat(Json.read(run.resolve("meta.json"), JsonNode.class).get("status").asText()).isEqualTo("failed");
        assertThat(run.resolve("meta.json.tmp")).doesNotExist();
    }
}
