package attentionlab.experiments.layout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a run keeps its files: the contract between training (which writes them) and compare,
 * TensorBoard export and the claims (which read them). docs/design.md describes each file.
 * <pre>
 *   &lt;runs&gt;/&lt;experiment&gt;/&lt;yyyyMMdd-HHmmss&gt;[-N]/&lt;variant&gt;-s&lt;seed&gt;/
 *     config.yaml  meta.json  metrics.csv  summary.json  log.txt  lock
 *     checkpoints/step-&lt;t&gt;/  model-0000.params  optimizer.bin  state.json  config.yaml  checksums.sha256
 *     attention/  examples.json  step-&lt;t&gt;.npz
 *     inspect/&lt;yyyyMMdd-HHmmss&gt;/   written by lab inspect
 * </pre>
 *
 * @param dir the run directory
 */
public record RunLayout(Path dir) {

    public static final String CONFIG = "config.yaml";
    public static final String META = "meta.json";
    public static final String METRICS = "metrics.csv";
    public static final String SUMMARY = "summary.json";
    public static final String LOG = "log.txt";
    /** Locked ({@link RunLock}) by the process that writes the run; empty. */
    public static final String LOCK = "lock";
    public static final String CHECKPOINTS = "checkpoints";
    /** A checkpoint directory is {@code step-<t>}. */
    public static final String CHECKPOINT_PREFIX = "step-";
    /** The model name DJL saves parameters under ({@code model-0000.params}). */
    public static final String CHECKPOINT_MODEL = "model";
    public static final String CHECKPOINT_OPTIMIZER = "optimizer.bin";
    public static final String CHECKPOINT_STATE = "state.json";
    /** Attention weights of a few fixed validation examples, saved at each evaluation. */
    public static final String ATTENTION = "attention";
    /** {@code attention/examples.json}: which examples, their tokens and matching keys. */
    public static final String ATTENTION_EXAMPLES = "examples.json";
    /** Where {@code lab inspect} writes its figures by default, in timestamped directories. */
    public static final String INSPECT = "inspect";
    /** An attention snapshot is {@code attention/step-<t>.npz}. */
    private static final Pattern ATTENTION_STEP = Pattern.compile("step-(\\d+)\\.npz");
    /** The run's config.yaml as the checkpoint was trained with. */
    public static final String CHECKPOINT_CONFIG = "config.yaml";
    /** SHA-256 of every other file of the checkpoint, in {@code sha256sum} format (written last). */
    public static final String CHECKPOINT_CHECKSUMS = "checksums.sha256";

    private static final Pattern RUN_NAME = Pattern.compile("(.+)-s(\\d+)");

    /** The run directory's name: {@code <variant>-s<seed>}. */
    public static String name(String variant, long seed) {
        return variant + "-s" + seed;
    }

    /** What a run directory's name {@code <variant>-s<seed>} states; seed as written (digits). */
    public record Name(String variant, String seed) {}

    /** The variant and seed a run directory's name states, or null if it is not {@code <variant>-s<seed>}. */
    public static Name parseName(Path dir) {
        Matcher m = RUN_NAME.matcher(dir.getFileName().toString());
        return m.matches() ? new Name(m.group(1), m.group(2)) : null;
    }

    /** Whether {@code dir} is a run directory (it has a metrics.csv). */
    public static boolean isRunDir(Path dir) {
        return Files.isRegularFile(dir.resolve(METRICS));
    }

    public Path config() {
        return dir.resolve(CONFIG);
    }

    public Path meta() {
        return dir.resolve(META);
    }

    public Path metrics() {
        return dir.resolve(METRICS);
    }

    public Path summary() {
        return dir.resolve(SUMMARY);
    }

    public Path log() {
        return dir.resolve(LOG);
    }

    public Path lock() {
        return dir.resolve(LOCK);
    }

    public Path checkpoints() {
        return dir.resolve(CHECKPOINTS);
    }

    /** {@code checkpoints/step-<t>}. */
    public Path checkpoint(int step) {
        return checkpoints().resolve(CHECKPOINT_PREFIX + step);
    }

    public Path attention() {
        return dir.resolve(ATTENTION);
    }

    public Path inspect() {
        return dir.resolve(INSPECT);
    }

    public Path attentionExamples() {
        return attention().resolve(ATTENTION_EXAMPLES);
    }

    /** {@code attention/step-<t>.npz}. */
    public Path attentionSnapshot(int step) {
        return attention().resolve(CHECKPOINT_PREFIX + step + ".npz");
    }

    /** The step of an {@code attention/step-<t>.npz} file, or -1 for any other name. */
    public static int attentionSnapshotStep(Path file) {
        Matcher m = ATTENTION_STEP.matcher(file.getFileName().toString());
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }
}
