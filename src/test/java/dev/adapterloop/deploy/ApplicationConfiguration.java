package dev.adapterloop.deploy;

import dev.adapterloop.embedded.EmbeddedInfrastructure;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.adapterloop.events.KafkaClientSecurity;
import java.util.stream.Stream;

/**
 * What the application itself says about its configuration, read from its sources: the keys of
 * {@code application.properties}, the keys of its {@code @ConfigMapping} interfaces (walked by reflection, map keys
 * as wildcards), the keys its launcher reads before Quarkus starts ({@link EmbeddedInfrastructure}'s constants), the
 * environment variables it reads directly, its Kafka topics and its HTTP port and health paths.
 */
final class ApplicationConfiguration {

    static final Path PROPERTIES = Path.of("src/main/resources/application.properties");
    static final Path MAIN_SOURCES = Path.of("src/main/java");

    private static final Pattern CONFIG_MAPPING = Pattern.compile("@ConfigMapping\\(prefix\\s*=\\s*\"([^\"]+)\"\\)");
    private static final Pattern CONFIG_PROPERTY = Pattern.compile("@ConfigProperty\\(name\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern GETENV = Pattern.compile("System\\.getenv\\(\"([A-Za-z0-9_]+)\"\\)");
    private static final Pattern CHANNEL = Pattern.compile("mp\\.messaging\\.(incoming|outgoing)\\.([^.]+)\\.connector");

    private final Properties properties;

    ApplicationConfiguration(Properties properties) {
        this.properties = properties;
    }

    static ApplicationConfiguration load() {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(PROPERTIES)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ApplicationConfiguration(properties);
    }

    String get(String key, String defaultValue) {
        return properties.getProperty(key, defaultValue);
    }

    int httpPort() {
        return Integer.parseInt(get("quarkus.http.port", "8080"));
    }

    /** /q/health/live and /q/health/ready, from Quarkus' and SmallRye Health's path keys (defaults when unset). */
    String livenessPath() {
        return healthPath(get("quarkus.smallrye-health.liveness-path", "live"));
    }

    String readinessPath() {
        return healthPath(get("quarkus.smallrye-health.readiness-path", "ready"));
    }

    private String healthPath(String leaf) {
        String root = get("quarkus.http.non-application-root-path", "q").replaceAll("^/+|/+$", "");
        String health = get("quarkus.smallrye-health.root-path", "health").replaceAll("^/+|/+$", "");
        return "/" + root + "/" + health + "/" + leaf;
    }

    /** Every Kafka topic of every channel (the channel's name when it sets no topic), dead-letter topics included. */
    Set<String> kafkaTopics() {
        Set<String> topics = new TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            Matcher m = CHANNEL.matcher(key);
            if (!m.matches() || !"smallrye-kafka".equals(properties.getProperty(key))) {
                continue;
            }
            String prefix = "mp.messaging." + m.group(1) + "." + m.group(2) + ".";
            String topic = get(prefix + "topic", m.group(2));
            topics.add(topic);
            if ("dead-letter-queue".equals(get(prefix + "failure-strategy", ""))) {
                topics.add(get(prefix + "dead-letter-queue.topic", "dead-letter-topic-" + topic));
            }
        }
        return topics;
    }

    /**
     * The Kafka ACLs the service's channels need, resource ({@code topic:NAME}, {@code group:NAME}) to operations:
     * Read on each incoming channel's topic and group, Write on each outgoing channel's topic and on each dead-letter
     * topic.
     */
    Map<String, Set<String>> kafkaAcls() {
        Map<String, Set<String>> acls = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            Matcher m = CHANNEL.matcher(key);
            if (!m.matches() || !"smallrye-kafka".equals(properties.getProperty(key))) {
                continue;
            }
            String prefix = "mp.messaging." + m.group(1) + "." + m.group(2) + ".";
            String topic = get(prefix + "topic", m.group(2));
            if (m.group(1).equals("incoming")) {
                acls.computeIfAbsent("topic:" + topic, k -> new TreeSet<>()).add("Read");
                acls.computeIfAbsent("group:" + get(prefix + "group.id", null), k -> new TreeSet<>()).add("Read");
                if ("dead-letter-queue".equals(get(prefix + "failure-strategy", ""))) {
                    acls.computeIfAbsent("topic:" + get(prefix + "dead-letter-queue.topic", "dead-letter-topic-" + topic),
                            k -> new TreeSet<>()).add("Write");
                }
            } else {
                acls.computeIfAbsent("topic:" + topic, k -> new TreeSet<>()).add("Write");
            }
        }
        return acls;
    }

    /**
     * Patterns of the environment variables that set a configuration key the application reads (MicroProfile
     * Config's mapping: every character but letters and digits becomes '_', upper case), plus the variables its
     * code reads with {@code System.getenv}.
     */
    List<Pattern> environmentVariables() {
        Set<String> keys = new LinkedHashSet<>();
        for (String key : properties.stringPropertyNames()) {
            keys.add(key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key);
        }
        keys.addAll(launcherKeys());
        for (String source : mainSources()) {
            Matcher property = CONFIG_PROPERTY.matcher(source);
            while (property.find()) {
                keys.add(property.group(1));
            }
        }
        keys.addAll(configMappingKeys());
        List<Pattern> patterns = new ArrayList<>();
        for (String key : keys) {
            patterns.add(Pattern.compile(environmentForm(key)));
        }
        // Quarkus hands every kafka.* key to the channels, and KafkaClientSecurity hands the connection's security
        // keys to the hand-built clients: those are keys the application reads (KAFKA_SASL_JAAS_CONFIG, ...).
        for (String key : KafkaClientSecurity.KEYS) {
            patterns.add(Pattern.compile(key.endsWith(".")
                    ? environmentForm("kafka." + key + "*")
                    : environmentForm("kafka." + key)));
        }
        for (String source : mainSources()) {
            Matcher getenv = GETENV.matcher(source);
            while (getenv.find()) {
                patterns.add(Pattern.compile(Pattern.quote(getenv.group(1))));
            }
        }
        return patterns;
    }

    /** {@code adapterloop.tasks.*.adapter.rank} to a regular expression over environment variable names. */
    static String environmentForm(String key) {
        List<String> segments = new ArrayList<>();
        for (String segment : key.split("\\.", -1)) {
            segments.add(segment.equals("*") ? "[A-Z0-9_]+"
                    : Pattern.quote(segment.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT)));
        }
        return String.join("_", segments);
    }

    /** The keys {@link EmbeddedInfrastructure} reads before Quarkus starts (its public String constants that are keys). */
    static Set<String> launcherKeys() {
        Set<String> keys = new TreeSet<>();
        for (Field field : EmbeddedInfrastructure.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                try {
                    String value = (String) field.get(null);
                    if (value.contains(".")) {
                        keys.add(value);
                    }
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return keys;
    }

    /** Every key of every {@code @ConfigMapping} interface in the main sources, map keys as {@code *}. */
    static Set<String> configMappingKeys() {
        Set<String> keys = new TreeSet<>();
        try (Stream<Path> files = Files.walk(MAIN_SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = CONFIG_MAPPING.matcher(Files.readString(file));
                if (m.find()) {
                    String className = MAIN_SOURCES.relativize(file).toString().replace(".java", "").replace('/', '.');
                    Class<?> mapping = Class.forName(className);
                    if (!mapping.getAnnotation(ConfigMapping.class).prefix().equals(m.group(1))) {
                        throw new IllegalStateException("prefix of " + className + " not read right");
                    }
                    walk(mapping, m.group(1), keys);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        return keys;
    }

    private static void walk(Class<?> group, String prefix, Set<String> keys) {
        for (Method method : group.getMethods()) {
            if (method.isDefault() || Modifier.isStatic(method.getModifiers()) || method.getParameterCount() > 0) {
                continue;
            }
            String name = prefix;
            if (method.getAnnotation(WithParentName.class) == null) {
                WithName withName = method.getAnnotation(WithName.class);
                name = prefix + "." + (withName != null ? withName.value() : kebab(method.getName()));
            }
            leafOrGroup(method.getGenericReturnType(), name, keys);
        }
    }

    private static void leafOrGroup(Type type, String name, Set<String> keys) {
        if (type instanceof ParameterizedType parameterized
                && parameterized.getRawType() == java.util.Map.class) {
            leafOrGroup(parameterized.getActualTypeArguments()[1], name + ".*", keys);
        } else if (type instanceof Class<?> c && c.isInterface() && c.getName().startsWith("dev.adapterloop.")) {
            walk(c, name, keys);
        } else {
            keys.add(name);
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static List<String> mainSources() {
        try (Stream<Path> files = Files.walk(MAIN_SOURCES)) {
            List<String> sources = new ArrayList<>();
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                sources.add(Files.readString(file));
            }
            return sources;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
