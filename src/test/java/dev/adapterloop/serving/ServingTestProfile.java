package dev.adapterloop.serving;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Fast alias polling, an even split and short sequences, so the serving tests stay quick. */
public class ServingTestProfile implements QuarkusTestProfile {
    static final String KEY = "serving-test-prediction-id-key";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "adapterloop.serving.alias-poll-interval", "300ms",
                "adapterloop.serving.tasks.spam.challenger-share", "0.5",
                "adapterloop.serving.max-text-chars", "2000",
                "adapterloop.serving.max-batch", "8",
                "adapterloop.serving.max-sequence-length", "32",
                "adapterloop.serving.prediction-id-key", KEY);
    }
}
