package attentionlab.experiments.claims.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * claims.json's numbers as JSON numbers: a check states its predicted and measured values as text for
 * the report ("0.9812", "[8, 64, 8]", "1.004 (SE 0.01, z = +0.40)"); in claims.json a text that is a
 * number becomes a number, a list of numbers an array, and a number followed by a parenthesis the
 * number plus {@code <field>_detail} with the parenthesis' text. Any other text stays text.
 */
final class ClaimsJson {

    /** The check fields that hold values. */
    private static final List<String> VALUE_FIELDS = List.of("predicted", "measured");

    private static final String NUMBER = "[-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?";
    private static final Pattern PLAIN = Pattern.compile(NUMBER);
    private static final Pattern LIST = Pattern.compile("\\[\\s*(" + NUMBER + "(?:\\s*,\\s*" + NUMBER + ")*)\\s*]");
    private static final Pattern WITH_DETAIL = Pattern.compile("(" + NUMBER + ") \\((.*)\\)");

    private ClaimsJson() {}

    /** Converts the value fields of every check in {@code claims[].checks[]}, in place; returns the tree. */
    static JsonNode withNumbers(JsonNode root) {
        for (JsonNode claim : root.path("claims")) {
            for (JsonNode check : claim.path("checks")) {
                if (check instanceof ObjectNode object) {
                    VALUE_FIELDS.forEach(field -> convert(object, field));
                }
            }
        }
        return root;
    }

    private static void convert(ObjectNode check, String field) {
        JsonNode value = check.get(field);
        if (value == null || !value.isTextual()) {
            return;
        }
        String text = value.asText().trim();
        JsonNodeFactory json = JsonNodeFactory.withExactBigDecimals(true); // "100" stays 100, not 1E+2
        if (PLAIN.matcher(text).matches()) {
            check.set(field, json.numberNode(new BigDecimal(text)));
            return;
        }
        Matcher list = LIST.matcher(text);
        if (list.matches()) {
            ArrayNode array = json.arrayNode();
            for (String n : list.group(1).split(",")) {
                array.add(new BigDecimal(n.trim()));
            }
            check.set(field, array);
            return;
        }
        Matcher detail = WITH_DETAIL.matcher(text);
        if (detail.matches()) {
            check.set(field, json.numberNode(new BigDecimal(detail.group(1))));
            check.put(field + "_detail", detail.group(2));
        }
    }
}
