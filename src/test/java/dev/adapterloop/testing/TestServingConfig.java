package dev.adapterloop.testing;

import dev.adapterloop.serving.ServingConfig;
import io.quarkus.runtime.configuration.MemorySize;
import java.time.Duration;
import java.util.Map;

/** Serving's defaults for code that runs {@code ServedModels} outside CDI (tests, benchmarks), with a few choices. */
public final class TestServingConfig {

    private TestServingConfig() {
    }

    public static ServingConfig of(Duration poll, String mode, long adapterCacheBudgetBytes) {
        return new ServingConfig() {
            public boolean enabled() {
                return true;
            }

            public double challengerShare() {
                return 0;
            }

            public Map<String, TaskServing> tasks() {
                return Map.of();
            }

            public Duration aliasPollInterval() {
                return poll;
            }

            public Duration loadRetryInterval() {
                return Duration.ofSeconds(30);
            }

            public String mode() {
                return mode;
            }

            public MemorySize adapterCacheBudget() {
                return new MemorySize(java.math.BigInteger.valueOf(adapterCacheBudgetBytes));
            }

            public Duration versionLoadTimeout() {
                return Duration.ofSeconds(30);
            }

            public int maxTextChars() {
                return 20_000;
            }

            public int maxBatch() {
                return 64;
            }

            public int maxSequenceLength() {
                return 128;
            }

            public int maxConcurrentRequests() {
                return 16;
            }

            public Duration bodyReadTimeout() {
                return Duration.ofSeconds(30);
            }

            public int maxConcurrentInferences() {
                return 4;
            }

            public int maxGenerationBatch() {
                return 16;
            }

            public int maxQueuedGenerations() {
                return 64;
            }

            public java.time.Duration generationTimeout() {
                return java.time.Duration.ofSeconds(120);
            }

            public String predictionIdKey() {
                return DEV_PREDICTION_ID_KEY;
            }

            public int predictionLogBuffer() {
                return 100;
            }
        };
    }
}
