package attentionlab.experiments.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One training step as listeners see it.
 *
 * @see TrainingLoop
 */
public final class StepContext {

    private final TrainingSession session;
    private final int step;
    private final double loss;
    private final double accuracy;
    private final double learningRate;
    private final GradientStats gradients;
    private final Map<String, Double> row = new LinkedHashMap<>();

    StepContext(TrainingSession session, int step, double loss, double accuracy, double learningRate, GradientStats gradients) {
        this.session = session;
        this.step = step;
        this.loss = loss;
        this.accuracy = accuracy;
        this.learningRate = learningRate;
        this.gradients = gradients;
    }

    public TrainingSession session() {
        return session;
    }

    /** 1-based number of this optimizer update. */
    public int step() {
        return step;
    }

    /** This batch's loss, computed before the update. */
    public double loss() {
        return loss;
    }

    /** This batch's token accuracy, computed before the update. */
    public double accuracy() {
        return accuracy;
    }

    /** The learning rate of this update. */
    public double learningRate() {
        return learningRate;
    }

    /** Per-parameter gradient norms and max |g| of this step, read before the update. */
    public GradientStats gradients() {
        return gradients;
    }

    /** Step 0: the untrained model, validated once before the first update (no loss, no gradients). */
    public boolean isInitial() {
        return step == 0;
    }

    public boolean isLast() {
        return step == session.config().train().steps();
    }

    /** Whether this step writes a metrics row: every {@code log_every} steps and the last. */
    public boolean isLogStep() {
        return step % session.config().train().logEvery() == 0 || isLast();
    }

    /** Whether this step validates: every {@code eval_every} steps and the last. */
    public boolean isEvalStep() {
        return step % session.config().train().evalEvery() == 0 || isLast();
    }

    /** The metrics row of this step, column -> value; listeners fill it, the CSV writer writes it. */
    public Map<String, Double> row() {
        return row;
    }
}
