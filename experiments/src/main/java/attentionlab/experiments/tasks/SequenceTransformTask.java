package attentionlab.experiments.tasks;

import java.util.Arrays;
import java.util.Random;

/**
 * Sequence-to-sequence over symbols {0..V-1}: an input x of length L, a separator, then L output
 * slots; the slot i must predict y_i (loss and accuracy on the L output positions only):
 * <ul>
 *   <li>{@code copy}: y = x</li>
 *   <li>{@code reverse}: y_i = x_{L-1-i}</li>
 *   <li>{@code sort}: y = x sorted ascending</li>
 * </ul>
 * Token ids: symbol s -> s, separator -> V, empty output slot -> V + 1; N = 2L + 1, C = 1.
 * Example (copy, L=3, V=5): x = 4 0 2 -> tokens 4 0 2 5 6 6 6, labels - - - - 4 0 2.
 * Chance accuracy per token 1/V (uniform guessing; for sort a position-aware guess does better, since
 * sorted outputs are small at the front and large at the back).
 */
public final class SequenceTransformTask extends GeneratedTask {

    /** What the output slots must hold. */
    public enum Transform {
        COPY, REVERSE, SORT
    }

    private final Transform transform;
    private final int length;
    private final int vocab;

    public SequenceTransformTask(Transform transform, SequenceTaskConfig c) {
        super(c.name(), c.trainExamples(), c.valExamples());
        this.transform = transform;
        this.length = c.length();
        this.vocab = c.vocab();
    }

    @Override
    public int inputVocab() {
        return vocab + 2;
    }

    @Override
    public int outputVocab() {
        return vocab;
    }

    @Override
    public int length() {
        return 2 * length + 1;
    }

    /** The symbol, SEP (the separator) or _ (an output slot). */
    @Override
    public String tokenName(int id) {
        return id < vocab ? Integer.toString(id) : id == vocab ? "SEP" : "_";
    }

    @Override
    public TaskSize size() {
        return size(vocab + 2L, vocab, 2L * length + 1, 1, "task.vocab " + vocab, "task.length " + length);
    }

    @Override
    public Examples generate(Random random, int count) {
        int n = length();
        int[] tokens = new int[count * n];
        int[] labels = new int[count * n];
        int[] target = new int[count];
        Arrays.fill(labels, -1);
        Arrays.fill(target, -1);
        int[] x = new int[length];
        for (int e = 0; e < count; e++) {
            for (int i = 0; i < length; i++) {
                x[i] = random.nextInt(vocab);
            }
            int[] y = switch (transform) {
                case COPY -> x.clone();
                case REVERSE -> reversed(x);
                case SORT -> sorted(x);
            };
            int base = e * n;
            for (int i = 0; i < length; i++) {
                tokens[base + i] = x[i];
                tokens[base + length + 1 + i] = vocab + 1;
                labels[base + length + 1 + i] = y[i];
            }
            tokens[base + length] = vocab;
        }
        return new Examples(count, n, 1, tokens, labels, target);
    }

    private static int[] reversed(int[] x) {
        int[] y = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[x.length - 1 - i];
        }
        return y;
    }

    private static int[] sorted(int[] x) {
        int[] y = x.clone();
        Arrays.sort(y);
        return y;
    }
}
