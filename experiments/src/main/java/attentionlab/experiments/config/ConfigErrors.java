package attentionlab.experiments.config;

import attentionlab.experiments.core.UserError;
import attentionlab.experiments.io.Format;
import attentionlab.experiments.tasks.Tasks;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Turns config problems into one line: key path, value, what is allowed (and which override set it). */
final class ConfigErrors {

    private static final Pattern MISSING = Pattern.compile("Missing required creator property '([^']+)'");

    /** Keys every config must give (all others have defaults, see {@link ConfigDefaults}). */
    private static final String REQUIRED_HINT = "required keys: experiment, task.name, model.d_model, model.heads, "
            + "model.layers, model.kernel, train.steps, train.lr; for sequence-file also task.path, task.val_examples";

    /**
     * Unknown keys are reported before anything else (a misspelt key also leaves a required key missing,
     * and the misspelling is the useful message).
     */
    static void rejectUnknownKeys(ObjectNode tree, Map<String, String> origins) {
        checkKeys(tree, "", ExperimentConfig.class, origins);
        checkKeys(tree.get("model"), "model.", ModelConfig.class, origins);
        checkKeys(tree.get("train"), "train.", TrainConfig.class, origins);
        Tasks.Type task = Tasks.type(tree.path("task").path("name").asText(""));
        if (task != null) {
            checkKeys(tree.get("task"), "task.", task.config(), origins);
        }
    }

    private static void checkKeys(JsonNode section, String prefix, Class<?> type, Map<String, String> origins) {
        if (section == null || !section.isObject()) {
            return; // the binder reports the wrong type
        }
        List<String> known = new ArrayList<>();
        for (var component : type.getRecordComponents()) {
            // @JsonProperty on a record parameter is propagated to the accessor method, not to the component
            com.fasterxml.jackson.annotation.JsonProperty p =
                    component.getAccessor().getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
            known.add(p != null ? p.value() : component.getName());
        }
        for (Iterator<String> it = section.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                String origin = origins.get(prefix + key);
                throw new UserError(prefix + Format.clip(key) + ": unknown key; allowed keys here: " + String.join(", ", known)
                        + (origin == null ? "" : " (from " + Format.clip(origin) + ")"));
            }
        }
    }

    /** One line for a binding error: key path, value, what is allowed (and where an override came from). */
    static String explain(JacksonException e, JsonNode tree, Map<String, String> origins) {
        List<String> parts = new ArrayList<>();
        if (e instanceof JsonMappingException m) {
            for (JsonMappingException.Reference r : m.getPath()) {
                if (r.getFieldName() != null) {
                    parts.add(r.getFieldName());
                } else if (r.getIndex() >= 0) {
                    parts.add("[" + r.getIndex() + "]");
                }
            }
        }
        String path = String.join(".", parts).replace(".[", "[");
        String message;
        if (e instanceof UnrecognizedPropertyException u) {
            String allowed = u.getKnownPropertyIds() == null ? "" : u.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            message = path + ": unknown key; allowed keys here: " + allowed;
        } else if (e instanceof InvalidTypeIdException t) {
            String prefix = path.isEmpty() ? "task" : path;
            message = t.getTypeId() == null
                    ? prefix + ".name: missing required key; allowed: " + String.join(", ", Tasks.names())
                    : prefix + ".name: unknown task '" + t.getTypeId() + "'; allowed: " + String.join(", ", Tasks.names());
            path = prefix + ".name";
        } else if (e instanceof MismatchedInputException mi) {
            Matcher missing = MISSING.matcher(String.valueOf(mi.getOriginalMessage()));
            if (missing.find()) {
                path = (path.isEmpty() ? "" : path + ".") + missing.group(1);
                message = path + ": missing required key (" + REQUIRED_HINT + ")";
            } else if (at(tree, parts).isMissingNode()) {
                message = path + ": missing required key (" + REQUIRED_HINT + ")";
            } else {
                message = path + ": expected " + describe(mi.getTargetType()) + ", got " + show(at(tree, parts));
            }
        } else {
            message = (path.isEmpty() ? "config" : path) + ": " + firstLine(e.getOriginalMessage());
        }
        String origin = origins.get(path);
        return origin == null ? message : message + " (from " + Format.clip(origin) + ")";
    }

    private static JsonNode at(JsonNode tree, List<String> parts) {
        JsonNode node = tree;
        for (String p : parts) {
            node = p.startsWith("[") ? node.path(Integer.parseInt(p.substring(1, p.length() - 1))) : node.path(p);
        }
        return node;
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "a different type";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "an integer";
        }
        if (type == double.class || type == Double.class || type == float.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list, e.g. [0, 1, 2]";
        }
        return "a section (a map of keys)";
    }

    /** How a value is shown in messages: strings quoted, missing as "nothing". */
    static String show(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        if (node.isNull()) {
            return "null";
        }
        if (node.isTextual()) {
            return "'" + Format.clip(node.asText()) + "'";
        }
        if (node.isObject()) {
            return "a section";
        }
        return Format.clip(node.toString());
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }

    private ConfigErrors() {}
}
