package attentionlab.experiments.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job-array script, run by bash as Slurm would run it, against a stand-in checkout whose {@code ./lab}
 * prints what it was given: each task resumes its own point, with the allocated CPUs as engine threads,
 * never builds, and refuses a jar that changed since submission.
 */
class SbatchScriptTest {

    @TempDir
    Path tmp;

    Path home;
    Path experiment;
    Path script;

    @BeforeEach
    void standIn() throws IOException {
        home = Files.createDirectories(tmp.resolve("check out"));
        Files.createDirectories(home.resolve("experiments/target"));
        Files.writeString(home.resolve("experiments/target/attention-lab.jar"), "the build");
        Path lab = home.resolve("lab");
        Files.writeString(lab, "#!/bin/bash\necho \"lab $*|$LAB_JAVA_OPTS|$LAB_NO_BUILD|$PWD\"\n");
        assertThat(lab.toFile().setExecutable(true)).isTrue();
        experiment = Files.createDirectories(tmp.resolve("runs/sort/20261123-125330"));
        Path slurm = Files.createDirectories(experiment.resolve(Slurm.DIR));
        Path jar = Slurm.jar(home);
        Files.writeString(slurm.resolve(Slurm.JAR_HASH), JarHash.of(jar) + "  " + jar + "\n");
        script = slurm.resolve(Slurm.SCRIPT);
        Files.writeString(script, SbatchScript.text("sort", experiment, home, new Slurm.Options("long", "01:00:00", 2, 4, List.of("--account=proj42", "--mem=4G"))));
    }

    private Commands.Output task(Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder b = new ProcessBuilder("bash", script.toString());
        b.environment().remove("SLURM_CPUS_PER_TASK");
        b.environment().remove("LAB_JAVA_OPTS");
        b.environment().putAll(env);
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Commands.Output(p.waitFor(), out, err);
    }

    @Test
    void headerCarriesTheSbatchOptionsAndTheOutputFilePerTask() throws IOException {
        List<String> lines = Files.readAllLines(script);
        assertThat(lines.get(0)).isEqualTo("#!/bin/bash");
        assertThat(lines).contains("#SBATCH --job-name=lab-sort", "#SBATCH --partition=long", "#SBATCH --time=01:00:00",
                "#SBATCH --cpus-per-task=2", "#SBATCH --account=proj42", "#SBATCH --mem=4G",
                "#SBATCH --output=" + experiment.resolve("slurm/%A_%a.out"));
        assertThat(lines).noneMatch(l -> l.startsWith("#SBATCH --array")); // given to sbatch, so resubmission can pick points
    }

    @Test
    void eachTaskResumesItsPointWithTheAllocatedCpusAndNeverBuilds() throws Exception {
        Commands.Output out = task(Map.of("SLURM_ARRAY_TASK_ID", "3", "SLURM_ARRAY_JOB_ID", "41", "SLURM_CPUS_PER_TASK", "2"));
        assertThat(out.exitCode()).as(out.err()).isZero();
        assertThat(out.out()).contains("sweep: point 3 (job 41_3, 2 engine thread(s) on ");
        String[] lab = out.out().lines().filter(l -> l.startsWith("lab ")).findFirst().orElseThrow().split("\\|");
        assertThat(lab[0]).isEqualTo("lab resume " + experiment + " --point 3");
        assertThat(lab[1]).contains("-Dai.djl.pytorch.num_threads=2", "-Dai.djl.pytorch.num_interop_threads=1");
        assertThat(lab[2]).isEqualTo("1");
        assertThat(lab[3]).isEqualTo(home.toString());

        Commands.Output one = task(Map.of("SLURM_ARRAY_TASK_ID", "0", "SLURM_ARRAY_JOB_ID", "41"));
        assertThat(one.out()).contains("lab resume " + experiment + " --point 0|", "-Dai.djl.pytorch.num_threads=1 ");
    }

    @Test
    void sbatchOptionsThatCouldBreakTheScriptAreRefused() {
        for (String bad : List.of("account=x", "--mem=4G\nrm -rf /", "--comment='a b'", "-A x")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Slurm.Options(null, null, null, null, List.of(bad)))
                    .as(bad).hasMessageContaining("--sbatch").hasMessageContaining("--name=value");
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Slurm.Options("a b", null, null, null))
                .hasMessageContaining("--partition 'a b' is invalid");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Slurm.Options(null, null, 0, null))
                .hasMessageContaining("--cpus-per-task 0 is invalid");
    }

    @Test
    void aTaskRefusesABuildThatChangedSinceSubmission() throws Exception {
        Files.writeString(home.resolve("experiments/target/attention-lab.jar"), "another build");
        Commands.Output out = task(Map.of("SLURM_ARRAY_TASK_ID", "3", "SLURM_ARRAY_JOB_ID", "41"));
        assertThat(out.exitCode()).isEqualTo(2);
        assertThat(out.err()).contains("changed since the sweep was submitted");
        assertThat(out.out()).doesNotContain("lab resume");
    }

    @Test
    void resubmittingAfterTheBuildChangedIsRefusedByTheHashCheck() throws IOException {
        JarHash.check(experiment.resolve(Slurm.DIR).resolve(Slurm.JAR_HASH)); // unchanged: passes
        Files.writeString(home.resolve("experiments/target/attention-lab.jar"), "another build");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> JarHash.check(experiment.resolve(Slurm.DIR).resolve(Slurm.JAR_HASH)))
                .hasMessageContaining("changed since the sweep was submitted");
    }
}
