package dev.adapterloop.adapters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values of a method's own options, each one of its {@link MethodOption#choices}: the registry fills in defaults
 * and refuses unknown names before a provider sees them, so a provider only reads.
 */
public final class MethodOptions {

    private final Map<String, String> values;

    private MethodOptions(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /**
     * Checks {@code given} (kebab-case names to values) against {@code declared}: an unknown name or a value outside
     * an option's choices is an error naming both; options not given take their defaults.
     */
    static MethodOptions resolve(String method, List<MethodOption> declared, Map<String, String> given) {
        Map<String, MethodOption> byName = new LinkedHashMap<>();
        declared.forEach(option -> byName.put(option.name(), option));
        for (String name : given.keySet()) {
            if (!byName.containsKey(name)) {
                throw new IllegalArgumentException("'" + name + "' is not an option of method '" + method + "'"
                        + (byName.isEmpty() ? " (it has none)" : " (its options: " + byName.keySet() + ")"));
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        byName.forEach((name, option) -> values.put(name, given.containsKey(name)
                ? option.parse(given.get(name)) : option.defaultValue()));
        return new MethodOptions(values);
    }

    /** The value of an option the method declared. */
    public String get(String name) {
        String value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("no option '" + name + "' was declared (declared: " + values.keySet()
                    + ")");
        }
        return value;
    }

    public boolean flag(String name) {
        return Boolean.parseBoolean(get(name));
    }
}
