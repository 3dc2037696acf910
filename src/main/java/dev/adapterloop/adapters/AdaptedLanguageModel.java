package dev.adapterloop.adapters;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.adapterloop.model.AdapterRouting;
import dev.adapterloop.model.Backbone;
import dev.adapterloop.model.ResidentTensors;
import java.util.Collections;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * A frozen backbone with adapters on its target layers and no head: a causal language model adapted as PEFT's
 * {@code CAUSAL_LM} task type does (the backbone's own language-model head reads the adapted states). Adapter
 * tensors live in this object's NDManager; closing it takes the adapters off and leaves the backbone as loaded.
 */
public final class AdaptedLanguageModel implements AutoCloseable {

    private final Backbone backbone;
    private final AdapterMethod method;
    private final Map<String, AdapterLayer> layers;
    private final NDManager manager;
    private volatile boolean detached;

    private AdaptedLanguageModel(Backbone backbone, AdapterMethod method, Map<String, AdapterLayer> layers,
                                 NDManager manager) {
        this.backbone = backbone;
        this.method = method;
        this.layers = Collections.unmodifiableMap(layers);
        this.manager = manager;
    }

    /** Fresh adapters of {@code method} on {@code backbone}; all randomness comes from {@code seed}. */
    public static AdaptedLanguageModel create(Backbone backbone, AdapterMethod method, NDManager parent, long seed) {
        NDManager manager = parent.newSubManager();
        try {
            return install(backbone, method,
                    AdapterInstallation.initialize(backbone, method, manager, new Random(seed)), manager);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Adapters from stored tensors (module path + name); {@code manager} owns them and closes with the model. */
    static AdaptedLanguageModel restore(Backbone backbone, AdapterMethod method, Map<String, NDArray> tensors,
                                        NDManager manager) {
        return install(backbone, method, AdapterInstallation.restore(backbone, method, tensors, manager), manager);
    }

    private static AdaptedLanguageModel install(Backbone backbone, AdapterMethod method,
                                                Map<String, AdapterLayer> layers, NDManager manager) {
        AdapterInstallation.install(backbone, layers);
        return new AdaptedLanguageModel(backbone, method, layers, manager);
    }

    public Backbone backbone() {
        return backbone;
    }

    public AdapterMethod method() {
        return method;
    }

    public Map<String, AdapterLayer> layers() {
        return layers;
    }

    /** Every trainable tensor keyed by module path + PEFT suffix, in a stable order. */
    public Map<String, NDArray> trainableParameters() {
        return AdapterInstallation.factors(layers);
    }

    /** The weight the layer at {@code path} computes with, W0 with the adapter folded in, (out, in). */
    public NDArray effectiveWeight(String path, NDManager scope) {
        AdapterLayer layer = layers.get(path);
        if (layer == null) {
            throw new IllegalArgumentException("no adapter on " + path + " (adapted: " + layers.keySet() + ")");
        }
        return layer.effectiveWeight(backbone.linearLayers().get(path).weight().getArray(), scope);
    }

    /**
     * Takes the adapters off the backbone's layers but keeps them, so that other versions can be loaded on the same
     * backbone; passes made inside {@link #routed} then go through this model's adapters.
     */
    public void detach() {
        AdapterInstallation.uninstall(backbone, layers);
        detached = true;
    }

    public boolean isDetached() {
        return detached;
    }

    /** Bytes of this model's own tensors (its adapters and what a method keeps per layer), not the backbone's. */
    public long residentBytes() {
        return ResidentTensors.bytes(manager);
    }

    /** Runs {@code passes} (e.g. a whole decoding loop) with this model's adapters, detached or not. */
    public <T> T routed(Supplier<T> passes) {
        return detached ? AdapterRouting.apply(layers, passes) : passes.get();
    }

    @Override
    public void close() {
        AdapterInstallation.uninstall(backbone, layers);
        manager.close();
    }
}
