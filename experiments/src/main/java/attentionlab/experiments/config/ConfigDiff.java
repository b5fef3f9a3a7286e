package attentionlab.experiments.config;

import attentionlab.experiments.io.Format;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The keys in which two resolved configs differ, e.g. to name what changed since a checkpoint was written. */
public final class ConfigDiff {

    private ConfigDiff() {}

    /**
     * Every key path whose value differs, as {@code "train.lr: 0.003 -> 0.01"} (a missing side shows as
     * "nothing"), in key order; keys in {@code ignored} are left out.
     */
    public static List<String> changes(ExperimentConfig before, ExperimentConfig after, Set<String> ignored) {
        Map<String, JsonNode> a = flatten(ConfigLoader.YAML.valueToTree(before));
        Map<String, JsonNode> b = flatten(ConfigLoader.YAML.valueToTree(after));
        Set<String> keys = new LinkedHashSet<>(a.keySet());
        keys.addAll(b.keySet());
        List<String> changes = new ArrayList<>();
        for (String key : keys) {
            JsonNode x = a.get(key);
            JsonNode y = b.get(key);
            if (!ignored.contains(key) && (x == null || !x.equals(y))) {
                changes.add(key + ": " + Format.clip(ConfigErrors.show(x)) + " -> " + Format.clip(ConfigErrors.show(y)));
            }
        }
        return changes;
    }

    private static Map<String, JsonNode> flatten(JsonNode tree) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        flatten("", tree, out);
        return out;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, JsonNode> out) {
        if (!node.isObject()) {
            out.put(prefix, node);
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
        }
    }
}
