package attentionlab.experiments.train.listeners;

import attentionlab.experiments.layout.MetricColumns;
import attentionlab.experiments.train.GradientStats;
import attentionlab.experiments.train.StepContext;
import attentionlab.experiments.train.StepListener;

/** grad_norm/&lt;param&gt; = ||g||_2 of every trainable parameter at every logged step, read before the update. */
public final class GradientNormListener implements StepListener {

    @Override
    public void beforeUpdate(StepContext step) {
        if (step.isLogStep() && !step.isInitial()) {
            GradientStats g = step.gradients();
            for (int i = 0; i < g.norms().length; i++) {
                step.row().put(MetricColumns.gradNorm(g.names().get(i)), (double) g.norms()[i]);
            }
        }
    }
}
