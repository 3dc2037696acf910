package dev.adapterloop.adapters.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.adapterloop.adapters.AdapterLayer;
import dev.adapterloop.adapters.AdapterMethod;
import dev.adapterloop.adapters.TargetModules;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * LoRA hyperparameters (Hu et al. 2021), as in PEFT's {@code LoraConfig}: {@code h = W0·x + b0 + s·B·A·dropout(x)},
 * with {@code s = alpha / rank}, or {@code alpha / sqrt(rank)} with rsLoRA.
 */
public record LoraConfig(int rank, double alpha, double dropout, TargetModules targets, boolean useRsLora)
        implements AdapterMethod {

    public static final String NAME = "lora";

    public LoraConfig {
        AdapterMethod.validate(rank, alpha, dropout, targets);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public AdapterLayer initialize(NDArray frozenWeight, NDManager manager, Random random) {
        return LoraLayer.initialize(manager, (int) frozenWeight.getShape().get(1), (int) frozenWeight.getShape().get(0),
                this, random);
    }

    @Override
    public Map<String, Shape> storedShapes(int dOut, int dIn) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        shapes.put(LoraLayer.A_KEY, new Shape(rank, dIn));
        shapes.put(LoraLayer.B_KEY, new Shape(dOut, rank));
        return shapes;
    }

    @Override
    public AdapterLayer restore(NDArray frozenWeight, Map<String, NDArray> stored, NDManager manager) {
        return LoraLayer.of(stored.get(LoraLayer.A_KEY), stored.get(LoraLayer.B_KEY), this);
    }

    public double scaling() {
        return useRsLora ? alpha / Math.sqrt(rank) : alpha / rank;
    }
}
