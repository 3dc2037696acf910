package dev.adapterloop.model.decoder;

import com.fasterxml.jackson.databind.JsonNode;
import dev.adapterloop.model.ModelConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code config.json} of a decoder, GPT-2 or Llama family (Llama 2/3, Qwen2), with transformers' defaults for
 * absent keys (per family, as its configuration classes define them) and both layouts of the rotary settings: 4.x's
 * top-level {@code rope_theta} / {@code rope_scaling} and 5.x's {@code rope_parameters}. What the model cannot
 * compute faithfully (sliding windows, partial rotary dimensions, other activations) is refused by name.
 *
 * @param architecture {@link Architecture#GPT2} (learned positions, LayerNorm, Conv1D weights) or
 *        {@link Architecture#LLAMA} (RoPE, RMSNorm, grouped-query attention, SwiGLU)
 * @param qkvBias q, k, v projections have biases (Qwen2 always; Llama with {@code attention_bias})
 * @param outputBias the attention's output projection has a bias (GPT-2 always; Llama with {@code attention_bias})
 * @param mlpBias the feed-forward projections have biases (GPT-2 always; Llama with {@code mlp_bias})
 * @param eosTokenIds {@code eos_token_id}, which Llama 3 configs give as a list
 * @param padTokenId {@code pad_token_id}, or -1 when the config has none
 */
public record DecoderConfig(
        String modelType,
        Architecture architecture,
        int vocabSize,
        int hiddenSize,
        int numLayers,
        int numHeads,
        int numKvHeads,
        int headDim,
        int intermediateSize,
        int maxPositionEmbeddings,
        double normEps,
        double ropeTheta,
        RopeScaling ropeScaling,
        boolean tieWordEmbeddings,
        boolean qkvBias,
        boolean outputBias,
        boolean mlpBias,
        boolean scaleAttnWeights,
        boolean scaleAttnByInverseLayerIdx,
        double embeddingDropout,
        double residualDropout,
        double attentionDropout,
        int bosTokenId,
        List<Integer> eosTokenIds,
        int padTokenId) implements ModelConfig {

    /** The two block layouts this package implements. */
    public enum Architecture { GPT2, LLAMA }

    public DecoderConfig {
        requirePositive("vocab_size", vocabSize);
        requirePositive("hidden_size", hiddenSize);
        requirePositive("num_hidden_layers", numLayers);
        requirePositive("num_attention_heads", numHeads);
        requirePositive("num_key_value_heads", numKvHeads);
        requirePositive("head_dim", headDim);
        requirePositive("intermediate_size", intermediateSize);
        requirePositive("max_position_embeddings", maxPositionEmbeddings);
        if (numHeads % numKvHeads != 0) {
            throw new IllegalArgumentException("num_attention_heads " + numHeads
                    + " is not a multiple of num_key_value_heads " + numKvHeads);
        }
        if (headDim % 2 != 0 && architecture == Architecture.LLAMA) {
            throw new IllegalArgumentException("head_dim must be even for rotary embeddings, got " + headDim);
        }
        if (!(normEps > 0)) {
            throw new IllegalArgumentException("the norm's epsilon must be > 0, got " + normEps);
        }
        if (!(ropeTheta > 0)) {
            throw new IllegalArgumentException("rope_theta must be > 0, got " + ropeTheta);
        }
        for (double p : new double[] {embeddingDropout, residualDropout, attentionDropout}) {
            if (!(p >= 0 && p < 1)) {
                throw new IllegalArgumentException("dropout probabilities must be in [0, 1), got " + p);
            }
        }
        eosTokenIds = List.copyOf(eosTokenIds);
    }

    /** Query heads per key/value head (1 without grouped-query attention). */
    public int groupSize() {
        return numHeads / numKvHeads;
    }

    /** The id a batch pads with: {@code pad_token_id}, else the first EOS id, else 0 (padded slots are masked). */
    public int padIdOrFallback() {
        if (padTokenId >= 0) {
            return padTokenId;
        }
        return eosTokenIds.isEmpty() ? 0 : eosTokenIds.get(0);
    }

    /** Reads a decoder's {@code config.json}; an {@link IllegalArgumentException} names the field that is wrong. */
    public static DecoderConfig read(JsonNode json) {
        String type = json.path("model_type").asText("");
        return switch (type) {
            case "gpt2" -> gpt2(json);
            case "llama", "qwen2" -> llama(type, json);
            default -> throw new IllegalArgumentException("model_type '" + type + "' is not a decoder this"
                    + " package reads (gpt2, llama, qwen2)");
        };
    }

    private static DecoderConfig gpt2(JsonNode json) {
        String activation = json.path("activation_function").asText("gelu_new");
        if (!activation.equals("gelu_new") && !activation.equals("gelu_pytorch_tanh")) {
            throw new IllegalArgumentException("activation_function '" + activation + "' is not supported (GPT-2"
                    + " uses gelu_new)");
        }
        // reorder_and_upcast_attn only changes fp16 numerics: the fp32 result is the same, so it is not read.
        int hidden = requiredInt(json, "n_embd");
        int heads = requiredInt(json, "n_head");
        if (hidden % heads != 0) {
            throw new IllegalArgumentException("n_embd " + hidden + " is not a multiple of n_head " + heads);
        }
        JsonNode inner = json.path("n_inner");
        int ffn = inner.isNull() || inner.isMissingNode() ? 4 * hidden : inner.asInt();
        int eos = json.path("eos_token_id").asInt(50256);
        return new DecoderConfig("gpt2", Architecture.GPT2, requiredInt(json, "vocab_size"), hidden,
                requiredInt(json, "n_layer"), heads, heads, hidden / heads, ffn, requiredInt(json, "n_positions"),
                json.path("layer_norm_epsilon").asDouble(1e-5), 10000, RopeScaling.NONE,
                json.path("tie_word_embeddings").asBoolean(true), true, true, true,
                json.path("scale_attn_weights").asBoolean(true),
                json.path("scale_attn_by_inverse_layer_idx").asBoolean(false),
                json.path("embd_pdrop").asDouble(0.1), json.path("resid_pdrop").asDouble(0.1),
                json.path("attn_pdrop").asDouble(0.1), json.path("bos_token_id").asInt(50256), List.of(eos),
                padId(json));
    }

    private static DecoderConfig llama(String type, JsonNode json) {
        String activation = json.path("hidden_act").asText("silu");
        if (!activation.equals("silu")) {
            throw new IllegalArgumentException("hidden_act '" + activation + "' is not supported (Llama and Qwen2"
                    + " use silu)");
        }
        if (json.path("use_sliding_window").asBoolean(false)) {
            throw new IllegalArgumentException("use_sliding_window true is not supported (sliding-window"
                    + " attention)");
        }
        if (json.has("partial_rotary_factor") && json.path("partial_rotary_factor").asDouble() != 1.0) {
            throw new IllegalArgumentException("partial_rotary_factor " + json.path("partial_rotary_factor")
                    + " is not supported (only 1.0)");
        }
        // pretraining_tp > 1 makes transformers split each projection into slices: the same result up to rounding.
        int hidden = requiredInt(json, "hidden_size");
        int heads = requiredInt(json, "num_attention_heads");
        int kvHeads = json.path("num_key_value_heads").isNumber() ? json.path("num_key_value_heads").asInt() : heads;
        int headDim = json.path("head_dim").isNumber() ? json.path("head_dim").asInt() : hidden / heads;
        boolean qwen = type.equals("qwen2");
        boolean attentionBias = json.path("attention_bias").asBoolean(false);
        // rope: 5.x nests everything in rope_parameters; 4.x has rope_theta and rope_scaling at the top level.
        JsonNode ropeParameters = json.path("rope_parameters");
        JsonNode ropeSource = ropeParameters.isObject() ? ropeParameters : json.path("rope_scaling");
        double theta = ropeParameters.isObject() && ropeParameters.has("rope_theta")
                ? ropeParameters.path("rope_theta").asDouble() : json.path("rope_theta").asDouble(10000);
        return new DecoderConfig(type, Architecture.LLAMA, requiredInt(json, "vocab_size"), hidden,
                requiredInt(json, "num_hidden_layers"), heads, kvHeads, headDim,
                requiredInt(json, "intermediate_size"), json.path("max_position_embeddings").asInt(2048),
                json.path("rms_norm_eps").asDouble(1e-6), theta, ropeScaling(ropeSource),
                json.path("tie_word_embeddings").asBoolean(false), qwen || attentionBias, !qwen && attentionBias,
                !qwen && json.path("mlp_bias").asBoolean(false), true, false, 0, 0,
                json.path("attention_dropout").asDouble(0), json.path("bos_token_id").asInt(-1), eosIds(json),
                padId(json));
    }

    private static RopeScaling ropeScaling(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return RopeScaling.NONE;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("rope_scaling must be an object or null, got " + node);
        }
        String type = node.has("rope_type") ? node.path("rope_type").asText() : node.path("type").asText("default");
        if (type.equals("default")) {
            return RopeScaling.NONE;
        }
        return new RopeScaling(type, node.path("factor").asDouble(1), node.path("low_freq_factor").asDouble(1),
                node.path("high_freq_factor").asDouble(4), node.path("original_max_position_embeddings").asInt(8192));
    }

    private static List<Integer> eosIds(JsonNode json) {
        JsonNode eos = json.path("eos_token_id");
        List<Integer> ids = new ArrayList<>();
        if (eos.isArray()) {
            eos.forEach(id -> ids.add(id.asInt()));
        } else if (eos.isNumber()) {
            ids.add(eos.asInt());
        }
        return ids;
    }

    private static int padId(JsonNode json) {
        JsonNode pad = json.path("pad_token_id");
        return pad.isNumber() ? pad.asInt() : -1;
    }

    private static int requiredInt(JsonNode json, String field) {
        JsonNode node = json.path(field);
        if (!node.canConvertToInt() || !node.isNumber()) {
            throw new IllegalArgumentException(field + " must be an integer, got " + (node.isMissingNode()
                    ? "nothing" : node.toString()));
        }
        return node.asInt();
    }

    private static void requirePositive(String field, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be > 0, got " + value);
        }
    }
}
