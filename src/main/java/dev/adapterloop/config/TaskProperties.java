package dev.adapterloop.config;

import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A task's settings as the keys after {@code adapterloop.tasks.<task>.} ({@code labels}, {@code adapter.rank}, ...),
 * mapped by the very {@link TasksConfig} mapping that reads application.properties: the same names, conversions and
 * defaults, and no second list of them to keep in step. Stricter than startup in one way: a key that maps to no
 * setting is refused (Quarkus only warns about those in application.properties), since a definition sent over the
 * API has no other reader who would notice the typo.
 */
public final class TaskProperties {

    public static final String PREFIX = "adapterloop.tasks.";
    private static final Pattern SMALLRYE_CODE = Pattern.compile("SRCFG\\d+: ");
    private static final Pattern SOURCE = Pattern.compile(" in PropertiesConfigSource\\[source=[^]]*]");

    /** One setting that could not be mapped; {@code setting} is the key after the task's prefix. */
    public record Problem(String setting, String message) {
    }

    /** Settings that do not map to a task, every problem listed. */
    public static final class InvalidSettingsException extends IllegalArgumentException {
        private final List<Problem> problems;

        public InvalidSettingsException(List<Problem> problems) {
            super(problems.stream().map(p -> p.setting().isEmpty() ? p.message() : p.setting() + ": " + p.message())
                    .reduce((a, b) -> a + "; " + b).orElse("invalid settings"));
            this.problems = List.copyOf(problems);
        }

        public List<Problem> problems() {
            return problems;
        }
    }

    private TaskProperties() {
    }

    /**
     * The task's settings from {@code settings} (keys after the task's prefix, values as application.properties
     * writes them); unset keys take their defaults.
     *
     * @throws InvalidSettingsException a key that maps to no setting, or a value its setting cannot take
     */
    public static TasksConfig.Task map(String task, Map<String, String> settings) {
        Map<String, String> properties = new TreeMap<>();
        settings.forEach((key, value) -> properties.put(PREFIX + task + "." + key, value));
        if (properties.isEmpty()) { // a task exists in a mapping only through one of its keys
            properties.put(PREFIX + task + ".kind", TaskKind.CLASSIFICATION_NAME);
        }
        SmallRyeConfig config;
        try {
            config = new SmallRyeConfigBuilder()
                    .withMapping(TasksConfig.class)
                    .withValidateUnknown(true)
                    .withSources(new PropertiesConfigSource(properties, "task " + task, 100))
                    .build();
        } catch (ConfigValidationException e) {
            List<Problem> problems = new ArrayList<>();
            for (int i = 0; i < e.getProblemCount(); i++) {
                problems.add(problem(task, e.getProblem(i).getMessage()));
            }
            throw new InvalidSettingsException(problems);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingsException(List.of(problem(task, String.valueOf(e.getMessage()))));
        }
        return config.getConfigMapping(TasksConfig.class).tasks().get(task);
    }

    /** SmallRye's message without its codes and source, and the key it names. */
    private static Problem problem(String task, String message) {
        String clean = SOURCE.matcher(SMALLRYE_CODE.matcher(message).replaceAll("")).replaceAll("");
        String prefix = PREFIX + task + ".";
        Matcher key = Pattern.compile(Pattern.quote(prefix) + "([^\\s\"]+)").matcher(clean);
        String setting = key.find() ? key.group(1) : "";
        if (clean.contains("does not map to any root")) {
            return new Problem(setting, "'" + setting + "' is not a task setting (docs/configuration.md lists them)");
        }
        return new Problem(setting, clean.replace(prefix, ""));
    }
}
