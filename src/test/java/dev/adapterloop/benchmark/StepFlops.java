package dev.adapterloop.benchmark;

/**
 * Analytic FLOPs of one training step on the bundled MiniLM (2 FLOP per multiply-add, matmuls only), counted exactly
 * as the PyTorch peer counts them ({@code shared/peer-bench/pytorch-lora/README.md}) so that MFU figures compare:
 * {@code step = 2·dense + 3·attn + 3·adapter + 3·head}. Softmax, GELU, LayerNorm, AdamW and gathers are not counted.
 *
 * <p>Per method, the adapter term is its efficient forward on the two targets (query, value) of each layer, tripled
 * for the backward pass (input and weight gradients):
 * <ul>
 *   <li>LoRA, MiLoRA, PiSSA: {@code A·x} then {@code B·(…)}: {@code 2·T·(H·r + r·H)} per target;</li>
 *   <li>LoRMA₊ (pre): the same two skinny products, on {@code u = W0·x} instead of {@code x};</li>
 *   <li>LoRMA_π: forming {@code B·A} ({@code 2·H²·r}) and applying the rotated {@code H×H} matrix to every token
 *       ({@code 2·T·H²}) — the dense product the method cannot avoid.</li>
 * </ul>
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
        double perTarget = switch (method) {
            case "lora", "milora", "pissa", "lorma-plus" -> 2.0 * tokens() * (2.0 * HIDDEN * rank);
            case "lorma-pi" -> 2.0 * HIDDEN * HIDDEN * rank + 2.0 * tokens() * HIDDEN * HIDDEN;
            default -> throw new IllegalArgumentException("no FLOP formula for method '" + method + "'");
        };
        return LAYERS * TARGETS_PER_LAYER * perTarget;
    }

    double trainingStep(String method) {
        return 2 * dense() + 3 * attention() + 3 * adapterForward(method) + 3 * head();
    }
}
