package attentionlab.experiments.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input through the real entry point ({@link Lab#commandLine()}): each case must exit 2 with one
 * line {@code lab: ...} on stderr that contains the given fragments (the key, the value, what is
 * allowed), print nothing on stdout, and create nothing. Bad resumes are in {@code ResumeSafetyTest}.
 */
class BadInputTest {

    /** The base config, block style so that single lines can be replaced or added. */
    static final String GOOD = """
            experiment: bad
            task:
              name: associative-recall
              pairs: 3
              vocab: 6
              train_examples: 64
              val_examples: 16
            model:
              d_model: 16
              heads: 2
              layers: 1
              kernel: softmax
            train:
              steps: 2
              batch_size: 8
              lr: 0.001
              eval_every: 2
              seeds: [0]
            """;

    static final String LONG = "x".repeat(100_092);

    @TempDir
    Path tmp;

    /** GOOD with {@code line} (e.g. "  d_model: 16") replaced by {@code with}. */
    static String set(String line, String with) {
        if (!GOOD.contains(line + "\n")) {
            throw new IllegalArgumentException("no line '" + line + "'");
        }
        return GOOD.replace(line + "\n", with.isEmpty() ? "" : with + "\n");
    }

    /** GOOD with {@code line} added after the section header {@code section:} (or at the end when section is null). */
    static String add(String section, String line) {
        return section == null ? GOOD + line + "\n" : GOOD.replace(section + ":\n", section + ":\n" + line + "\n");
    }

    static Arguments config(String yaml, String... fragments) {
        return Arguments.of(yaml, List.of(), List.of(fragments));
    }

    static Arguments override(String set, String... fragments) {
        return Arguments.of(GOOD, List.of("--set", set), List.of(fragments));
    }

    static Stream<Arguments> badConfigs() {
        return Stream.of(
                config(add(null, "extra: 1"), "extra: unknown key", "experiment, variant"),
                config(set("  d_model: 16", "  dmodel: 16"), "model.dmodel: unknown key", "d_model"),
                config(set("  d_model: 16", "  d_model: sixteen"), "model.d_model", "an integer", "'sixteen'"),
                config(set("  d_model: 16", "  d_model: 16.5"), "model.d_model", "an integer", "16.5"),
                config(set("  d_model: 16", "  d_model: 15"), "model.d_model: 15 is invalid", "divisible by model.heads (2)"),
                config(set("  d_model: 16", "  d_model: 0"), "model.d_model: 0 is invalid", ">= 1"),
                config(set("  d_model: 16", "  d_model: -16"), "model.d_model: -16 is invalid", ">= 1"),
                config(set("  d_model: 16", "  d_model: null"), "model.d_model", "null"),
                config(set("  d_model: 16", ""), "model.d_model", "missing required key"),
                config(set("  heads: 2", "  heads: 0"), "model.heads: 0 is invalid", ">= 1"),
                config(set("  heads: 2", "  heads: 3"), "model.d_model: 16 is invalid", "model.heads (3)"),
                config(set("  heads: 2", ""), "model.heads", "missing required key"),
                config(set("  layers: 1", "  layers: 0"), "model.layers: 0 is invalid", ">= 1"),
                config(add("model", "  ffn_hidden: 0"), "model.ffn_hidden: 0 is invalid", ">= 1"),
                config(add("model", "  value_dim: 9"), "model.value_dim: 9 is invalid", "divisible"),
                config(add("model", "  output_input_dim: 0"), "model.output_input_dim: 0 is invalid", ">= 1"),
                config(set("  kernel: softmax", "  kernel: sofmax"), "model.kernel: 'sofmax' is invalid", "softmax, argmax"),
                config(set("  kernel: softmax", "  kernel: 3"), "model.kernel", "a string", "3"),
                config(set("  kernel: softmax", "  kernel: quadratic\n  temperature: 0.5"), "model.temperature: 0.5 is invalid",
                        "kernel 'quadratic' does not read it", "softmax, argmax-st"),
                config(add("model", "  temperature: 0"), "model.temperature: 0.0 is invalid", "> 0"),
                config(add("model", "  temperature: -1"), "model.temperature: -1.0 is invalid", "> 0"),
                config(add("model", "  causal: maybe"), "model.causal", "true or false", "'maybe'"),
                config(add("model", "  kv_heads: 3"), "model.kv_heads: 3 is invalid", "divisor of model.heads (2): 1, 2"),
                config(add("model", "  kv_heads: 0"), "model.kv_heads: 0 is invalid", "1, 2"),
                config(add("model", "  kv_heads: 4"), "model.kv_heads: 4 is invalid", "1, 2", "multi-query"),
                config(add("model", "  kv_heads: two"), "model.kv_heads", "an integer", "'two'"),
                config(set("  name: associative-recall", "  name: recall"), "task.name: unknown task 'recall'", "copy"),
                config(set("  name: associative-recall", ""), "task.name", "missing required key"),
                config(set("  pairs: 3", "  pairs: 0"), "task.pairs: 0 is invalid", ">= 1"),
                config(set("  vocab: 6", "  vocab: 2"), "task.vocab: 2 is invalid", "task.pairs (3)"),
                config(set("  vocab: 6", "  vocab: 1"), "task.vocab: 1 is invalid", ">= 2"),
                config(set("  train_examples: 64", "  train_examples: 0"), "task.train_examples: 0 is invalid", ">= 1"),
                config(set("  val_examples: 16", "  val_examples: 0"), "task.val_examples: 0 is invalid", ">= 1"),
                config(add("task", "  encoding: sideways"), "task.encoding: 'sideways' is invalid", "fused"),
                config(add("task", "  length: 4"), "task.length: unknown key", "pairs"),
                config(set("  name: associative-recall", "  name: sequence-file").replace("  pairs: 3\n  vocab: 6\n  train_examples: 64\n", ""),
                        "task.path", "missing required key"),
                config(set("  name: associative-recall", "  name: sequence-file\n  path: nowhere.csv")
                        .replace("  pairs: 3\n  vocab: 6\n  train_examples: 64\n", ""), "task.path", "nowhere.csv", "does not exist"),
                config(set("  name: associative-recall", "  name: copy\n  length: 0").replace("  pairs: 3\n", ""),
                        "task.length: 0 is invalid", ">= 1"),
                config(set("  steps: 2", "  steps: 0"), "train.steps: 0 is invalid", ">= 1"),
                config(set("  steps: 2", ""), "train.steps", "missing required key"),
                config(set("  lr: 0.001", "  lr: 0"), "train.lr: 0.0 is invalid", "> 0"),
                config(set("  lr: 0.001", "  lr: -0.1"), "train.lr: -0.1 is invalid", "> 0"),
                config(set("  lr: 0.001", "  lr: fast"), "train.lr", "a number", "'fast'"),
                config(set("  lr: 0.001", "  lr: .inf"), "train.lr: .inf is not allowed", "finite number", "line 16"),
                config(set("  lr: 0.001", "  lr: .nan"), "train.lr: .nan is not allowed", "finite number"),
                config(set("  d_model: 16", "  d_model: -.inf"), "model.d_model: -.inf is not allowed"),
                config(add("train", "  beta1: 1"), "train.beta1: 1.0 is invalid", "0 <= beta1 < 1"),
                config(add("train", "  beta2: -0.1"), "train.beta2: -0.1 is invalid", "0 <= beta2 < 1"),
                config(add("train", "  epsilon: 0"), "train.epsilon: 0.0 is invalid", "> 0"),
                config(add("train", "  weight_decay: -1"), "train.weight_decay: -1.0 is invalid", ">= 0"),
                config(add("train", "  grad_clip: -1"), "train.grad_clip: -1.0 is invalid", ">= 0"),
                config(add("train", "  warmup_steps: -1"), "train.warmup_steps: -1 is invalid", ">= 0"),
                config(set("  eval_every: 2", "  eval_every: 0"), "train.eval_every: 0 is invalid", ">= 1"),
                config(add("train", "  log_every: 0"), "train.log_every: 0 is invalid", ">= 1"),
                config(add("train", "  checkpoint_every: -1"), "train.checkpoint_every: -1 is invalid", ">= 0"),
                config(add("train", "  optimizer: sgd"), "train.optimizer: 'sgd' is invalid", "adam"),
                config(set("  seeds: [0]", "  seeds: []"), "train.seeds: [] is invalid", "at least one seed"),
                config(set("  seeds: [0]", "  seeds: [0, 0]"), "train.seeds[1]: 0 is invalid", "distinct"),
                config(set("  seeds: [0]", "  seeds: [-1]"), "train.seeds[0]: -1 is invalid", "0 to 2147483647"),
                config(set("  seeds: [0]", "  seeds: [4294967296]"), "train.seeds[0]: 4294967296 is invalid", "0 to 2147483647"),
                config(set("  seeds: [0]", "  seeds: 3"), "train.seeds", "a list", "3"),
                config(set("  seeds: [0]", "  seeds: [.inf]"), "train.seeds[0]: .inf is not allowed"),
                config(set("  seeds: [0]", "  seeds: [a]"), "train.seeds[0]", "an integer", "'a'"),
                config(set("  seeds: [0]", "  seeds: [null]"), "train.seeds[0]: null is invalid"),
                config(set("  batch_size: 8", "  batch_size: 0"), "train.batch_size: 0 is invalid", ">= 1"),
                config(set("  batch_size: 8", "  batch_size: 100"), "train.batch_size: 100 is invalid", "task.train_examples (64)"),
                config(set("experiment: bad", ""), "experiment", "missing required key"),
                config(set("experiment: bad", "experiment: a/b"), "experiment: 'a/b' is invalid", "letters"),
                config(set("experiment: bad", "experiment: 123"), "experiment", "a string", "123"),
                config(set("experiment: bad", "experiment: " + LONG), "experiment: 'xxxx", "(100092 characters)", "at most 100"),
                config(add(null, LONG + ": 1"), "not valid YAML", "while scanning a simple key"),
                config(add(null, "x".repeat(1000) + ": 1"), "xxxx", "(1000 characters): unknown key"),
                config(add(null, "variant: one\nvariants:\n  two: {model.kernel: argmax}"), "variant: 'one' cannot be combined"),
                config(add(null, "variants:\n  'a b': {model.kernel: argmax}"), "variants.a b: invalid variant name"),
                config(add(null, "variants: [a, b]"), "variants: expected a map"),
                config(add(null, "variants:\n  x: {model.nope: 1}"), "model.nope: unknown key", "variants.x"),
                config(add(null, "variants:\n  x: {model.kernel: nope}"), "model.kernel: 'nope' is invalid", "variants.x"),
                config(add(null, "variants:\n  x: {model.kernel: argmax}\n  x: {model.kernel: softmax}"),
                        "variants.x: duplicate key", "line 21"),
                config(add(null, "variants:\n  x: {model.d_model.y: 1}"), "model.d_model is 16, not a section"),
                config(add(null, "model:\n  d_model: 32"), "model: duplicate key", "line 19"),
                config(set("  heads: 2", "  heads: 2\n  heads: 4"), "model.heads: duplicate key", "line 11"),
                config(GOOD + "---\nexperiment: other\n", "a second YAML document starts at line 20"),
                config(set("  d_model: 16", "  d_model: &w 16\n  value_dim: *w"), "model.value_dim: the YAML alias *w is not supported"),
                config("just text\n", "expected a YAML map"),
                config("", "expected a YAML map"),
                config("a: [1, 2\n", "not valid YAML"),
                config(set("model:", "model: [1, 2]").replace("  d_model: 16\n  heads: 2\n  layers: 1\n  kernel: softmax\n", ""),
                        "model", "a section"),
                config(set("  d_model: 16", "  d_model: 1048576"), "model.d_model 1048576", "the run needs about", "is available",
                        "MemAvailable"),
                config(set("  name: associative-recall", "  name: copy\n  length: 1000000").replace("  pairs: 3\n", ""),
                        "task.length 1000000 (N = 2000001)", "attention", "is available"),
                config(set("  vocab: 6", "  vocab: 2000000000"), "task.vocab 2000000000 (4000000001 input ids", "is available"),
                config(set("  train_examples: 64", "  train_examples: 2147483647"), "task.train_examples 2147483647",
                        "Java heap", "-Xmx"),
                config(set("  train_examples: 64", "  train_examples: 2147483647").replace("  batch_size: 8", "  batch_size: 2147483647"),
                        "2147483647", "the run needs about", "train.batch_size 2147483647"),
                config(set("  layers: 1", "  layers: 2000000000"), "model.layers 2000000000", "the run needs about"));
    }

    static Stream<Arguments> badOverrides() {
        return Stream.of(
                override("train.lr=abc", "train.lr", "a number", "'abc'", "(from --set train.lr="),
                override("train.steps", "--set 'train.steps': expected key.path=value"),
                override("=5", "expected key.path=value"),
                override("model.nope=3", "model.nope: unknown key", "(from --set model.nope=3)"),
                override("model.d_model.x=1", "model.d_model is 16, not a section"),
                override("train..lr=1", "'train..lr' is not a valid key path"),
                override("variants.x=1", "variants and the grid cannot be set this way"),
                override("train.lr=*a", "train.lr: the YAML alias *a is not supported", "--set train.lr=*a"),
                override("model={d_model: 1, d_model: 2}", "model.d_model: duplicate key"),
                override("train.lr=.inf", "train.lr: .inf is not allowed"),
                override("model.heads=3", "model.d_model: 16 is invalid", "model.heads (3, from --set model.heads=3)"),
                override("train.seeds=[a]", "train.seeds[0]", "an integer"),
                override("model.kv_heads=5", "model.kv_heads: 5 is invalid", "1, 2", "(from --set model.kv_heads=5)"),
                override("train.lr=" + LONG, "train.lr", "(100092 characters)"),
                override("model.kernel=3", "model.kernel", "a string"),
                override("train.lr=[1, 2", "--set train.lr=[1, 2", "not valid YAML"),
                override("model.d_model=1048576", "model.d_model 1048576", "the run needs about"));
    }

    /** Options and arguments: {config} is GOOD written to a file, {out} a directory that must stay absent. */
    static Stream<Arguments> badOptions() {
        return Stream.of(
                Arguments.of(List.of("run", "{config}", "--seed", "abc", "--out", "{out}"),
                        List.of("lab: Invalid value for option '--seed' (N): 'abc' is not an integer; see 'lab run --help'")),
                Arguments.of(List.of("run", "{config}", "--seed", "-1", "--out", "{out}"),
                        List.of("train.seeds[0]: -1 is invalid", "(from --seed -1)")),
                Arguments.of(List.of("run", "{config}", "--seed", "4294967296", "--out", "{out}"),
                        List.of("train.seeds[0]: 4294967296 is invalid", "2147483647")),
                Arguments.of(List.of("run", "{config}", "--out", ""), List.of("'--out': '' is not a path")),
                Arguments.of(List.of("run", "{tmp}/nowhere.yaml", "--out", "{out}"), List.of("config file not found", "nowhere.yaml")),
                Arguments.of(List.of("run", "{tmp}", "--out", "{out}"), List.of("config file not found")),
                Arguments.of(List.of("run", "{config}", "--frobnicate", "--out", "{out}"), List.of("Unknown option: '--frobnicate'")),
                Arguments.of(List.of("run"), List.of("Missing required parameter: 'CONFIG'", "see 'lab run --help'")),
                Arguments.of(List.of("run", "{config}", "--out", "{out}", "--set"), List.of("Missing required parameter for option '--set'")),
                Arguments.of(List.of("resume", ""), List.of("(DIR)", "'' is not a path")),
                Arguments.of(List.of("reproduce", "--jobs", "0", "--out", "{out}"), List.of("--jobs 0 is invalid; allowed: 1 to 256")),
                Arguments.of(List.of("resume", "{tmp}/nowhere"), List.of("nowhere: not a run directory")),
                Arguments.of(List.of("resume", "{tmp}", "--steps", "abc"), List.of("'--steps': 'abc' is not an integer")),
                Arguments.of(List.of("frobnicate"), List.of("Unmatched argument", "'frobnicate'")),
                Arguments.of(List.of("bench", "nosuch", "--out", "{out}"), List.of("unknown benchmark 'nosuch'")),
                Arguments.of(List.of("bench", "decode", "--threads", "0", "--out", "{out}"), List.of("--threads 0 is out of range")),
                Arguments.of(List.of("compare", "{tmp}", "--band", "wide", "--out", "{out}"), List.of("--band 'wide' is not allowed")),
                Arguments.of(List.of("reproduce", "--only", "nosuch", "--out", "{out}"), List.of("--only 'nosuch' is not a claim")));
    }

    @ParameterizedTest
    @MethodSource({"badConfigs", "badOverrides"})
    void badConfigExitsTwoWithOneLineAndCreatesNothing(String yaml, List<String> extra, List<String> fragments) throws IOException {
        Path config = Files.writeString(tmp.resolve("config.yaml"), yaml);
        List<String> args = new ArrayList<>(List.of("run", config.toString(), "--out", tmp.resolve("out").toString()));
        args.addAll(extra);
        assertRefused(args, fragments);
    }

    @ParameterizedTest
    @MethodSource("badOptions")
    void badOptionExitsTwoWithOneLineAndCreatesNothing(List<String> template, List<String> fragments) throws IOException {
        Path config = Files.writeString(tmp.resolve("config.yaml"), GOOD);
        List<String> args = template.stream().map(a -> a.replace("{config}", config.toString())
                .replace("{out}", tmp.resolve("out").toString()).replace("{tmp}", tmp.toString())).toList();
        assertRefused(args, fragments);
    }

    @Test
    void aFileThatIsNotUtf8IsRefused() throws IOException {
        Path config = Files.write(tmp.resolve("config.yaml"), new byte[] {'e', 'x', (byte) 0xC3, (byte) 0x28, '\n'});
        assertRefused(List.of("run", config.toString(), "--out", tmp.resolve("out").toString()), List.of("not UTF-8 text"));
    }

    /** The table is as large as the issue asks, and every case fails for its own reason (no two expect the same line). */
    @Test
    void theTableHasAtLeastNinetyCases() {
        long cases = Stream.of(badConfigs(), badOverrides(), badOptions()).flatMap(s -> s).count() + 1;
        assertThat(cases).isGreaterThanOrEqualTo(90);
    }

    /** CRLF line ends and a UTF-8 byte order mark are accepted: the run is trained (2 steps) and exits 0. */
    @Test
    void crlfAndByteOrderMarkAreAccepted() throws IOException {
        byte[] text = GOOD.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[text.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(text, 0, withBom, 3, text.length);
        Path config = Files.write(tmp.resolve("config.yaml"), withBom);
        LabCli cli = LabCli.execute("run", config.toString(), "--out", tmp.resolve("out").toString());
        assertThat(cli.code()).as(cli.err()).isZero();
        assertThat(tmp.resolve("out/bad")).isDirectory();
    }

    private void assertRefused(List<String> args, List<String> fragments) throws IOException {
        List<Path> before = listing();
        LabCli cli = LabCli.execute(args.toArray(String[]::new));
        String err = cli.err().trim();
        assertThat(cli.code()).as(err).isEqualTo(2);
        assertThat(err).startsWith("lab: ").doesNotContain("\n").doesNotContain("Exception").hasSizeLessThanOrEqualTo(Lab.MAX_LINE);
        assertThat(err).doesNotEndWith(": null");
        for (String f : fragments) {
            assertThat(err).contains(f);
        }
        assertThat(cli.out()).isEmpty();
        assertThat(listing()).as("files created").isEqualTo(before);
    }

    private List<Path> listing() throws IOException {
        try (Stream<Path> files = Files.walk(tmp)) {
            return files.sorted().toList();
        }
    }
}
