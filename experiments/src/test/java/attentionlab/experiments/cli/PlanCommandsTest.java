package attentionlab.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import attentionlab.experiments.config.ConfigLoader;
import attentionlab.experiments.tasks.Tasks;
import attentionlab.models.kernel.AttentionKernels;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line of issue 14's "configs and overrides": bare lab, list, --dry-run, --set collisions, help layout. */
class PlanCommandsTest {

    @TempDir
    Path tmp;

    StringWriter err = new StringWriter();
    StringWriter picocliOut = new StringWriter();
    java.io.ByteArrayOutputStream stdout = new java.io.ByteArrayOutputStream();
    PrintStream savedOut;

    @BeforeEach
    void captureStdout() {
        savedOut = System.out;
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStdout() {
        System.setOut(savedOut);
    }

    int execute(String... args) {
        CommandLine cli = Lab.commandLine();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(picocliOut, true));
        return cli.execute(args);
    }

    String out() {
        return stdout.toString(StandardCharsets.UTF_8) + picocliOut;
    }

    @Test
    void bareLabPrintsUsageOnStandardErrorAndExitsTwo() {
        assertThat(execute()).isEqualTo(2);
        assertThat(err.toString()).contains("Usage: lab", "run", "resume", "list", "sweep", "weights");
        assertThat(out()).isEmpty();
    }

    @Test
    void listGivesOneLinePerKernelTaskAndConfig() {
        assertThat(execute("list", "kernels")).isZero();
        List<String> kernels = out().lines().toList();
        assertThat(kernels).hasSize(AttentionKernels.names().size());
        assertThat(kernels.get(0)).startsWith("softmax").contains("options: model.temperature");
        assertThat(kernels).anySatisfy(l -> assertThat(l).startsWith("argmax ").endsWith("no options"));
        stdout.reset();

        assertThat(execute("list", "tasks")).isZero();
        List<String> tasks = out().lines().toList();
        assertThat(tasks).hasSize(Tasks.names().size());
        assertThat(tasks).anySatisfy(l -> assertThat(l).startsWith("associative-recall").contains("encoding=fused", "pairs=6"));
        assertThat(tasks).anySatisfy(l -> assertThat(l).startsWith("sequence-file").contains("path (required)"));
        stdout.reset();

        assertThat(execute("list", "configs", "--dir", "../configs")).isZero();
        List<String> configs = out().lines().toList();
        try (var files = Files.list(Path.of("../configs"))) {
            assertThat(configs).hasSize((int) files.filter(p -> p.toString().endsWith(".yaml")).count());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(configs).anySatisfy(l -> assertThat(l).startsWith("argmax-stall.yaml").contains("12 runs",
                "Homework 2(b): argmax attention gives W_q and W_k no gradient"));

        assertThat(execute("list", "claims")).isEqualTo(2);
        assertThat(err.toString().trim()).isEqualTo("lab: list claims: not something to list; allowed: kernels, tasks, configs");
    }

    @Test
    void dryRunPrintsEveryResolvedConfigAndCreatesNothing() throws IOException {
        Path runs = tmp.resolve("runs");
        assertThat(execute("run", "../configs/argmax-stall.yaml", "--variant", "argmax", "--variant", "softmax", "--seed", "4",
                "--set", "train.steps=7", "--grid", "model.d_model=32,64", "--dry-run", "--out", runs.toString())).isZero();
        assertThat(runs).doesNotExist();
        String[] documents = out().split("(?m)^--- ");
        assertThat(documents[0]).startsWith("# argmax-stall: 4 run(s), grid {model.d_model=[32, 64]}; dry run, nothing was created");
        List<ConfigLoader.RunSpec> plan = ConfigLoader.plan(Path.of("../configs/argmax-stall.yaml"),
                new attentionlab.experiments.config.Overrides(List.of("train.steps=7"), null, List.of("model.d_model=32,64"),
                        List.of("argmax", "softmax"), List.of(4L), null, false)).runs();
        assertThat(documents).hasSize(5);
        for (int i = 0; i < 4; i++) {
            assertThat(documents[i + 1]).startsWith("# run " + (i + 1) + " of 4: " + plan.get(i).name() + "\n");
            Path file = tmp.resolve("run" + i + ".yaml");
            Files.writeString(file, documents[i + 1]);
            assertThat(ConfigLoader.loadRun(file)).isEqualTo(plan.get(i).config()); // the printed YAML is the run's config
        }
        assertThat(plan).extracting(ConfigLoader.RunSpec::name)
                .containsExactly("softmax_d_model-32-s4", "softmax_d_model-64-s4", "argmax_d_model-32-s4", "argmax_d_model-64-s4");
        assertThat(execute("run", "../configs/argmax-stall.yaml", "--print-config", "--out", runs.toString())).isZero();
        assertThat(runs).doesNotExist();
    }

    @Test
    void setOnAVariantKeyExitsTwoNamingTheKeyAndTheVariantsAndCreatesNothing() {
        Path runs = tmp.resolve("runs");
        assertThat(execute("run", "../configs/argmax-stall.yaml", "--set", "model.kernel=argmax", "--out", runs.toString())).isEqualTo(2);
        assertThat(err.toString().trim()).startsWith("lab: --set model.kernel=argmax: model.kernel is set by variants softmax,"
                + " argmax, quadratic, argmax-st").doesNotContain("\n");
        assertThat(runs).doesNotExist();
    }

    @Test
    void badJobsAndGridsExitTwo() {
        Path runs = tmp.resolve("runs");
        assertThat(execute("run", "../configs/copy.yaml", "--jobs", "0", "--out", runs.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--jobs 0 is invalid");
        assertThat(execute("run", "../configs/copy.yaml", "--grid", "model.d_model=8,16,24,32,40,48,56,64,72",
                "--grid", "train.lr=1e-3,2e-3,3e-3,4e-3,5e-3,6e-3,7e-3,8e-3", "--out", runs.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("72 runs, more than 64; pass --yes");
        assertThat(runs).doesNotExist();
    }

    @Test
    void helpExamplesAreWholeLines() {
        for (String command : List.of("run", "resume", "sweep submit", "weights export")) {
            picocliOut.getBuffer().setLength(0);
            assertThat(execute((command + " --help").split(" "))).isZero();
            List<String> lines = picocliOut.toString().lines().toList();
            List<String> examples = lines.subList(lines.indexOf("Examples:") + 1, lines.size());
            assertThat(examples).as(command).isNotEmpty().allSatisfy(l -> assertThat(l).startsWith("  ").hasSizeLessThan(80));
            assertThat(lines).as(command).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(80));
        }
        picocliOut.getBuffer().setLength(0);
        execute("run", "--help");
        assertThat(Arrays.asList(picocliOut.toString().split("\n")))
                .contains("  lab run configs/sort.yaml --grid model.layers=1,2 --grid train.lr=1e-3,3e-3");
    }
}
