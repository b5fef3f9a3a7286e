package attentionlab.experiments.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import attentionlab.experiments.tasks.Examples;
import java.util.Random;

/**
 * The training batches of a run, a pure function of (seed, step): epoch e visits the training set
 * in the order of a permutation drawn from (seed, e), B examples per step, the last partial batch of
 * an epoch dropped. Because the batch of step t does not depend on earlier steps, a resumed run sees
 * the same batches as an uninterrupted one.
 */
public final class BatchSource {

    private final Examples data;
    private final int batchSize;
    private final long seed;
    private final int stepsPerEpoch;
    private int cachedEpoch = -1;
    private int[] order;

    public BatchSource(Examples data, int batchSize, long seed) {
        this.data = data;
        this.batchSize = batchSize;
        this.seed = seed;
        this.stepsPerEpoch = data.count() / batchSize;
    }

    /** Indices of the examples of step t (1-based). */
    public int[] indices(int step) {
        int index = step - 1;
        int epoch = index / stepsPerEpoch;
        if (epoch != cachedEpoch) {
            order = permutation(data.count(), new Random(seed * 1_000_003L + epoch));
            cachedEpoch = epoch;
        }
        int from = (index % stepsPerEpoch) * batchSize;
        return java.util.Arrays.copyOfRange(order, from, from + batchSize);
    }

    /** NDList(inputs [B,N] or [B,N,C]), NDList(labels [B,N]) for step t, on {@code manager}. */
    public NDList[] batch(int step, NDManager manager) {
        return slice(data, indices(step), manager);
    }

    /** The given examples as NDList(inputs), NDList(labels). */
    public static NDList[] slice(Examples data, int[] indices, NDManager manager) {
        int n = data.length();
        int c = data.channels();
        int[] tokens = new int[indices.length * n * c];
        int[] labels = new int[indices.length * n];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(data.tokens(), indices[i] * n * c, tokens, i * n * c, n * c);
            System.arraycopy(data.labels(), indices[i] * n, labels, i * n, n);
        }
        Shape inputShape = c == 1 ? new Shape(indices.length, n) : new Shape(indices.length, n, c);
        NDArray x = manager.create(tokens, inputShape);
        NDArray y = manager.create(labels, new Shape(indices.length, n));
        return new NDList[] {new NDList(x), new NDList(y)};
    }

    private static int[] permutation(int n, Random random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
