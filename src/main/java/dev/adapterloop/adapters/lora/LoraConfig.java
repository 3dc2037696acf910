package dev.adapterloop.adapters.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.adapterloop.adapters.AdapterLayer;
import dev.adapterloop.adapters.AdapterMethod;
import dev.adapterloop.adapters.TargetModules;
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

    public double scaling() {
        return useRsLora ? alpha / Math.sqrt(rank) : alpha / rank;
    }
}
