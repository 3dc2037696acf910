package dev.adapterloop.tasks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.adapterloop.registry.AdapterRegistry;
import java.util.Locale;

/**
 * A task's definition as the bucket holds it ({@code tasks/<task>/task.json}): its settings as they were sent (the
 * keys of {@code adapterloop.tasks.<task>.*}, nested or dotted) and a version counter that each change raises by one.
 * Every version is also kept under {@code tasks/<task>/task-history/}, so a change can be traced and undone by hand.
 *
 * @param version   1 for the first definition, +1 per change; clients send it back as the ETag in If-Match
 * @param updatedBy the principal of the change (an API key's name, {@code cli:<user>})
 */
public record TaskDocument(int schemaVersion, String task, long version, String updatedAt, String updatedBy,
                           ObjectNode settings) {

    public static final int SCHEMA_VERSION = 1;
    public static final String FILE = "task.json";
    public static final String HISTORY = "task-history/";

    public static String key(String task) {
        return AdapterRegistry.taskPrefix(task) + FILE;
    }

    public static String historyKey(String task, long version) {
        return AdapterRegistry.taskPrefix(task) + HISTORY + String.format(Locale.ROOT, "%012d", version) + ".json";
    }
}
