package dev.adapterloop.serving;

import ai.djl.ndarray.NDArray;
import dev.adapterloop.adapters.AdaptedClassifier;
import dev.adapterloop.adapters.PeftAdapterFiles;
import dev.adapterloop.adapters.TargetModules;
import dev.adapterloop.adapters.lora.LoraConfig;
import dev.adapterloop.bundled.BundledAssets;
import dev.adapterloop.events.AdapterManifest;
import dev.adapterloop.model.PretrainedModel;
import dev.adapterloop.registry.AdapterRegistry;
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
