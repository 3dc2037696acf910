package dev.adapterloop.embedded;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;

import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.Logger;

/**
 * Turns the embedded servers' INFO chatter down (to WARN; ERROR for the KRaft controller), but only in categories
 * nobody configured: a level set by {@code quarkus.log.category."kafka".level} (or a logging.properties) wins. Kafka
 * and s3proxy log through slf4j, which the app binds to JBoss LogManager, so their categories live in
 * {@link LogContext}.
 */
final class QuietLogging {
    static final Map<String, Level> KAFKA = Map.of(
            "kafka", Level.WARNING,
            "state.change.logger", Level.WARNING,
            "org.apache.kafka", Level.WARNING,
            // The embedded controller warns on every start that it activates; nothing a user can act on.
            "org.apache.kafka.controller", Level.SEVERE);
    static final Map<String, Level> S3PROXY = Map.of("org.gaul", Level.WARNING);

    /** Strong references: a logger that only the log context holds may be collected, and its level with it. */
    private static final Set<Logger> QUIETED = ConcurrentHashMap.newKeySet();

    private QuietLogging() {
    }

    static void quiet(Map<String, Level> levels) {
        LogContext context = LogContext.getLogContext();
        levels.forEach((category, level) -> {
            Logger logger = context.getLogger(category);
            if (logger.getLevel() == null) {
                logger.setLevel(level);
                QUIETED.add(logger);
            }
        });
    }
}
