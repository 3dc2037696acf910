package dev.adapterloop.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A BERT-family encoder ({@code BertModel} without the pooler). Input: token ids, attention mask and token type ids,
 * each (batch, seq) int64. Output: {@code last_hidden_state}, (batch, seq, hidden).
 */
public final class BertEncoder extends AbstractBlock implements Backbone {

    /** Subtracted from attention scores of padding; exp(-3e4) is exactly 0 in fp32 and fp16, and fits in fp16. */
    private static final float PADDING_PENALTY = 3e4f;

    private final BertConfig config;
    private final BertEmbeddings embeddings;
    private final List<BertLayer> layers = new ArrayList<>();
    private DataType computeType = DataType.FLOAT32;

    public BertEncoder(BertConfig config) {
        this.config = config;
        this.embeddings = addChildBlock("embeddings", new BertEmbeddings(config));
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            layers.add(addChildBlock("layer_" + i, new BertLayer(config, "encoder.layer." + i)));
        }
    }

    @Override
    public BertConfig config() {
        return config;
    }

    /**
     * FLOAT32 (the default) or FLOAT16: the type of the activations between layers. With FLOAT16 the weights stay in
     * fp32 and are cast where they are used (see {@link ComputeTypes}); a GPU runs it about twice as fast.
     */
    @Override
    public void setComputeType(DataType type) {
        this.computeType = ComputeTypes.require(type);
    }

    @Override
    public DataType computeType() {
        return computeType;
    }

    /** Every linear layer an adapter may target, keyed by its Hugging Face module path, in model order. */
    @Override
    public Map<String, AdaptableLinear> linearLayers() {
        Map<String, AdaptableLinear> byPath = new LinkedHashMap<>();
        for (BertLayer layer : layers) {
            for (AdaptableLinear linear : layer.linears()) {
                byPath.put(linear.path(), linear);
            }
        }
        return Collections.unmodifiableMap(byPath);
    }

    /** Frozen parameters keyed by their Hugging Face checkpoint names. */
    @Override
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> named = new LinkedHashMap<>();
        named.put("embeddings.word_embeddings.weight", embeddings.wordEmbeddings);
        named.put("embeddings.position_embeddings.weight", embeddings.positionEmbeddings);
        named.put("embeddings.token_type_embeddings.weight", embeddings.tokenTypeEmbeddings);
        putLayerNorm(named, "embeddings.LayerNorm", embeddings.layerNorm);
        for (int i = 0; i < layers.size(); i++) {
            BertLayer layer = layers.get(i);
            String prefix = "encoder.layer." + i;
            for (AdaptableLinear linear : layer.linears()) {
                named.put(linear.path() + ".weight", linear.weight());
                named.put(linear.path() + ".bias", linear.bias());
            }
            putLayerNorm(named, prefix + ".attention.output.LayerNorm", layer.attentionLayerNorm);
            putLayerNorm(named, prefix + ".output.LayerNorm", layer.outputLayerNorm);
        }
        return Collections.unmodifiableMap(named);
    }

    private static void putLayerNorm(Map<String, Parameter> named, String prefix, LayerNormBlock norm) {
        named.put(prefix + ".weight", norm.weight);
        named.put(prefix + ".bias", norm.bias);
    }

    @Override
    public NDArray forward(ParameterStore ps, NDArray inputIds, NDArray attentionMask, NDArray tokenTypeIds,
                           boolean training) {
        NDArray hidden = embeddings.forward(ps, inputIds, tokenTypeIds, training);
        if (hidden.getDataType() != computeType) {
            hidden = hidden.toType(computeType, false);
        }
        long batch = inputIds.getShape().get(0);
        long seq = inputIds.getShape().get(1);
        NDArray maskBias = attentionMask.toType(computeType, false).sub(1).mul(PADDING_PENALTY)
                .reshape(batch, 1, 1, seq);
        for (BertLayer layer : layers) {
            try (NDManager scope = hidden.getManager().newSubManager()) {
                hidden.tempAttach(scope);
                hidden = scope.ret(layer.forward(ps, hidden, maskBias, training));
            }
        }
        return hidden;
    }

    /** The mean of the last hidden states over real tokens, in fp32 (how all-MiniLM-L6-v2 was trained to embed). */
    @Override
    public NDArray sequenceFeatures(NDArray hidden, NDArray attentionMask) {
        NDArray states = ComputeTypes.toFloat32(hidden);
        NDArray mask = attentionMask.toType(states.getDataType(), false).expandDims(-1);
        NDArray summed = states.mul(mask).sum(new int[] {1});
        NDArray counts = mask.sum(new int[] {1}).maximum(1e-9f);
        return summed.div(counts);
    }

    @Override
    public float classifierDropout() {
        return (float) config.hiddenDropoutProb();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        EncoderInputs in = EncoderInputs.of(inputs);
        return new NDList(forward(ps, in.ids(), in.mask(), in.tokenTypes(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].add(config.hiddenSize())};
    }
}
