package dev.adapterloop.serving;

import dev.adapterloop.embedded.EmbeddedInfrastructure;
import dev.adapterloop.events.PredictionId;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses to start a serving process on real infrastructure with the built-in development key for prediction ids:
 * with it anyone can forge ids, and so feedback that moves A/B tests and becomes training data. Dev and test mode and
 * a process on the embedded Kafka and S3 it started itself (the two-command path) keep the development key, as they
 * keep a generated admin key ({@code security.SecuritySetup}).
 */
@ApplicationScoped
class PredictionIdKeyCheck {

    void onStart(@Observes StartupEvent event, ServingConfig config,
            @ConfigProperty(name = EmbeddedInfrastructure.STARTED) Optional<String> embeddedStarted) {
        refusal(config.enabled(), PredictionId.DEV_KEY.equals(config.predictionIdKey()),
                embeddedStarted.filter(s -> !s.isBlank()).isPresent(), LaunchMode.current() != LaunchMode.NORMAL)
                .ifPresent(message -> {
                    throw new IllegalStateException(message);
                });
    }

    /** Why the process must not start, or empty. */
    static Optional<String> refusal(boolean serving, boolean developmentKey, boolean embedded, boolean devOrTest) {
        if (!serving || !developmentKey || embedded || devOrTest) {
            return Optional.empty();
        }
        return Optional.of("adapterloop.serving.prediction-id-key is the built-in development key, with which anyone"
                + " can forge prediction ids (and so feedback): set ADAPTERLOOP_SERVING_PREDICTION_ID_KEY to a secret"
                + " of at least " + PredictionId.MIN_KEY_BYTES + " bytes (k8s: the adapterloop-secrets Secret)."
                + " Only dev/test mode and the embedded default run with it.");
    }
}
