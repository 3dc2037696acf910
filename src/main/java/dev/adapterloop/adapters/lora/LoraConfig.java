package dev.adapterloop.adapters.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.adapterloop.adapters.AdapterLayer;
import dev.adapterloop.adapters.AdapterMethod;
import dev.adapterloop.adapters.PeftLoraSettings;
import dev.adapterloop.adapters.SharedHyperparameters;
import dev.adapterloop.adapters.TargetModules;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * LoRA hyperparameters (Hu et al. 2021), as in PEFT's {@code LoraConfig}: {@code h = W0·x + b0 + s·B·A·dropout(x)},
 * with {@code s = alpha / rank}, or {@code alpha / sqrt(rank)} with rsLoRA.
 */
public record LoraConfig(int rank, double alpha, double dropout, TargetModules targets, boolean useRsLora)
        implements AdapterMethod {

    public static final String NAME = "lora";

    public LoraConfig {
        new SharedHyperparameters(rank, alpha, dropout, targets);
    }

    public LoraConfig(SharedHyperparameters shared, boolean useRsLora) {
        this(shared.rank(), shared.alpha(), shared.dropout(), shared.targets(), useRsLora);
    }

    @Override
    public Map<String, Object> options() {
        return Map.of(LoraProvider.USE_RSLORA.fieldName(), useRsLora);
    }

    /** Written as it is: PEFT's LoRA is this method. */
    @Override
    public Optional<PeftLoraSettings> peftSettings() {
        return Optional.of(new PeftLoraSettings(rank, alpha, dropout, useRsLora, false));
    }

    /** {@code A·x} then {@code B·(…)}: {@code B·A} is never formed. */
    @Override
    public double forwardFlops(long tokens, int dOut, int dIn) {
        return lowRankFlops(tokens, rank, dOut, dIn);
    }

    /** The two thin products of a rank-r path: {@code 2·T·(d_in·r + r·d_out)}. */
    public static double lowRankFlops(long tokens, int rank, int dOut, int dIn) {
        return 2.0 * tokens * ((double) dIn * rank + (double) rank * dOut);
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
