package attentionlab.experiments.train.listeners;

import attentionlab.experiments.layout.RunStatus;
import attentionlab.experiments.train.StepContext;
import attentionlab.experiments.train.StepListener;
import attentionlab.experiments.train.TrainingSession;
import java.nio.file.Files;
import java.util.function.Consumer;

/**
 * Checkpoints at step 0 (the initial weights, once), every checkpoint_every steps, and at the end of a run
 * that completed or was interrupted (a diverged run keeps its last finite checkpoint).
 */
public final class CheckpointListener implements StepListener {

    private final Consumer<TrainingSession> save;

    /** @param save writes a checkpoint of the session's current state (with every listener's state) */
    public CheckpointListener(Consumer<TrainingSession> save) {
        this.save = save;
    }

    @Override
    public void onStart(TrainingSession session) {
        if (session.stepsCompleted() == 0 && !Files.exists(session.dir().layout().checkpoint(0))) {
            save.accept(session); // not again when resuming from step-0: it holds these very weights
        }
    }

    @Override
    public void afterStep(StepContext step) {
        int every = step.session().config().train().checkpointEvery();
        if (!step.isInitial() && !step.isLast() && every > 0 && step.step() % every == 0) {
            save.accept(step.session());
        }
    }

    @Override
    public void onEnd(TrainingSession session, RunStatus status) {
        if ((status == RunStatus.COMPLETED || status == RunStatus.INTERRUPTED) && session.stepsCompleted() > 0) {
            save.accept(session);
        }
    }
}
