package attentionlab.experiments.tasks;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.util.Progress;

/**
 * A task's examples as a DJL dataset. Record i is data {@code NDList(tokens)}, tokens [N] or [N,C], and
 * labels {@code NDList(labels)}, labels [N] (-1 where there is no loss), int32; DJL's stacking batchifier
 * makes batches [B,N] or [B,N,C] and [B,N]. Which records form a batch is the sampler's choice: training
 * uses {@link StepSampler} (a pure function of seed and step), validation a sequential one. A batch's
 * {@code getIndices()} are example indices, e.g. for {@link Examples#targetKey()}.
 */
public final class TaskDataset extends RandomAccessDataset {

    private final Examples examples;

    public TaskDataset(Examples examples) {
        super(new Builder().setSampling(1, false)); // the sampler is given with each getData call
        this.examples = examples;
    }

    public Examples examples() {
        return examples;
    }

    @Override
    public Record get(NDManager manager, long index) {
        int i = Math.toIntExact(index);
        Shape shape = examples.channels() == 1 ? new Shape(examples.length())
                : new Shape(examples.length(), examples.channels());
        return new Record(new NDList(manager.create(examples.tokensOf(i), shape)),
                new NDList(manager.create(examples.labelsOf(i))));
    }

    @Override
    protected long availableSize() {
        return examples.count();
    }

    @Override
    public void prepare(Progress progress) {
        // the examples are in memory already
    }

    private static final class Builder extends BaseBuilder<Builder> {
        @Override
        protected Builder self() {
            return this;
        }
    }
}
