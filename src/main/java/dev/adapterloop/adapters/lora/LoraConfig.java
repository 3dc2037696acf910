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
        if (rank <= 0) {
            throw new IllegalArgumentException("rank must be > 0, got " + rank);
        }
        if (!(alpha > 0) || !Double.isFinite(alpha)) {
            throw new IllegalArgumentException("alpha must be > 0, got " + alpha);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        if (targets == null) {
            throw new IllegalArgumentException("targets must be set (e.g. query,value)");
        }
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
