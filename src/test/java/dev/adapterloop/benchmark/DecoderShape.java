package dev.adapterloop.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * The Llama-shaped decoder the decoder benchmark times (RMSNorm, rotary embeddings, grouped-query attention, SwiGLU,
 * head tied or not), its Hugging Face {@code config.json}, its exact parameter count and the analytic FLOPs of one
 * LoRA training step, counted as {@link StepFlops} and the engine peer count them: matmuls only, 2 FLOP per
 * multiply-add, {@code step = 2·dense + 3·attn + 3·lora}. The head is frozen, so it costs its forward and the input
 * gradient only (part of {@code 2·dense}); attention is counted over the full seq × seq scores, as eager attention
 * computes them. Softmax, the loss, norms, SwiGLU's products, AdamW and the embedding gather are not counted.
 */
record DecoderShape(int hidden, int layers, int heads, int kvHeads, int intermediate, int vocab, double ropeTheta,
                    boolean tiedHead) {

    DecoderShape {
        if (hidden <= 0 || layers <= 0 || heads <= 0 || kvHeads <= 0 || intermediate <= 0 || vocab <= 0) {
            throw new IllegalArgumentException("every size must be > 0, got " + this);
        }
        if (hidden % heads != 0 || heads % kvHeads != 0 || (hidden / heads) % 2 != 0) {
            throw new IllegalArgumentException("hidden " + hidden + " must split into " + heads + " heads of an even"
                    + " size, and heads into " + kvHeads + " key/value heads");
        }
    }

    int headDim() {
        return hidden / heads;
    }

    int kvDim() {
        return kvHeads * headDim();
    }

    /** Weights of one layer's seven projections (no biases in Llama). */
    long projectionWeightsPerLayer() {
        return (long) hidden * hidden * 2 + 2L * hidden * kvDim() + 3L * hidden * intermediate;
    }

    /** Every parameter: embedding, layers (projections and two norms), final norm, and the head when untied. */
    long parameters() {
        long embedding = (long) vocab * hidden;
        long perLayer = projectionWeightsPerLayer() + 2L * hidden;
        return embedding + layers * perLayer + hidden + (tiedHead ? 0 : embedding);
    }

    /** LoRA's trainable parameters on q_proj and v_proj: A (r × in) and B (out × r) each. */
    long loraParameters(int rank) {
        return layers * ((long) rank * (hidden + hidden) + (long) rank * (hidden + kvDim()));
    }

    double denseForward(long tokens) {
        return 2.0 * (layers * (double) projectionWeightsPerLayer() + (double) hidden * vocab) * tokens;
    }

    double attentionForward(int batch, int sequenceLength) {
        return layers * 4.0 * batch * (double) sequenceLength * sequenceLength * hidden;
    }

    double loraForward(long tokens, int rank) {
        return layers * 2.0 * tokens * rank * ((hidden + hidden) + (hidden + kvDim()));
    }

    /** FLOPs of one LoRA training step on q_proj, v_proj: forward, input gradients, and the factors' gradients. */
    double loraStepFlops(int batch, int sequenceLength, int rank) {
        long tokens = (long) batch * sequenceLength;
        return 2 * denseForward(tokens) + 3 * attentionForward(batch, sequenceLength)
                + 3 * loraForward(tokens, rank);
    }

    /** A Llama {@code config.json} of transformers 4.x for this shape (fp32 weights, no biases, no rope scaling). */
    ObjectNode configJson(ObjectMapper json) {
        ObjectNode config = json.createObjectNode();
        config.putArray("architectures").add("LlamaForCausalLM");
        config.put("model_type", "llama");
        config.put("hidden_size", hidden).put("num_hidden_layers", layers).put("num_attention_heads", heads)
                .put("num_key_value_heads", kvHeads).put("intermediate_size", intermediate).put("vocab_size", vocab)
                .put("head_dim", headDim()).put("hidden_act", "silu").put("max_position_embeddings", 2048)
                .put("rms_norm_eps", 1e-6).put("rope_theta", ropeTheta).put("tie_word_embeddings", tiedHead)
                .put("attention_bias", false).put("mlp_bias", false).put("attention_dropout", 0.0)
                .put("bos_token_id", 1).put("eos_token_id", 2).put("torch_dtype", "float32");
        config.putNull("rope_scaling");
        return config;
    }

    /** A folder name that changes with every shape setting, so a cached model is never one of another shape. */
    String key() {
        return String.format(Locale.ROOT, "llama-h%d-l%d-a%d-kv%d-ffn%d-v%d-rope%.0f-%s", hidden, layers, heads,
                kvHeads, intermediate, vocab, ropeTheta, tiedHead ? "tied" : "untied");
    }
}
