package dev.adapterloop.training;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.adapterloop.model.PretrainedEncoder;
import dev.adapterloop.registry.AdapterRegistry;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Base models, fetched from the bucket into a local cache and loaded once per process: a frozen encoder is shared by
 * every job of every task that uses it.
 */
@ApplicationScoped
public class BaseModels {

    private final AdapterRegistry registry;
    private final EngineConfig config;
    private final Map<String, PretrainedEncoder> loaded = new HashMap<>();
    private final Map<String, String> digests = new HashMap<>();

    public BaseModels(AdapterRegistry registry, EngineConfig config) {
        this.registry = registry;
        this.config = config;
    }

    public synchronized PretrainedEncoder get(String modelId) throws IOException {
        PretrainedEncoder model = loaded.get(modelId);
        if (model == null) {
            long started = System.nanoTime();
            Path folder = registry.fetchModel(modelId, config.modelCache());
            model = PretrainedEncoder.load(folder, device());
            loaded.put(modelId, model);
            digests.put(modelId, registry.store().sha256(AdapterRegistry.modelPrefix(modelId) + "model.safetensors"));
            Log.infof("Loaded base model %s on %s in %d ms", modelId, model.device(),
                    (System.nanoTime() - started) / 1_000_000);
        }
        return model;
    }

    /** sha256 of the model's weights in the bucket, recorded in every adapter's lineage. */
    public synchronized String digest(String modelId) throws IOException {
        get(modelId);
        return digests.get(modelId);
    }

    public Device device() {
        return switch (config.device()) {
            case "cpu" -> Device.cpu();
            case "gpu" -> Device.gpu();
            case "auto" -> Engine.getEngine("PyTorch").defaultDevice();
            default -> throw new IllegalArgumentException("adapterloop.engine.device must be auto, cpu or gpu, got "
                    + config.device());
        };
    }

    @PreDestroy
    synchronized void close() {
        loaded.values().forEach(PretrainedEncoder::close);
        loaded.clear();
    }
}
