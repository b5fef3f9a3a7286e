package attentionlab.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import attentionlab.experiments.maps.SyntheticSnapshots;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lab inspect}: help, a run drawn with exit 0, bad input as one line with exit 2. */
class InspectCommandTest {

    @TempDir
    Path tmp;

    @Test
    void drawsARunAndRefusesAMissingStepWithExitTwo() throws Exception {
        LabCli help = LabCli.execute("inspect", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("RUN_DIR", "--step", "--example", "--out");
        float[] uniform = {0.5f, 0.5f, 0.5f, 0.5f};
        Path run = SyntheticSnapshots.run(tmp.resolve("exp/20260101-000000/softmax-s0"), "step,wall_time_s,train/loss\n0,0,1\n",
                SyntheticSnapshots.untargeted(1, 2), 1, 2, Map.of(0, List.of(uniform), 5, List.of(uniform)));
        assertThat(LabCli.execute("inspect", run.toString(), "--out", tmp.resolve("maps").toString()).code()).isZero();
        try (var dirs = Files.list(tmp.resolve("maps"))) {
            assertThat(dirs.toList()).hasSize(1);
        }
        LabCli missing = LabCli.execute("inspect", run.toString(), "--step", "3");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).isEqualTo("lab: --step 3: no attention snapshot at this step; saved steps: 0, 5"
                + System.lineSeparator());
        assertThat(run.resolve("inspect")).doesNotExist();
    }
}
