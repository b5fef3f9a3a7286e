package attentionlab.experiments.train;

import attentionlab.experiments.layout.RunStatus;

/**
 * Observes a {@link TrainingLoop}: metrics, gradient norms, validation, checkpoints, progress are all
 * listeners; the loop knows nothing about what is logged. Listeners run in the order given. (Named so
 * as not to be confused with DJL's {@code ai.djl.training.listener.TrainingListener}, which the loop
 * does not use.)
 */
public interface StepListener {

    /** Before the first step (of this process: also after a resume). */
    default void onStart(TrainingSession session) {}

    /**
     * After backward, before the optimizer update: gradients are readable ({@code step.gradients()}),
     * the model still holds the weights that produced them.
     */
    default void beforeUpdate(StepContext step) {}

    /** After the optimizer update of this step. Listeners add columns to {@code step.row()}. */
    default void afterStep(StepContext step) {}

    /** After the last step, or when training stops early. */
    default void onEnd(TrainingSession session, RunStatus status) {}
}
