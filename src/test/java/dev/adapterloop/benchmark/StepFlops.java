package dev.adapterloop.benchmark;

import dev.adapterloop.adapters.AdapterMethod;
import dev.adapterloop.adapters.AdapterMethods;
import dev.adapterloop.adapters.SharedHyperparameters;
import dev.adapterloop.adapters.TargetModules;

/**
 * Analytic FLOPs of one training step on the bundled MiniLM (2 FLOP per multiply-add, matmuls only), counted exactly
 * as the PyTorch peer counts them ({@code shared/peer-bench/pytorch-lora/README.md}) so that MFU figures compare:
 * {@code step = 2·dense + 3·attn + 3·adapter + 3·head}. Softmax, GELU, LayerNorm, AdamW and gathers are not counted.
 *
 * <p>Per method, the adapter term is its efficient forward on the two targets (query, value) of each layer, as the
 * method itself counts it ({@link AdapterMethod#forwardFlops}: e.g. LoRA's two thin products, LoRMA_π's dense
 * n×n product), tripled for the backward pass (input and weight gradients).
 */
record StepFlops(int batch, int sequenceLength, int rank) {

    static final int LAYERS = 6;
    static final int HIDDEN = 384;
    static final int FFN = 1536;
    static final int LABELS = 2;
    static final int TARGETS_PER_LAYER = 2;

    long tokens() {
        return (long) batch * sequenceLength;
    }

    double dense() {
        double matmulWeights = LAYERS * (4.0 * HIDDEN * HIDDEN + 2.0 * HIDDEN * FFN);
        return 2 * matmulWeights * tokens();
    }

    double attention() {
        return LAYERS * 4.0 * batch * (double) sequenceLength * sequenceLength * HIDDEN;
    }

    double head() {
        return 2.0 * batch * HIDDEN * LABELS;
    }

    double adapterForward(String method) {
        AdapterMethod configured = AdapterMethods.create(method, new SharedHyperparameters(rank, 2.0 * rank, 0.0,
                TargetModules.of("query", "value")));
        return LAYERS * TARGETS_PER_LAYER * configured.forwardFlops(tokens(), HIDDEN, HIDDEN);
    }

    double trainingStep(String method) {
        return 2 * dense() + 3 * attention() + 3 * adapterForward(method) + 3 * head();
    }
}
