package dev.adapterloop.cli;

import dev.adapterloop.embedded.EmbeddedInfrastructure;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Configuration as the launcher sees it before Quarkus starts: system properties, then environment variables, then
 * the unprofiled keys of {@code application.properties}. Enough to decide which embedded servers to start.
 */
final class LauncherConfig {

    private static final Properties APPLICATION = load();

    private LauncherConfig() {
    }

    static String get(String name) {
        String value = EmbeddedInfrastructure.systemConfig(name);
        return value != null ? value : APPLICATION.getProperty(name);
    }

    private static Properties load() {
        Properties properties = new Properties();
        try (InputStream in = LauncherConfig.class.getClassLoader().getResourceAsStream("application.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read application.properties", e);
        }
        return properties;
    }
}
