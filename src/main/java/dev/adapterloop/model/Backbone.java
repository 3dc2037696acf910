package dev.adapterloop.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.Map;

/**
 * A frozen pretrained transformer as the rest of the system sees it, whatever its family: the linear layers adapters
 * may take over (keyed by Hugging Face module path), its frozen parameters (keyed by checkpoint name), and the
 * features a sequence-classification head reads. A BERT encoder pools them by the mean over real tokens, a decoder
 * takes the hidden state of the last real token (as transformers' {@code *ForSequenceClassification} does).
 */
public interface Backbone {

    ModelConfig config();

    /** Every linear layer an adapter may target, keyed by its Hugging Face module path, in model order. */
    Map<String, AdaptableLinear> linearLayers();

    /**
     * Frozen parameters keyed by their checkpoint names, in this model's layout: linear weights are always
     * (out, in), also where the checkpoint stores them transposed ({@link #storedTransposed}).
     */
    Map<String, Parameter> namedParameters();

    /**
     * Whether the checkpoint stores the tensor {@code name} as the transpose of {@link #namedParameters()}'s array
     * (GPT-2's Conv1D weights, (in, out)); writers of checkpoint-layout files transpose such tensors back.
     */
    default boolean storedTransposed(String name) {
        return false;
    }

    /**
     * FLOAT32 (the default) or FLOAT16: the type of the activations between layers; weights stay fp32 and are cast
     * where they are used ({@link ComputeTypes}).
     */
    void setComputeType(DataType type);

    DataType computeType();

    /**
     * @param inputIds (batch, seq) int64
     * @param attentionMask (batch, seq) int64, 1 for real tokens
     * @param tokenTypeIds (batch, seq) int64; families without token types ignore it
     * @return the last hidden states, (batch, seq, hidden), in the compute type
     */
    NDArray forward(ParameterStore ps, NDArray inputIds, NDArray attentionMask, NDArray tokenTypeIds,
                    boolean training);

    /** The features a classification head reads, (batch, hidden), fp32, from {@link #forward}'s hidden states. */
    NDArray sequenceFeatures(NDArray hidden, NDArray attentionMask);

    /** The dropout the family's classification heads apply to the features while training. */
    float classifierDropout();
}
