package dev.adapterloop.nativelib;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A per-process engine choice (CPU kernels, allocator, attention) read from a system property or, failing that, an
 * environment variable: set once before the engine loads, so it cannot be a Quarkus configuration property.
 */
public final class ProcessSetting {

    private ProcessSetting() {
    }

    /** The constant the property or the environment names, {@code fallback} when neither does. */
    public static <E extends Enum<E>> E configured(Class<E> type, String property, String environment, E fallback) {
        String value = System.getProperty(property, System.getenv(environment));
        return value == null || value.isBlank() ? fallback : parse(type, property, value);
    }

    /**
     * The constant {@code value} names, in any case, with {@code -} for {@code _} ({@code library-default}).
     *
     * @throws IllegalArgumentException naming the property, the accepted values and the value given
     */
    public static <E extends Enum<E>> E parse(Class<E> type, String property, String value) {
        String name = value.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        return Arrays.stream(type.getEnumConstants()).filter(constant -> constant.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(property + " must be " + accepted(type) + ", got '"
                        + value + "'"));
    }

    private static String accepted(Class<? extends Enum<?>> type) {
        String[] names = Arrays.stream(type.getEnumConstants())
                .map(constant -> constant.name().toLowerCase(Locale.ROOT).replace('_', '-')).toArray(String[]::new);
        if (names.length == 1) {
            return names[0];
        }
        return Arrays.stream(names, 0, names.length - 1).collect(Collectors.joining(", ")) + " or "
                + names[names.length - 1];
    }
}
