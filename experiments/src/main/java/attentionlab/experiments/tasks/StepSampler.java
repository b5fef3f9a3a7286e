package attentionlab.experiments.tasks;

import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Sampler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * The training batches of a run as a pure function of (seed, step t): epoch e = (t - 1) / S visits the
 * dataset in the order of a permutation drawn from (seed, e), B examples per step, S = floor(size / B)
 * steps per epoch (the last partial batch of an epoch is dropped). Because the batch of step t does not
 * depend on earlier steps, a run resumed at step t sees the batches an uninterrupted run would.
 */
public final class StepSampler implements Sampler {

    private final int batchSize;
    private final long seed;
    private final int firstStep;
    private final int lastStep;

    /**
     * @param firstStep the first step served (1-based)
     * @param lastStep the last step served
     */
    public StepSampler(int batchSize, long seed, int firstStep, int lastStep) {
        this.batchSize = batchSize;
        this.seed = seed;
        this.firstStep = firstStep;
        this.lastStep = lastStep;
    }

    @Override
    public int getBatchSize() {
        return batchSize;
    }

    /** One list of indices per step, from firstStep to lastStep. */
    @Override
    public Iterator<List<Long>> sample(RandomAccessDataset dataset) {
        Epochs epochs = new Epochs(Math.toIntExact(dataset.size()));
        return new Iterator<>() {
            private int step = firstStep;

            @Override
            public boolean hasNext() {
                return step <= lastStep;
            }

            @Override
            public List<Long> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                List<Long> indices = new ArrayList<>(batchSize);
                for (int i : epochs.indices(step++)) {
                    indices.add((long) i);
                }
                return indices;
            }
        };
    }

    /** Indices of the examples of step t (1-based) in a dataset of {@code size} examples. */
    public int[] indices(int size, int step) {
        return new Epochs(size).indices(step);
    }

    /** The permutation of the current epoch, drawn once per epoch. */
    private final class Epochs {
        private final int size;
        private final int stepsPerEpoch;
        private int cachedEpoch = -1;
        private int[] order;

        Epochs(int size) {
            if (size < batchSize) {
                throw new IllegalArgumentException(size + " examples are fewer than one batch of " + batchSize);
            }
            this.size = size;
            this.stepsPerEpoch = size / batchSize;
        }

        int[] indices(int step) {
            int index = step - 1;
            int epoch = index / stepsPerEpoch;
            if (epoch != cachedEpoch) {
                order = permutation(size, new Random(seed * 1_000_003L + epoch));
                cachedEpoch = epoch;
            }
            int from = (index % stepsPerEpoch) * batchSize;
            return Arrays.copyOfRange(order, from, from + batchSize);
        }
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
