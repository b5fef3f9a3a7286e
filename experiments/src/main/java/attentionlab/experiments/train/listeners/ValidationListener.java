package attentionlab.experiments.train.listeners;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import attentionlab.experiments.layout.MetricColumns;
import attentionlab.experiments.tasks.Examples;
import attentionlab.experiments.train.MaskedCrossEntropy;
import attentionlab.experiments.train.StepContext;
import attentionlab.experiments.train.StepListener;
import attentionlab.experiments.train.TrainingSession;
import java.util.Iterator;
import java.util.List;

/**
 * Every eval_every steps (and at steps 0 and last), on the fixed validation set: val/loss (masked
 * cross-entropy), val/accuracy (per labelled token), val/sequence_accuracy (all labelled tokens of a
 * sequence right) and, for tasks with a target key, attn_target/layer&lt;L&gt;_head&lt;H&gt;: the mean over
 * validation sequences of the attention weight the query (last) position puts on the matching key's
 * position. For argmax the weights are one-hot, so this is the fraction of queries whose argmax is
 * the matching key.
 */
public final class ValidationListener implements StepListener {

    @Override
    public void afterStep(StepContext step) {
        if (step.isEvalStep()) {
            evaluate(step.session(), step);
        }
    }

    private static void evaluate(TrainingSession session, StepContext step) {
        Trainer trainer = session.trainer();
        Examples val = session.validation();
        int layers = session.config().model().layers();
        int heads = session.config().model().heads();
        boolean attention = session.task().hasTargetKey();
        double lossSum = 0;
        long[] correct = new long[3];
        double[] onTarget = new double[layers * heads];
        for (Iterator<Batch> batches = session.validationBatches(); batches.hasNext(); ) {
            try (Batch b = batches.next(); NDManager scratch = trainer.getManager().newSubManager()) {
                NDList logits = trainer.evaluate(b.getData()); // [B,N,V_out]
                long[] c = MaskedCrossEntropy.correct(logits.head(), b.getLabels().head());
                lossSum += trainer.getLoss().evaluate(b.getLabels(), logits).getFloat() * c[1];
                for (int k = 0; k < 3; k++) {
                    correct[k] += c[k];
                }
                if (attention) {
                    accumulateAttention(session, val, b, scratch, onTarget);
                }
            }
        }
        step.row().put(MetricColumns.VAL_LOSS, lossSum / correct[1]);
        step.row().put(MetricColumns.VAL_ACCURACY, (double) correct[0] / correct[1]);
        step.row().put(MetricColumns.VAL_SEQUENCE_ACCURACY, (double) correct[2] / val.count());
        if (attention) {
            List<String> columns = MetricColumns.attentionColumns(layers, heads);
            for (int i = 0; i < columns.size(); i++) {
                step.row().put(columns.get(i), onTarget[i] / val.count());
            }
        }
    }

    /** Adds, per layer and head, sum over the batch of weights[b, h, last, target_b]. */
    private static void accumulateAttention(TrainingSession session, Examples val, Batch batch, NDManager scratch,
                                            double[] onTarget) {
        int n = val.length();
        List<?> indices = batch.getIndices(); // example indices of the batch's rows
        int[] target = new int[indices.size()];
        for (int i = 0; i < target.length; i++) {
            target[i] = val.targetKey()[Math.toIntExact((Long) indices.get(i))];
        }
        NDList inputs = batch.getData();
        NDArray pick = scratch.create(target).toType(DataType.INT64, false).oneHot(n, DataType.FLOAT32)
                .expandDims(1); // [B,1,N]
        List<NDArray> maps = session.block().attentionWeights(new ParameterStore(scratch, false), inputs);
        int heads = session.config().model().heads();
        for (int l = 0; l < maps.size(); l++) {
            NDArray w = maps.get(l); // [B,H,N,N]
            NDArray lastRow = w.get(":, :, " + (n - 1) + ", :"); // [B,H,N]
            float[] perHead = lastRow.mul(pick).sum(new int[] {2, 0}).toFloatArray(); // [H]
            for (int h = 0; h < heads; h++) {
                onTarget[l * heads + h] += perHead[h];
            }
        }
    }
}
