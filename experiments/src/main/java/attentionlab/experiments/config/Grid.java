package attentionlab.experiments.config;

import attentionlab.experiments.core.UserError;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A grid over config key paths: every combination of the listed values is one point. From the config
 * ({@code grid: {model.d_model: [32, 64], train.lr: [1e-3, 3e-3]}}, nested sections allowed) and from
 * {@code --grid model.d_model=32,64} (or {@code =[32, 64]}), which adds a key or replaces the config's
 * list for it. Points are listed with the first key slowest, as nested loops in key order.
 */
final class Grid {

    /** Keys a grid cannot vary: names of the experiment and of runs, and the seeds (crossed already). */
    private static final Set<String> FIXED = Set.of("experiment", "variant", "variants", "grid", "train.seeds");

    private final Map<String, List<JsonNode>> values = new LinkedHashMap<>();
    private final Map<String, String> sources = new LinkedHashMap<>();

    private Grid() {}

    /**
     * @param yaml the config's {@code grid:} section (null if none)
     * @param cli {@code --grid} options, later ones replacing earlier ones for the same key
     * @throws UserError naming the key for an empty list, a value that is not a scalar, or a fixed key
     */
    static Grid of(JsonNode yaml, List<String> cli) {
        Grid grid = new Grid();
        if (yaml != null && !yaml.isNull()) {
            if (!yaml.isObject() || yaml.isEmpty()) {
                throw new UserError("grid: expected a map of key.path -> list of values, e.g. grid: {model.d_model: [32, 64]}, got "
                        + ConfigErrors.show(yaml));
            }
            Map<String, JsonNode> flat = new LinkedHashMap<>();
            ConfigLoader.flatten("", yaml, flat);
            flat.forEach((path, list) -> grid.put(path, list, "grid." + path, "grid"));
        }
        for (String option : cli) {
            int eq = option.indexOf('=');
            if (eq <= 0) {
                throw new UserError("--grid '" + option + "': expected key.path=value1,value2,... e.g. --grid model.d_model=32,64");
            }
            String path = option.substring(0, eq).trim();
            grid.values.remove(path);
            grid.put(path, parseList(option, option.substring(eq + 1)), "--grid " + option, "--grid");
        }
        return grid;
    }

    /** {@code 32,64} or {@code [32, 64]}: each value read as YAML. */
    private static JsonNode parseList(String option, String text) {
        try {
            if (text.trim().startsWith("[")) {
                return ConfigLoader.YAML.readTree(text);
            }
            var list = ConfigLoader.YAML.createArrayNode();
            if (!text.isBlank()) {
                for (String item : text.split(",", -1)) {
                    JsonNode value = ConfigLoader.YAML.readTree(item.trim());
                    list.add(value == null || value.isMissingNode() ? ConfigLoader.YAML.getNodeFactory().nullNode() : value);
                }
            }
            return list;
        } catch (JacksonException e) {
            throw new UserError("--grid " + option + ": values are not YAML: " + ConfigErrors.firstLine(e.getOriginalMessage()));
        }
    }

    private void put(String path, JsonNode list, String where, String source) {
        if (FIXED.contains(path) || path.startsWith("variants.") || path.startsWith("grid.")) {
            throw new UserError(where + ": " + path + " cannot be a grid key"
                    + (path.equals("train.seeds") ? "; seeds are crossed with the grid already: list them in train.seeds or"
                    + " give --seed N for each" : "; it names the experiment or its runs"));
        }
        if (!list.isArray()) {
            throw new UserError(where + ": expected a list of values, e.g. [32, 64], got " + ConfigErrors.show(list));
        }
        if (list.isEmpty()) {
            throw new UserError(where + ": the list of values is empty; give at least one value, e.g. [32, 64]");
        }
        List<JsonNode> items = new ArrayList<>();
        for (JsonNode item : list) {
            if (!item.isValueNode()) {
                throw new UserError(where + ": " + ConfigErrors.show(item) + " is not allowed; grid values must be single"
                        + " values (numbers, strings, true/false)");
            }
            if (items.contains(item)) {
                throw new UserError(where + ": " + ConfigErrors.show(item) + " is listed twice; grid values must be distinct");
            }
            items.add(item);
        }
        values.put(path, List.copyOf(items));
        sources.put(path, source);
    }

    boolean isEmpty() {
        return values.isEmpty();
    }

    /** The key paths, in order. */
    Set<String> keys() {
        return values.keySet();
    }

    /** key path -> its values, in order. */
    Map<String, List<JsonNode>> values() {
        return java.util.Collections.unmodifiableMap(values);
    }

    /** The number of points: the product of the lists' lengths (saturating at Long.MAX_VALUE). */
    long size() {
        long n = 1;
        for (List<JsonNode> list : values.values()) {
            n = list.size() > Long.MAX_VALUE / n ? Long.MAX_VALUE : n * list.size();
        }
        return n;
    }

    /** Every point (key path -> value), first key slowest; one empty point when the grid is empty. */
    List<Map<String, JsonNode>> points() {
        List<Map<String, JsonNode>> points = new ArrayList<>();
        points.add(Map.of());
        for (Map.Entry<String, List<JsonNode>> key : values.entrySet()) {
            List<Map<String, JsonNode>> next = new ArrayList<>();
            for (Map<String, JsonNode> point : points) {
                for (JsonNode value : key.getValue()) {
                    Map<String, JsonNode> extended = new LinkedHashMap<>(point);
                    extended.put(key.getKey(), value);
                    next.add(extended);
                }
            }
            points = next;
        }
        return points;
    }

    /** Where a point's value came from, for error messages: {@code grid model.d_model=32} or {@code --grid ...}. */
    String origin(String path, JsonNode value) {
        return sources.get(path) + " " + path + "=" + value.asText();
    }

    /**
     * A point's run label: the variant, then {@code _<key>-<value>} per grid key, the key shortened to its last
     * segment unless two keys share it, characters other than letters, digits, '.', '_', '-' replaced by '-'.
     *
     * @param skip a key left out of the label (the kernel, when the variant is named after it), or null
     */
    String label(String variant, Map<String, JsonNode> point, String skip) {
        StringBuilder b = new StringBuilder(variant);
        point.forEach((path, value) -> {
            if (!path.equals(skip)) {
                b.append('_').append(shortName(path)).append('-').append(value.asText().replaceAll("[^A-Za-z0-9._-]", "-"));
            }
        });
        return b.toString();
    }

    private String shortName(String path) {
        String last = path.substring(path.lastIndexOf('.') + 1);
        long sharing = values.keySet().stream().filter(k -> k.substring(k.lastIndexOf('.') + 1).equals(last)).count();
        return sharing > 1 ? path : last;
    }
}
