package dev.adapterloop.serving;

import ai.djl.ndarray.NDArray;
import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.adapterloop.adapters.AdaptedClassifier;
import dev.adapterloop.adapters.PeftAdapterFiles;
import dev.adapterloop.adapters.TargetModules;
import dev.adapterloop.adapters.lora.LoraConfig;
import dev.adapterloop.bundled.BundledAssets;
import dev.adapterloop.embedded.EmbeddedS3;
import dev.adapterloop.events.AdapterManifest;
import dev.adapterloop.model.PretrainedModel;
import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.registry.ObjectStore;
import dev.adapterloop.testing.BundledModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Adapter versions in a real bucket for the serving tests: LoRA on query/value of the bundled MiniLM with factors and
 * head moved well away from init (seeded), so that two versions give visibly different scores; no training needed to
 * test loading, routing and swapping.
 */
public final class ServingFixtures {

    public static final List<String> LABELS = List.of("ham", "spam");

    private ServingFixtures() {
    }

    /**
     * A bucket on an embedded S3 server with the bundled base model in it, for the serving tests; a version loader
     * over it that works in {@code dir}. Closing stops the server.
     */
    public record Bucket(EmbeddedS3 s3, ObjectStore store, AdapterRegistry registry, VersionLoader loader)
            implements AutoCloseable {

        public static Bucket start(Path dir, String name) {
            EmbeddedS3 s3 = EmbeddedS3.start(EmbeddedS3.Settings.of(dir.resolve("s3"), name + "-access",
                    name + "-secret-0123456"));
            ObjectStore store = new ObjectStore(ObjectStore.Settings.of(s3.endpoint(), name + "-access",
                    name + "-secret-0123456", name + "-test"));
            store.ensureBucket();
            AdapterRegistry registry = new AdapterRegistry(store);
            ensureBaseModel(registry);
            return new Bucket(s3, store, registry, new VersionLoader(registry, dir.resolve("cache"),
                    dir.resolve("work"), Device.cpu(), DataType.FLOAT32));
        }

        @Override
        public void close() {
            store.close();
            s3.close();
        }
    }

    /** Puts the bundled base model into the bucket unless it is there. */
    public static void ensureBaseModel(AdapterRegistry registry) {
        if (!registry.hasModel(BundledAssets.MODEL_ID)) {
            try {
                registry.putModel(BundledAssets.MODEL_ID, BundledModel.folder());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** Publishes a PEFT LoRA version (what the training runner publishes) built from {@code seed}. */
    public static void publishVersion(AdapterRegistry registry, PretrainedModel encoder, String task,
            String version, long seed) throws IOException {
        Path dir = Files.createTempDirectory("serving-fixture-");
        try (AdaptedClassifier model = AdaptedClassifier.create(encoder, LABELS,
                new LoraConfig(4, 8, 0.0, TargetModules.of("query", "value"), false), seed)) {
            Random random = new Random(seed);
            for (NDArray array : model.trainableParameters().values()) {
                float[] values = array.toFloatArray();
                for (int i = 0; i < values.length; i++) {
                    values[i] += (float) (random.nextGaussian() * 0.3);
                }
                array.set(values);
            }
            PeftAdapterFiles.write(model, AdapterRegistry.modelPrefix(BundledAssets.MODEL_ID), dir);
            registry.publishAdapter(task, version, dir, manifest(task, version));
        } finally {
            try (var files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(dir);
        }
    }

    /** Replaces the version's adapter weights with their first half: a truncated upload. */
    public static void truncateWeights(AdapterRegistry registry, String task, String version) {
        String key = AdapterRegistry.adapterPrefix(task, version) + PeftAdapterFiles.WEIGHTS;
        byte[] bytes = registry.store().get(key);
        registry.store().put(key, Arrays.copyOf(bytes, bytes.length / 2), "application/octet-stream");
    }

    private static AdapterManifest manifest(String task, String version) {
        return new AdapterManifest(AdapterManifest.SCHEMA_VERSION, task, version, null, "lora",
                BundledAssets.MODEL_ID, null, List.of(), null, LABELS, null, null, null, "test", "cpu", 0,
                java.time.Instant.now().toString(), "fixture", null);
    }
}
