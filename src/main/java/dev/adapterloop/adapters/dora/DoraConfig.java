package dev.adapterloop.adapters.dora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.adapterloop.adapters.AdapterLayer;
import dev.adapterloop.adapters.AdapterMethod;
import dev.adapterloop.adapters.PeftLoraSettings;
import dev.adapterloop.adapters.SharedHyperparameters;
import dev.adapterloop.adapters.TargetModules;
import dev.adapterloop.adapters.lora.LoraConfig;
import dev.adapterloop.adapters.lora.LoraLayer;
import dev.adapterloop.adapters.lora.LoraProvider;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * DoRA hyperparameters (Liu et al., "DoRA: Weight-Decomposed Low-Rank Adaptation", ICML 2024), as PEFT's
 * {@code LoraConfig(use_dora=True)}: {@code W' = m ⊙ (W0 + s·B·A) / ‖W0 + s·B·A‖}, the norm taken per output
 * feature (over the input dimension) and treated as a constant in the backward pass; {@code s = alpha / rank}, or
 * {@code alpha / √rank} with rsLoRA.
 */
public record DoraConfig(int rank, double alpha, double dropout, TargetModules targets, boolean useRsLora)
        implements AdapterMethod {

    public static final String NAME = "dora";

    public DoraConfig {
        new SharedHyperparameters(rank, alpha, dropout, targets);
    }

    public DoraConfig(SharedHyperparameters shared, boolean useRsLora) {
        this(shared.rank(), shared.alpha(), shared.dropout(), shared.targets(), useRsLora);
    }

    @Override
    public String name() {
        return NAME;
    }

    public double scaling() {
        return useRsLora ? alpha / Math.sqrt(rank) : alpha / rank;
    }

    @Override
    public Map<String, Object> options() {
        return Map.of(LoraProvider.USE_RSLORA.fieldName(), useRsLora);
    }

    /** PEFT's own form: LoRA's factors plus {@code lora_magnitude_vector}, with {@code use_dora: true}. */
    @Override
    public Optional<PeftLoraSettings> peftSettings() {
        return Optional.of(new PeftLoraSettings(rank, alpha, dropout, useRsLora, true));
    }

    @Override
    public AdapterLayer initialize(NDArray frozenWeight, NDManager manager, Random random) {
        return DoraLayer.initialize(frozenWeight, manager, this, random);
    }

    /** PEFT's names, so that a PEFT DoRA folder reads as this method's own tensors. */
    @Override
    public Map<String, Shape> storedShapes(int dOut, int dIn) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        shapes.put(LoraLayer.A_KEY, new Shape(rank, dIn));
        shapes.put(LoraLayer.B_KEY, new Shape(dOut, rank));
        shapes.put(DoraLayer.MAGNITUDE_KEY, new Shape(dOut));
        return shapes;
    }

    @Override
    public AdapterLayer restore(NDArray frozenWeight, Map<String, NDArray> stored, NDManager manager) {
        return DoraLayer.of(stored.get(LoraLayer.A_KEY), stored.get(LoraLayer.B_KEY),
                stored.get(DoraLayer.MAGNITUDE_KEY), this);
    }

    /** LoRA's two thin products, plus forming {@code B·A} once per forward for the weight norm. */
    @Override
    public double forwardFlops(long tokens, int dOut, int dIn) {
        return LoraConfig.lowRankFlops(tokens, rank, dOut, dIn) + 2.0 * dOut * dIn * rank;
    }
}
