package dev.adapterloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.adapterloop.bundled.BundledAssets;
import dev.adapterloop.embedded.EmbeddedS3;
import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.registry.ObjectStore;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve}'s start on a real S3 server (s3proxy) and the real bundled ONNX import: the bundled base model is
 * imported into an empty bucket only when this process started the S3 server itself, and only once.
 */
class EmbeddedDefaultModelTest {

    @TempDir
    Path temp;

    @Test
    void onTheEmbeddedDefaultAnEmptyBucketGetsTheBundledModelOnceAndAConfiguredS3Nothing() throws Exception {
        try (EmbeddedS3 s3 = EmbeddedS3.start(EmbeddedS3.Settings.of(temp.resolve("s3"), "serve-test",
                "serve-test-secret-1"));
             ObjectStore store = new ObjectStore(ObjectStore.Settings.of(s3.endpoint(), "serve-test",
                     "serve-test-secret-1", "serve"))) {
            store.ensureBucket();
            AdapterRegistry registry = new AdapterRegistry(store);
            Path work = temp.resolve("work");

            // S3 configured by the operator (only Kafka embedded, or nothing): the bucket is left alone.
            assertThat(EmbeddedDefaultModel.ensure(Optional.empty(), registry, work))
                    .isEqualTo(EmbeddedDefaultModel.Outcome.NOT_EMBEDDED);
            assertThat(EmbeddedDefaultModel.ensure(Optional.of("kafka"), registry, work))
                    .isEqualTo(EmbeddedDefaultModel.Outcome.NOT_EMBEDDED);
            assertThat(registry.hasModel(BundledAssets.MODEL_ID)).isFalse();
            assertThat(store.list("models/")).isEmpty();

            assertThat(EmbeddedDefaultModel.ensure(Optional.of("kafka,s3"), registry, work))
                    .isEqualTo(EmbeddedDefaultModel.Outcome.IMPORTED);
            assertThat(registry.hasModel(BundledAssets.MODEL_ID)).isTrue();
            assertThat(store.list(AdapterRegistry.modelPrefix(BundledAssets.MODEL_ID)))
                    .anyMatch(key -> key.endsWith(".safetensors")).anyMatch(key -> key.endsWith("tokenizer.json"));

            assertThat(EmbeddedDefaultModel.ensure(Optional.of("s3"), registry, work))
                    .isEqualTo(EmbeddedDefaultModel.Outcome.ALREADY_THERE);
        }
    }
}
