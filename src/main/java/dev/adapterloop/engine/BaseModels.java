package dev.adapterloop.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import dev.adapterloop.model.AttentionKernel;
import dev.adapterloop.model.PretrainedModel;
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
    private final Map<String, PretrainedModel> loaded = new HashMap<>();
    private final Map<String, String> digests = new HashMap<>();

    public BaseModels(AdapterRegistry registry, EngineConfig config) {
        this.registry = registry;
        this.config = config;
    }

    public synchronized PretrainedModel get(String modelId) throws IOException {
        PretrainedModel model = loaded.get(modelId);
        if (model == null) {
            long started = System.nanoTime();
            Path folder = registry.fetchModel(modelId, config.modelCache());
            model = PretrainedModel.load(folder, device());
            model.backbone().setComputeType(computeType(config.precision(), model.device()));
            loaded.put(modelId, model);
            digests.put(modelId, registry.store().sha256(AdapterRegistry.modelPrefix(modelId) + "model.safetensors"));
            Log.infof("Loaded base model %s on %s in %d ms%s", modelId, model.device(),
                    (System.nanoTime() - started) / 1_000_000,
                    model.device().isGpu() ? "" : ", " + CpuKernels.describe() + ", " + CpuAllocator.describe() + ", "
                            + AttentionKernel.describe());
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

    /**
     * The base models here train adapters: {@code auto} is fp32 everywhere until fp16 training can reach the adapter
     * factors (DJL's narrowing cast is not differentiable, docs/engine.md "Mixed precision"); {@code fp16} stays
     * available explicitly for inference-only use.
     */
    static DataType computeType(String precision, Device device) {
        return switch (precision) {
            case "fp32" -> DataType.FLOAT32;
            case "fp16" -> DataType.FLOAT16;
            case "auto" -> DataType.FLOAT32;
            default -> throw new IllegalArgumentException("adapterloop.engine.precision must be auto, fp32 or fp16,"
                    + " got " + precision);
        };
    }

    @PreDestroy
    synchronized void close() {
        loaded.values().forEach(PretrainedModel::close);
        loaded.clear();
    }
}
