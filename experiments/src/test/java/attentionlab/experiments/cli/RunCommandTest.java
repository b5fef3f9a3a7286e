package attentionlab.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RunCommandTest {

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
        assertThat(execute("run", "--help")).isZero();
        assertThat(out.toString()).contains("CONFIG", "--set", "--set-all", "--grid", "--variant", "--seed", "--jobs",
                "--threads", "--dry-run", "--print-config", "--init-weights", "--yes", "--out", "Exit status");
        assertThat(execute("resume", "--help")).isZero();
        assertThat(out.toString()).contains("DIR", "--point", "--steps", "--jobs");
    }

    @Test
    void badConfigExitsTwoWithOneLineAndCreatesNothing() throws IOException {
        Path config = tmp.resolve("bad.yaml");
        Files.writeString(config, """
                experiment: bad
                task:  {name: associative-recall}
                model: {d_model: 16, heads: 3, layers: 1, kernel: softmax}
                train: {steps: 5, lr: 0.001}
                """);
        Path runs = tmp.resolve("runs");
        assertThat(execute("run", config.toString(), "--out", runs.toString())).isEqualTo(2);
        assertThat(err.toString().trim()).startsWith("lab: model.d_model: 16 is invalid").doesNotContain("\n");
        assertThat(runs).doesNotExist();
    }

    @Test
    void badOverrideExitsTwo() throws IOException {
        Path runs = tmp.resolve("runs");
        assertThat(execute("run", "../configs/copy.yaml", "--set", "train.lr=-1", "--out", runs.toString())).isEqualTo(2);
        assertThat(err.toString().trim()).isEqualTo(
                "lab: train.lr: -1.0 is invalid; allowed: finite numbers > 0 (from --set train.lr=-1)");
        assertThat(runs).doesNotExist();
    }

    @Test
    void resumeOfSomethingElseExitsTwo() {
        assertThat(execute("resume", tmp.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("not a run directory");
    }

    @Test
    void everyCommittedConfigLoads() throws IOException {
        try (Stream<Path> configs = Files.list(Path.of("../configs"))) {
            for (Path config : configs.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                assertThat(attentionlab.experiments.config.ConfigLoader.plan(config, java.util.List.of(), null).runs())
                        .as(config.toString()).isNotEmpty();
            }
        }
    }
}
