package attentionlab.experiments.train.listeners;

import attentionlab.experiments.io.Json;
import attentionlab.experiments.train.GradientStats;
import attentionlab.experiments.train.MetricColumns;
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
            if (column.startsWith(MetricColumns.GRAD_NORM)) {
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
    public void onEnd(TrainingSession session, String status) {
        ObjectNode s = Json.MAPPER.createObjectNode();
        s.put("experiment", session.config().experiment());
        s.put("variant", session.config().variant());
        s.put("seed", session.seed());
        s.put("status", status);
        s.put("steps_completed", session.stepsCompleted());
        s.put("task", session.task().name());
        s.put("chance_accuracy", session.task().chanceAccuracy());
        s.put("parameter_count", session.parameterCount());
        s.put("steps_per_second", session.stepsPerSecond());
        s.set("final", Json.MAPPER.valueToTree(last));
        s.set("best", Json.MAPPER.valueToTree(best));
        s.set("max_abs_grad", Json.MAPPER.valueToTree(maxAbsGrad));
        s.set("unchanged_parameters", Json.MAPPER.valueToTree(session.unchangedParameters()));
        Json.write(session.dir().summary(), s);
    }

    @Override
    public String stateKey() {
        return "summary";
    }

    @Override
    public JsonNode saveState() {
        ObjectNode s = Json.MAPPER.createObjectNode();
        s.set("final", Json.MAPPER.valueToTree(last));
        s.set("best", Json.MAPPER.valueToTree(best));
        s.set("max_abs_grad", Json.MAPPER.valueToTree(maxAbsGrad));
        return s;
    }

    @Override
    public void restoreState(JsonNode state) {
        read(state.path("final"), last);
        read(state.path("best"), best);
        read(state.path("max_abs_grad"), maxAbsGrad);
    }

    private static void read(JsonNode node, Map<String, Double> into) {
        into.clear();
        node.fields().forEachRemaining(e -> into.put(e.getKey(), e.getValue().asDouble()));
    }
}
