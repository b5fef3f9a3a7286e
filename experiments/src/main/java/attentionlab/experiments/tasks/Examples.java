package attentionlab.experiments.tasks;

/**
 * A block of examples held in Java arrays (copied into NDArrays one batch at a time).
 *
 * @param count number of examples
 * @param length N
 * @param channels C
 * @param tokens example-major ids, count x N x C
 * @param labels count x N output classes, -1 where there is no loss
 * @param targetKey per example, the position of the key token the query should attend to (-1: none)
 */
public record Examples(int count, int length, int channels, int[] tokens, int[] labels, int[] targetKey) {

    public Examples {
        if (tokens.length != count * length * channels || labels.length != count * length || targetKey.length != count) {
            throw new IllegalArgumentException("inconsistent example arrays for " + count + " x " + length + " x " + channels);
        }
    }

    /** Ids of example i, N x C. */
    public int[] tokensOf(int i) {
        int w = length * channels;
        return java.util.Arrays.copyOfRange(tokens, i * w, (i + 1) * w);
    }

    /** Labels of example i, N. */
    public int[] labelsOf(int i) {
        return java.util.Arrays.copyOfRange(labels, i * length, (i + 1) * length);
    }
}
