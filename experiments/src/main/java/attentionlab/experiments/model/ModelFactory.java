package attentionlab.experiments.model;

import ai.djl.ndarray.types.Shape;
import attentionlab.experiments.config.ModelConfig;
import attentionlab.experiments.tasks.Task;
import attentionlab.models.attention.MultiHeadAttention;
import attentionlab.models.kernel.AttentionKernels;
import attentionlab.models.kernel.KernelOptions;
import attentionlab.models.stack.SequenceModel;

/** The one place that turns a {@code model:} config (and a task's vocabulary and length) into a model. */
public final class ModelFactory {

    private ModelFactory() {}

    /** An uninitialised {@link SequenceModel}; initialise it with {@link #inputShape}. */
    public static SequenceModel create(ModelConfig m, Task task) {
        KernelOptions options = new KernelOptions(m.temperature(), true, m.alpha());
        return new SequenceModel(task.inputVocab(), task.outputVocab(), task.length(), m.dModel(), m.layers(), m.ffnHidden(),
                i -> MultiHeadAttention.builder()
                        .setModelDim(m.dModel())
                        .setHeads(m.heads())
                        .optKvHeads(m.kvHeads())
                        .optValueDim(m.valueDim())
                        .optOutputInputDim(m.outputInputDim())
                        .optCausal(m.causal())
                        .optKernel(AttentionKernels.create(m.kernel(), options))
                        .build());
    }

    /** The shape of a batch of {@code batch} inputs: [B,N] or [B,N,C]. */
    public static Shape inputShape(Task task, int batch) {
        return task.channels() == 1
                ? new Shape(batch, task.length())
                : new Shape(batch, task.length(), task.channels());
    }
}
