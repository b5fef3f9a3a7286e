package attentionlab.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The compare and reproduce commands: help, and bad input as one line with exit 2. */
class CompareAndReproduceCommandTest {

    @TempDir
    Path tmp;

    StringWriter err = new StringWriter();
    StringWriter out = new StringWriter();

    int execute(String... args) {
        CommandLine cli = Lab.commandLine();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(out, true));
        return cli.execute(args);
    }

    @Test
    void helpDocumentsEveryOption() {
        assertThat(execute("compare", "--help")).isZero();
        assertThat(out.toString()).contains("RUN_OR_EXPERIMENT_DIR", "--metric", "--smooth", "--band", "--out", "--tensorboard");
        assertThat(execute("reproduce", "--help")).isZero();
        assertThat(out.toString()).contains("--quick", "--only", "--out");
    }

    @Test
    void badCompareInputIsOneLineWithExitTwo() throws Exception {
        Path run = tmp.resolve("exp/20260101-000000/softmax-s0");
        Files.createDirectories(run);
        Files.writeString(run.resolve("metrics.csv"), "step,wall_time_s,train/loss\n0,0,1\n");
        assertThat(execute("compare", run.toString(), "--band", "iqr")).isEqualTo(2);
        assertThat(err.toString().trim()).isEqualTo("lab: --band 'iqr' is not allowed; allowed: minmax, std");
        err.getBuffer().setLength(0);
        assertThat(execute("compare", run.toString(), "--smooth", "1.5")).isEqualTo(2);
        assertThat(err.toString().trim()).startsWith("lab: --smooth 1.5 is out of range").doesNotContain("\n");
        err.getBuffer().setLength(0);
        assertThat(execute("compare", tmp.resolve("nowhere").toString())).isEqualTo(2);
        assertThat(err.toString().trim()).startsWith("lab: no such directory");
    }

    @Test
    void unknownClaimIsOneLineWithExitTwoAndCreatesNothing() {
        assertThat(execute("reproduce", "--only", "nope", "--out", tmp.resolve("r").toString())).isEqualTo(2);
        assertThat(err.toString().trim()).startsWith("lab: --only 'nope' is not a claim or study; allowed: scaling-stats");
        assertThat(tmp.resolve("r")).doesNotExist();
    }

    /** Every command that makes a timestamped directory fails the same way, exit 2, when it cannot. */
    @Test
    void anOutputDirectoryUnderAFileIsOneLineWithExitTwoForEveryCommand() throws Exception {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        String[][] commands = {
            {"reproduce", "--only", "argmax-example", "--out", file.toString()},
            {"run", "../configs/copy.yaml", "--out", file.toString()},
            {"bench", "decode", "--quick", "--out", file.toString()},
        };
        for (String[] command : commands) {
            err.getBuffer().setLength(0);
            assertThat(execute(command)).as(command[0]).isEqualTo(2);
            assertThat(err.toString().trim()).as(command[0]).startsWith("lab: cannot create a directory under").doesNotContain("\n");
        }
    }
}
