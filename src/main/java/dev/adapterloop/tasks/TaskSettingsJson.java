package dev.adapterloop.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.adapterloop.config.TaskProperties;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A definition's JSON settings as configuration keys: objects nest with dots ({@code {"adapter": {"rank": 8}}} and
 * {@code {"adapter.rank": 8}} are the same key), a list of scalars is a comma-separated value (commas inside an item
 * escaped, as SmallRye reads lists), and numbers and booleans are their text. So the JSON can say anything
 * application.properties can, and nothing it cannot.
 */
final class TaskSettingsJson {

    private TaskSettingsJson() {
    }

    /** @throws TaskProperties.InvalidSettingsException not an object, a null, or a list of other than scalars */
    static Map<String, String> flatten(JsonNode settings) {
        if (settings == null || !settings.isObject()) {
            throw new TaskProperties.InvalidSettingsException(List.of(new TaskProperties.Problem("",
                    "the settings must be a JSON object of adapterloop.tasks.<task>.* keys, e.g. "
                            + "{\"labels\": [\"ham\", \"spam\"], \"adapter\": {\"rank\": 8}}")));
        }
        Map<String, String> flat = new TreeMap<>();
        List<TaskProperties.Problem> problems = new ArrayList<>();
        flatten("", settings, flat, problems);
        if (!problems.isEmpty()) {
            throw new TaskProperties.InvalidSettingsException(problems);
        }
        return flat;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> flat,
            List<TaskProperties.Problem> problems) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = prefix + field.getKey();
            JsonNode value = field.getValue();
            if (field.getKey().isBlank()) {
                problems.add(new TaskProperties.Problem(key, "an empty key is not a setting"));
            } else if (value.isObject()) {
                flatten(key + ".", value, flat, problems);
            } else if (value.isArray()) {
                list(key, value, flat, problems);
            } else if (value.isNull()) {
                problems.add(new TaskProperties.Problem(key, "null is not a value: leave '" + key
                        + "' out for its default"));
            } else if (flat.putIfAbsent(key, value.asText()) != null) {
                problems.add(new TaskProperties.Problem(key, "'" + key + "' is given twice (nested and dotted)"));
            }
        }
    }

    private static void list(String key, JsonNode array, Map<String, String> flat,
            List<TaskProperties.Problem> problems) {
        List<String> items = new ArrayList<>();
        for (JsonNode item : array) {
            if (!item.isValueNode() || item.isNull()) {
                problems.add(new TaskProperties.Problem(key, "'" + key + "' must be a list of strings or numbers"));
                return;
            }
            items.add(item.asText().replace("\\", "\\\\").replace(",", "\\,"));
        }
        flat.put(key, String.join(",", items));
    }
}
