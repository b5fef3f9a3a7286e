package attentionlab.experiments.compare;

import attentionlab.experiments.core.UserError;
import attentionlab.experiments.layout.RunLayout;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@code lab compare --pool}: runs of one variant from several experiment directories count as seeds of
 * one group only if their resolved configs (config.yaml) are equal in every key but the seed, and no
 * seed appears twice (two runs of one seed are one sample, not two).
 */
final class Pooling {

    /** The key that differs between seeds of one variant. */
    static final String SEED_KEY = "train.seeds";

    private static final YAMLMapper YAML = new YAMLMapper();

    private Pooling() {}

    /**
     * @throws UserError naming the keys that differ (with both values and both runs), a repeated seed, or a
     *     run without config.yaml
     */
    static void check(String label, List<RunRecord> runs) {
        if (runs.stream().map(RunRecord::experimentDir).distinct().count() < 2) {
            return;
        }
        Map<Long, RunRecord> bySeed = new LinkedHashMap<>();
        for (RunRecord run : runs) {
            RunRecord before = bySeed.putIfAbsent(run.seed(), run);
            if (before != null) {
                throw new UserError("--pool: '" + label + "' has seed " + run.seed() + " twice (" + before.dir() + " and "
                        + run.dir() + "); runs of one seed are one sample, so they cannot be pooled as two seeds");
            }
        }
        RunRecord first = runs.get(0);
        Map<String, String> reference = flatConfig(first);
        for (RunRecord run : runs.subList(1, runs.size())) {
            List<String> differences = differences(reference, flatConfig(run));
            if (!differences.isEmpty()) {
                throw new UserError("--pool: '" + label + "' cannot pool " + first.dir() + " and " + run.dir()
                        + ": their configs differ in more than the seed: " + String.join("; ", differences)
                        + " (compare them without --pool)");
            }
        }
    }

    /** "key: a vs b" for every key whose values differ, the seed excepted. */
    static List<String> differences(Map<String, String> a, Map<String, String> b) {
        Set<String> keys = new LinkedHashSet<>(a.keySet());
        keys.addAll(b.keySet());
        List<String> out = new ArrayList<>();
        for (String key : keys) {
            if (!key.equals(SEED_KEY) && !Objects.equals(a.get(key), b.get(key))) {
                out.add(key + ": " + a.getOrDefault(key, "(absent)") + " vs " + b.getOrDefault(key, "(absent)"));
            }
        }
        return out;
    }

    /** config.yaml as dotted key paths to values ({@code model.kernel -> softmax}; lists as one value). */
    static Map<String, String> flatConfig(RunRecord run) {
        Path file = new RunLayout(run.dir()).config();
        if (!Files.isRegularFile(file)) {
            throw new UserError("--pool: " + run.dir() + " has no " + RunLayout.CONFIG
                    + ", so it cannot be checked to differ from the others only in the seed");
        }
        try {
            Map<String, String> flat = new LinkedHashMap<>();
            flatten("", YAML.readTree(file.toFile()), flat);
            return flat;
        } catch (IOException e) {
            throw new UserError("--pool: cannot read " + file + ": " + e.getMessage());
        }
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out));
        } else {
            out.put(prefix, node.isValueNode() ? node.asText() : node.toString());
        }
    }
}
