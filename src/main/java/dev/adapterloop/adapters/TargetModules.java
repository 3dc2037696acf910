package dev.adapterloop.adapters;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which linear layers an adapter targets, with PEFT's {@code target_modules} semantics: a list of names matches a
 * module whose path equals a name or ends with {@code "." + name}; a single string starting with {@code "re:"} is a
 * regular expression that must match the whole path.
 */
public record TargetModules(List<String> names, Pattern regex) {

    public TargetModules {
        if ((names == null || names.isEmpty()) == (regex == null)) {
            throw new IllegalArgumentException("target_modules needs either module names or one regex");
        }
        if (names != null) {
            names = List.copyOf(names);
            for (String name : names) {
                if (name.isBlank() || name.startsWith(".") || name.endsWith(".")) {
                    throw new IllegalArgumentException("target_modules: '" + name + "' is not a module name");
                }
            }
        }
    }

    public static TargetModules of(String... names) {
        return new TargetModules(List.of(names), null);
    }

    /** Parses a configuration value: {@code "query,value"} or {@code "re:.*\.(query|value)"}. */
    public static TargetModules parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("target_modules must not be empty");
        }
        if (spec.startsWith("re:")) {
            try {
                return new TargetModules(null, Pattern.compile(spec.substring(3)));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("target_modules: invalid regex '" + spec.substring(3) + "': "
                        + e.getDescription(), e);
            }
        }
        return new TargetModules(List.of(spec.trim().split("\\s*,\\s*")), null);
    }

    public boolean matches(String modulePath) {
        if (regex != null) {
            return regex.matcher(modulePath).matches();
        }
        for (String name : names) {
            if (modulePath.equals(name) || modulePath.endsWith("." + name)) {
                return true;
            }
        }
        return false;
    }

    /** The value written to {@code adapter_config.json}: a list of names, or the regex string. */
    public Object toPeftValue() {
        return regex != null ? regex.pattern() : names;
    }

    // Pattern compares by identity: two configs that target the same regex are equal.
    @Override
    public boolean equals(Object o) {
        return o instanceof TargetModules t && Objects.equals(names, t.names)
                && Objects.equals(regex == null ? null : regex.pattern(), t.regex == null ? null : t.regex.pattern());
    }

    @Override
    public int hashCode() {
        return Objects.hash(names, regex == null ? null : regex.pattern());
    }

    @Override
    public String toString() {
        return regex != null ? "re:" + regex.pattern() : String.join(",", names);
    }
}
