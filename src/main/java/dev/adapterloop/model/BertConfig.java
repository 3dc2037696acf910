package dev.adapterloop.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The subset of a Hugging Face {@code config.json} that a BERT-family encoder needs. Unknown fields are ignored so
 * that configs written by transformers load as they are.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BertConfig(
        @JsonProperty("model_type") String modelType,
        @JsonProperty("vocab_size") int vocabSize,
        @JsonProperty("hidden_size") int hiddenSize,
        @JsonProperty("num_hidden_layers") int numHiddenLayers,
        @JsonProperty("num_attention_heads") int numAttentionHeads,
        @JsonProperty("intermediate_size") int intermediateSize,
        @JsonProperty("max_position_embeddings") int maxPositionEmbeddings,
        @JsonProperty("type_vocab_size") int typeVocabSize,
        @JsonProperty("layer_norm_eps") double layerNormEps,
        @JsonProperty("hidden_act") String hiddenAct,
        @JsonProperty("hidden_dropout_prob") double hiddenDropoutProb,
        @JsonProperty("attention_probs_dropout_prob") double attentionDropoutProb) implements ModelConfig {

    private static final ObjectMapper JSON = new ObjectMapper();

    public BertConfig {
        if (modelType == null || !(modelType.equals("bert") || modelType.equals("roberta"))) {
            throw new IllegalArgumentException("config.json: model_type must be 'bert' (or 'roberta'), got " + modelType);
        }
        requirePositive("vocab_size", vocabSize);
        requirePositive("hidden_size", hiddenSize);
        requirePositive("num_hidden_layers", numHiddenLayers);
        requirePositive("num_attention_heads", numAttentionHeads);
        requirePositive("intermediate_size", intermediateSize);
        requirePositive("max_position_embeddings", maxPositionEmbeddings);
        requirePositive("type_vocab_size", typeVocabSize);
        if (hiddenSize % numAttentionHeads != 0) {
            throw new IllegalArgumentException("config.json: hidden_size " + hiddenSize
                    + " is not a multiple of num_attention_heads " + numAttentionHeads);
        }
        if (hiddenAct == null || !hiddenAct.equals("gelu")) {
            // gelu_new / tanh approximations would silently change outputs; refuse rather than guess.
            throw new IllegalArgumentException("config.json: hidden_act must be 'gelu', got " + hiddenAct);
        }
        if (!(layerNormEps > 0)) {
            throw new IllegalArgumentException("config.json: layer_norm_eps must be > 0, got " + layerNormEps);
        }
        requireProbability("hidden_dropout_prob", hiddenDropoutProb);
        requireProbability("attention_probs_dropout_prob", attentionDropoutProb);
    }

    public int headSize() {
        return hiddenSize / numAttentionHeads;
    }

    public static BertConfig read(Path configJson) throws IOException {
        try {
            return JSON.readValue(Files.readAllBytes(configJson), BertConfig.class);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static void requirePositive(String field, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException("config.json: " + field + " must be > 0, got " + value);
        }
    }

    private static void requireProbability(String field, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException("config.json: " + field + " must be in [0, 1), got " + value);
        }
    }
}
