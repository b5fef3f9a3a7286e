package attentionlab.experiments.config;

import attentionlab.experiments.tasks.Tasks;
import attentionlab.models.kernel.KernelOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The default of every optional config key, in one place (a task's own defaults are registered with it
 * in {@link Tasks}). Required keys (no default): experiment, task.name, model.d_model, model.heads,
 * model.layers, model.kernel, train.steps, train.lr, and for sequence-file task.path and task.val_examples.
 */
final class ConfigDefaults {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ConfigDefaults() {}

    /** Fills every optional key left out, in place. Defaults that depend on other keys are derived here. */
    static void fill(ObjectNode tree) {
        putIfAbsent(tree, "variants", NODES.objectNode());
        JsonNode kernel = tree.path("model").path("kernel");
        putIfAbsent(tree, "variant", NODES.textNode(kernel.isTextual() ? kernel.asText() : "default"));
        if (tree.get("task") instanceof ObjectNode task) {
            Tasks.Type type = Tasks.type(task.path("name").asText(""));
            if (type != null) {
                type.defaults().forEach((key, value) -> putIfAbsent(task, key, ConfigLoader.YAML.valueToTree(value)));
            }
        }
        if (tree.get("model") instanceof ObjectNode model) {
            JsonNode d = model.get("d_model");
            if (d != null && d.canConvertToExactIntegral()) {
                putIfAbsent(model, "ffn_hidden", NODES.numberNode(4 * d.asInt()));
                putIfAbsent(model, "value_dim", d);
            }
            JsonNode h = model.get("heads");
            if (h != null && h.canConvertToExactIntegral()) {
                putIfAbsent(model, "kv_heads", h);
            }
            JsonNode v = model.get("value_dim");
            if (v != null) {
                putIfAbsent(model, "output_input_dim", v);
            }
            putIfAbsent(model, "temperature", NODES.numberNode(1.0));
            putIfAbsent(model, "alpha", NODES.numberNode(KernelOptions.DEFAULT_ALPHA));
            putIfAbsent(model, "causal", NODES.booleanNode(false));
        }
        if (tree.get("train") instanceof ObjectNode train) {
            putIfAbsent(train, "batch_size", NODES.numberNode(64));
            putIfAbsent(train, "optimizer", NODES.textNode("adam"));
            putIfAbsent(train, "beta1", NODES.numberNode(0.9));
            putIfAbsent(train, "beta2", NODES.numberNode(0.999));
            putIfAbsent(train, "epsilon", NODES.numberNode(1e-8));
            putIfAbsent(train, "weight_decay", NODES.numberNode(0.0));
            putIfAbsent(train, "grad_clip", NODES.numberNode(0.0));
            putIfAbsent(train, "warmup_steps", NODES.numberNode(0));
            putIfAbsent(train, "eval_every", NODES.numberNode(100));
            putIfAbsent(train, "log_every", NODES.numberNode(1));
            putIfAbsent(train, "checkpoint_every", NODES.numberNode(0));
            putIfAbsent(train, "seeds", NODES.arrayNode().add(0));
            putIfAbsent(train, "init_weights", NODES.textNode(""));
        }
    }

    private static void putIfAbsent(ObjectNode node, String key, JsonNode value) {
        if (!node.has(key)) {
            node.set(key, value);
        }
    }
}
