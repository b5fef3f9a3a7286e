package attentionlab.experiments.train.listeners;

import attentionlab.experiments.io.Json;
import attentionlab.experiments.layout.MetricColumns;
import attentionlab.experiments.train.StatefulListener;
import attentionlab.experiments.train.StepContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * train/loss and train/accuracy (means over the steps since the previous row; with log_every 1, the
 * step's own batch, measured before its update) and lr.
 */
public final class TrainMetricsListener implements StatefulListener {

    private double lossSum;
    private double accuracySum;
    private int count;

    @Override
    public void afterStep(StepContext step) {
        if (step.isInitial()) {
            return;
        }
        lossSum += step.loss();
        accuracySum += step.accuracy();
        count++;
        if (step.isLogStep()) {
            step.row().put(MetricColumns.TRAIN_LOSS, lossSum / count);
            step.row().put(MetricColumns.TRAIN_ACCURACY, accuracySum / count);
            step.row().put(MetricColumns.LR, step.learningRate());
            lossSum = 0;
            accuracySum = 0;
            count = 0;
        }
    }

    @Override
    public String stateKey() {
        return "train_metrics";
    }

    @Override
    public JsonNode saveState() {
        ObjectNode s = Json.MAPPER.createObjectNode();
        s.put("loss_sum", lossSum);
        s.put("accuracy_sum", accuracySum);
        s.put("count", count);
        return s;
    }

    @Override
    public void restoreState(JsonNode state) {
        lossSum = state.path("loss_sum").asDouble();
        accuracySum = state.path("accuracy_sum").asDouble();
        count = state.path("count").asInt();
    }
}
