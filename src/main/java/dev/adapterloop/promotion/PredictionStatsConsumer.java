package dev.adapterloop.promotion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Feeds the guardrails: every record of serving's prediction log ({@code adapter-predictions}, type
 * {@code adapterloop.prediction}) counts one request, its latency and whether it failed, for the version and variant
 * that answered. A record without task, version or variant (a request that failed before routing) has no arm to count
 * in and is skipped; a record that is not JSON goes to {@code adapter-predictions-dlq}.
 */
@ApplicationScoped
public class PredictionStatsConsumer {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Promotions promotions;

    public PredictionStatsConsumer(Promotions promotions) {
        this.promotions = promotions;
    }

    @Incoming("prediction-stats")
    @Blocking
    public CompletionStage<Void> consume(Message<String> message) {
        try {
            JsonNode record = JSON.readTree(message.getPayload());
            String task = text(record, "task");
            String version = text(record, "version");
            String variant = text(record, "variant");
            if (task == null || version == null || variant == null || promotions.labels(task).isEmpty()) {
                return message.ack();
            }
            double latency = record.path("latencyMs").asDouble(0);
            boolean error = record.path("error").asBoolean(false);
            promotions.experiments().observe(task, s -> s.withRequest(variant, version, latency, error));
            return message.ack();
        } catch (Exception e) {
            Log.warnf("adapter-predictions record not counted: %s", e.getMessage());
            return message.nack(e);
        }
    }

    private static String text(JsonNode record, String field) {
        JsonNode node = record == null ? null : record.get(field);
        return node != null && node.isTextual() ? node.asText() : null;
    }
}
