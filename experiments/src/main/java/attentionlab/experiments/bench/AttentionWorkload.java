package attentionlab.experiments.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import attentionlab.models.kernel.AttentionKernel;
import attentionlab.models.kernel.AttentionKernels;
import attentionlab.models.kernel.AttentionMask;

/**
 * One attention call as measured by {@link AttentionScaling}, the complexity claim and the chunked
 * benchmark: a registered kernel on Q [1,1,N,D], K [1,1,N,D], V [1,1,N,M], without a mask or causal,
 * forward only or forward + backward of sum(output) to Q, K, V. Inputs are made once; each
 * {@link #run} frees everything it created.
 */
public final class AttentionWorkload implements AutoCloseable {

    private final NDManager manager;
    private final AttentionKernel kernel;
    private final boolean backward;
    private final AttentionMask mask;
    private final NDArray q;
    private final NDArray k;
    private final NDArray v;

    public AttentionWorkload(NDManager parent, String kernelName, int n, int d, int m, boolean backward) {
        this(parent, AttentionKernels.create(kernelName), n, d, m, backward, false);
    }

    /** A given kernel instance (e.g. a linear kernel with another chunk size), causal or not. */
    public AttentionWorkload(NDManager parent, AttentionKernel kernel, int n, int d, int m, boolean backward, boolean causal) {
        this.manager = parent.newSubManager();
        this.kernel = kernel;
        this.backward = backward;
        this.mask = causal ? AttentionMask.CAUSAL : AttentionMask.NONE;
        this.q = manager.randomNormal(new Shape(1, 1, n, d));
        this.k = manager.randomNormal(new Shape(1, 1, n, d));
        this.v = manager.randomNormal(new Shape(1, 1, n, m));
        if (backward) {
            q.setRequiresGradient(true);
            k.setRequiresGradient(true);
            v.setRequiresGradient(true);
        }
    }

    /** One forward (and backward) pass; its intermediates are freed before returning. */
    public void run() {
        try (NDManager step = manager.newSubManager()) {
            if (!backward) {
                kernel.attend(view(q, step), view(k, step), view(v, step), mask); // [1,1,N,M]
                return;
            }
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray out = kernel.attend(view(q, step), view(k, step), view(v, step), mask);
                collector.backward(out.sum());
            }
        }
    }

    /** A view of x owned by {@code step}, so that every op the kernel starts from it is freed with step. */
    private static NDArray view(NDArray x, NDManager step) {
        NDArray y = x.reshape(x.getShape());
        y.attach(step);
        return y;
    }

    @Override
    public void close() {
        manager.close();
    }
}
