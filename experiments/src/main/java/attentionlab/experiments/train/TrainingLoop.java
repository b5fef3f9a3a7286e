package attentionlab.experiments.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import attentionlab.experiments.config.TrainConfig;
import attentionlab.experiments.layout.RunStatus;
import java.util.Iterator;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The optimisation loop on DJL's {@link Trainer}, one step:
 * <pre>
 *   batch = the training batch of step t          a pure function of (seed, t): StepSampler
 *   zero the gradients                            backward adds to them
 *   loss  = masked cross-entropy(forward(batch))  inside a gradient collector, then backward
 *   stats = ||g|| and max|g| per parameter         non-finite loss or gradient -> DivergedException
 *   listeners.beforeUpdate
 *   Adam(lr_t, clip scale).step                   lr_t = lr min(1, t / warmup); scale = min(1, clip / ||g||)
 *   listeners.afterStep
 * </pre>
 * Every native array of a step lives in a scratch manager closed at the end of the step.
 */
final class TrainingLoop {

    private TrainingLoop() {}

    /** Learning rate of step t (1-based): linear warm-up to lr over warmup_steps, then constant. */
    static double learningRate(TrainConfig t, int step) {
        return t.warmupSteps() == 0 ? t.lr() : t.lr() * Math.min(1.0, (double) step / t.warmupSteps());
    }

    /**
     * Trains from {@code session.stepsCompleted()} to {@code train.steps}.
     *
     * @return {@link RunStatus#COMPLETED} or {@link RunStatus#INTERRUPTED} if {@code stop} said so
     * @throws DivergedException at the first non-finite loss or gradient
     */
    static RunStatus run(TrainingSession session, List<StepListener> listeners, BooleanSupplier stop) {
        Trainer trainer = session.trainer();
        TrainConfig t = session.config().train();
        Iterator<Batch> batches = session.trainingBatches(session.stepsCompleted() + 1);
        for (int step = session.stepsCompleted() + 1; step <= t.steps(); step++) {
            if (stop.getAsBoolean()) {
                return RunStatus.INTERRUPTED;
            }
            try (Batch batch = batches.next(); NDManager scratch = trainer.getManager().newSubManager()) {
                double loss;
                long[] correct;
                GradientStats.zero(session.parameters(), scratch); // backward accumulates; the optimizer only sees a copy
                try (GradientCollector collector = trainer.newGradientCollector()) {
                    NDList predictions = trainer.forward(batch.getData()); // [B,N,V_out]
                    NDArray lossArray = trainer.getLoss().evaluate(batch.getLabels(), predictions);
                    collector.backward(lossArray);
                    loss = lossArray.getFloat();
                    correct = MaskedCrossEntropy.correct(predictions.head(), batch.getLabels().head());
                }
                GradientStats gradients = GradientStats.read(session.parameterNames(), session.parameters(), scratch);
                if (!Double.isFinite(loss)) {
                    throw new DivergedException("train/loss is " + loss + " at step " + step);
                }
                String bad = gradients.firstNonFinite();
                if (bad != null) {
                    throw new DivergedException(bad + " at step " + step);
                }
                double lr = learningRate(t, step);
                double norm = gradients.globalNorm();
                double scale = t.gradClip() > 0 && norm > t.gradClip() ? t.gradClip() / norm : 1.0;
                StepContext context = new StepContext(session, step, loss, (double) correct[0] / correct[1], lr, gradients);
                listeners.forEach(l -> l.beforeUpdate(context));
                session.optimizer().prepare(step, lr, scale);
                trainer.step();
                session.markStep(step);
                listeners.forEach(l -> l.afterStep(context));
            }
        }
        return RunStatus.COMPLETED;
    }
}
