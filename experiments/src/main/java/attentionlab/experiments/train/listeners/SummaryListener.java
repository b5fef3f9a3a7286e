package attentionlab.experiments.train.listeners;

import attentionlab.experiments.io.Json;
import attentionlab.experiments.layout.MetricColumns;
import attentionlab.experiments.layout.RunKeys;
import attentionlab.experiments.layout.RunStatus;
import attentionlab.experiments.train.GradientStats;
import attentionlab.experiments.train.StatefulListener;
import attentionlab.experiments.train.StepContext;
import attentionlab.experiments.train.TrainingSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * summary.json: experiment, variant, seed, status, steps_completed, task, chance_accuracy,
 * parameter_count, steps_per_second, final {metric: last value}, best {metric: max for accuracies,
 * min for losses}, max_abs_grad {param: max |g| over every step of the run}, unchanged_parameters
 * [params whose final weights equal their initial weights bit for bit]. Written at the end, whatever
 * the status.
 */
public final class SummaryListener implements StatefulListener {

    private final Map<String, Double> last = new LinkedHashMap<>();
    private final Map<String, Double> best = new LinkedHashMap<>();
    private final Map<String, Double> maxAbsGrad = new LinkedHashMap<>();

    @Override
    public void beforeUpdate(StepContext step) {
        GradientStats g = step.gradients();
        for (int i = 0; i < g.maxAbs().length; i++) {
            maxAbsGrad.merge(g.names().get(i), (double) g.maxAbs()[i], Math::max);
        }
    }

    @Override
    public void afterStep(StepContext step) {
        step.row().forEach((column, value) -> {
            if (MetricColumns.isGradNorm(column)) {
                return;
            }
            last.put(column, value);
            if (column.endsWith("loss")) {
                best.merge(column, value, Math::min);
            } else if (column.endsWith("accuracy")) {
                best.merge(column, value, Math::max);
            }
        });
    }

    @Override
    public void onEnd(TrainingSession session, RunStatus status) {
        ObjectNode s = Json.MAPPER.createObjectNode();
        s.put(RunKeys.EXPERIMENT, session.config().experiment());
        s.put(RunKeys.VARIANT, session.config().variant());
        s.put(RunKeys.SEED, session.seed());
        s.put(RunKeys.STATUS, status.label());
        s.put(RunKeys.STEPS_COMPLETED, session.stepsCompleted());
        s.put(RunKeys.TASK, session.task().name());
        s.put(RunKeys.CHANCE_ACCURACY, session.task().chanceAccuracy());
        s.put(RunKeys.PARAMETER_COUNT, session.parameterCount());
        s.put(RunKeys.STEPS_PER_SECOND, session.stepsPerSecond());
        s.set(RunKeys.FINAL, Json.MAPPER.valueToTree(last));
        s.set(RunKeys.BEST, Json.MAPPER.valueToTree(best));
        s.set(RunKeys.MAX_ABS_GRAD, Json.MAPPER.valueToTree(maxAbsGrad));
        s.set(RunKeys.UNCHANGED_PARAMETERS, Json.MAPPER.valueToTree(session.unchangedParameters()));
        Json.write(session.dir().layout().summary(), s);
    }

    @Override
    public String stateKey() {
        return "summary";
    }

    @Override
    public JsonNode saveState() {
        ObjectNode s = Json.MAPPER.createObjectNode();
        s.set(RunKeys.FINAL, Json.MAPPER.valueToTree(last));
        s.set(RunKeys.BEST, Json.MAPPER.valueToTree(best));
        s.set(RunKeys.MAX_ABS_GRAD, Json.MAPPER.valueToTree(maxAbsGrad));
        return s;
    }

    @Override
    public void restoreState(JsonNode state) {
        read(state.path(RunKeys.FINAL), last);
        read(state.path(RunKeys.BEST), best);
        read(state.path(RunKeys.MAX_ABS_GRAD), maxAbsGrad);
    }

    private static void read(JsonNode node, Map<String, Double> into) {
        into.clear();
        node.fields().forEachRemaining(e -> into.put(e.getKey(), e.getValue().asDouble()));
    }
}
