package dev.adapterloop.adapters;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.adapterloop.model.AdaptableLinear;
import dev.adapterloop.model.Backbone;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Puts a method's layers on a backbone's linear layers and takes them off again: what a classifier and a language
 * model with adapters share. A linear layer holds at most one adapter at a time, so two adapted models on one loaded
 * base must not be open together (the multi-adapter serving issue lifts that).
 */
final class AdapterInstallation {

    private AdapterInstallation() {
    }

    /** The layers of {@code backbone} that {@code modules} selects, in model order; none is an error. */
    static List<AdaptableLinear> targets(Backbone backbone, TargetModules modules) {
        List<AdaptableLinear> targets = backbone.linearLayers().values().stream()
                .filter(linear -> modules.matches(linear.path())).toList();
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("target_modules " + modules + " match no layer of the model;"
                    + " layers look like " + backbone.linearLayers().keySet().iterator().next());
        }
        return targets;
    }

    /** Fresh layers of {@code method} on every target; all randomness comes from {@code random}. */
    static Map<String, AdapterLayer> initialize(Backbone backbone, AdapterMethod method, NDManager manager,
                                                Random random) {
        Map<String, AdapterLayer> layers = new LinkedHashMap<>();
        for (AdaptableLinear linear : targets(backbone, method.targets())) {
            layers.put(linear.path(), method.initialize(linear.weight().getArray(), manager, random));
        }
        return layers;
    }

    /**
     * Layers from tensors keyed by module path + name, as {@link AdapterMethod#storedShapes} names them; names and
     * shapes are checked on the way in.
     */
    static Map<String, AdapterLayer> restore(Backbone backbone, AdapterMethod method, Map<String, NDArray> tensors,
                                             NDManager manager) {
        Map<String, AdapterLayer> layers = new LinkedHashMap<>();
        for (AdaptableLinear linear : targets(backbone, method.targets())) {
            Map<String, NDArray> stored = new LinkedHashMap<>();
            method.storedShapes(linear.outFeatures(), linear.inFeatures()).forEach((name, shape) -> {
                String key = linear.path() + "." + name;
                NDArray array = tensors.get(key);
                if (array == null) {
                    throw new IllegalArgumentException("adapter has no tensor " + key);
                }
                if (!array.getShape().equals(shape)) {
                    throw new IllegalArgumentException("adapter tensor " + key + " has shape " + array.getShape()
                            + ", expected " + shape);
                }
                stored.put(name, array);
            });
            layers.put(linear.path(), method.restore(linear.weight().getArray(), stored, manager));
        }
        return layers;
    }

    /** Every layer's factors keyed by module path + PEFT suffix (e.g. {@code ….lora_A.weight}), in layer order. */
    static Map<String, NDArray> factors(Map<String, AdapterLayer> layers) {
        Map<String, NDArray> named = new LinkedHashMap<>();
        layers.forEach((path, layer) -> layer.factors().forEach((suffix, array) -> named.put(path + "." + suffix,
                array)));
        return named;
    }

    /** Routes each target through its layer; refuses a layer that already has an adapter. */
    static void install(Backbone backbone, Map<String, AdapterLayer> layers) {
        Map<String, AdaptableLinear> linears = backbone.linearLayers();
        for (String path : layers.keySet()) {
            if (linears.get(path).adapter() != null) {
                throw new IllegalStateException(path + " already has an adapter: close the previous adapted model"
                        + " before creating another on the same base model");
            }
        }
        layers.forEach((path, layer) -> linears.get(path).setAdapter(layer));
    }

    /** Takes the layers off again, leaving the backbone as it was loaded. */
    static void uninstall(Backbone backbone, Map<String, AdapterLayer> layers) {
        Map<String, AdaptableLinear> linears = backbone.linearLayers();
        layers.forEach((path, layer) -> {
            if (linears.get(path).adapter() == layer) {
                linears.get(path).setAdapter(null);
            }
        });
    }
}
