package attentionlab.experiments.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.optimizer.Optimizer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Adam (Kingma and Ba), with state that can be saved and restored for an exact resume (DJL's own
 * {@code Adam} keeps its moments private). For parameter w with gradient g at step t:
 * <pre>
 *   g   = s g                                  s: the loop's global-norm clipping scale (1 = none)
 *   m   = beta1 m + (1 - beta1) g
 *   v   = beta2 v + (1 - beta2) g^2
 *   w  -= lr_t ( m / (1 - beta1^t) ) / ( sqrt(v / (1 - beta2^t)) + eps )  +  lr_t wd w
 * </pre>
 * Decoupled weight decay wd is 0 by default, so a parameter whose gradient is always 0 never moves.
 * The training loop calls {@link #prepare} before each {@code Trainer.step()}.
 */
public final class AdamOptimizer extends Optimizer {

    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final float decay;
    private final Map<String, NDArray> mean = new TreeMap<>();
    private final Map<String, NDArray> variance = new TreeMap<>();
    private int step;
    private float learningRate;
    private float gradScale = 1f;

    public AdamOptimizer(double beta1, double beta2, double epsilon, double weightDecay) {
        super(new Builder());
        this.beta1 = (float) beta1;
        this.beta2 = (float) beta2;
        this.epsilon = (float) epsilon;
        this.decay = (float) weightDecay;
    }

    /** Sets the step t (1-based), the learning rate and the gradient scale for the next update. */
    public void prepare(int step, double learningRate, double gradScale) {
        this.step = step;
        this.learningRate = (float) learningRate;
        this.gradScale = (float) gradScale;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        if (step < 1) {
            throw new IllegalStateException("prepare(step, lr, scale) must be called before each update");
        }
        NDArray m = mean.computeIfAbsent(parameterId, k -> weight.zerosLike());
        NDArray v = variance.computeIfAbsent(parameterId, k -> weight.zerosLike());
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray g = gradScale == 1f ? grad : grad.mul(gradScale);
            m.muli(beta1).addi(g.mul(1 - beta1));
            v.muli(beta2).addi(g.square().mul(1 - beta2));
            double correction1 = 1 - Math.pow(beta1, step);
            double correction2 = 1 - Math.pow(beta2, step);
            NDArray update = m.div(correction1).div(v.div(correction2).sqrt().add(epsilon)).mul(learningRate);
            if (decay > 0) {
                update.addi(weight.mul(learningRate * decay));
            }
            weight.subi(update);
        }
    }

    /**
     * Writes both moments of every parameter under a stable name (DJL parameter ids are random per
     * process); the step is saved by the checkpoint.
     *
     * @param names parameter id -> stable name
     */
    public void save(DataOutputStream out, Map<String, String> names) throws IOException {
        out.writeInt(mean.size());
        for (String id : mean.keySet()) {
            out.writeUTF(names.get(id));
            writeArray(out, mean.get(id));
            writeArray(out, variance.get(id));
        }
    }

    /**
     * Restores the moments written by {@link #save}, into arrays owned by {@code manager}.
     *
     * @param ids stable name -> parameter id of this process
     */
    public void load(DataInputStream in, NDManager manager, Map<String, String> ids) throws IOException {
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            String name = in.readUTF();
            String id = ids.get(name);
            if (id == null) {
                throw new IOException("optimizer state names unknown parameter " + name);
            }
            mean.put(id, readArray(in, manager));
            variance.put(id, readArray(in, manager));
        }
    }

    private static void writeArray(DataOutputStream out, NDArray array) throws IOException {
        byte[] bytes = array.encode();
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static NDArray readArray(DataInputStream in, NDManager manager) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return manager.decode(bytes);
    }

    private static final class Builder extends OptimizerBuilder<Builder> {
        @Override
        protected Builder self() {
            return this;
        }
    }
}
