package dev.adapterloop.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;

/**
 * One post-LayerNorm transformer layer of BERT: self-attention, then the feed-forward network. Module paths match the
 * Hugging Face checkpoint ({@code encoder.layer.N.attention.self.query}, ...), which is what adapter target patterns
 * and the PEFT file format refer to.
 */
final class BertLayer extends AbstractBlock {

    private final BertConfig config;
    final AdaptableLinear query;
    final AdaptableLinear key;
    final AdaptableLinear value;
    final AdaptableLinear attentionOutput;
    final LayerNormBlock attentionLayerNorm;
    final AdaptableLinear intermediate;
    final AdaptableLinear output;
    final LayerNormBlock outputLayerNorm;

    BertLayer(BertConfig config, String prefix) {
        this.config = config;
        int h = config.hiddenSize();
        int ffn = config.intermediateSize();
        this.query = addChildBlock("query", new AdaptableLinear(prefix + ".attention.self.query", h, h));
        this.key = addChildBlock("key", new AdaptableLinear(prefix + ".attention.self.key", h, h));
        this.value = addChildBlock("value", new AdaptableLinear(prefix + ".attention.self.value", h, h));
        this.attentionOutput = addChildBlock("attention_output",
                new AdaptableLinear(prefix + ".attention.output.dense", h, h));
        this.attentionLayerNorm = addChildBlock("attention_layer_norm", new LayerNormBlock(h, config.layerNormEps()));
        this.intermediate = addChildBlock("intermediate", new AdaptableLinear(prefix + ".intermediate.dense", h, ffn));
        this.output = addChildBlock("output", new AdaptableLinear(prefix + ".output.dense", ffn, h));
        this.outputLayerNorm = addChildBlock("output_layer_norm", new LayerNormBlock(h, config.layerNormEps()));
    }

    List<AdaptableLinear> linears() {
        return List.of(query, key, value, attentionOutput, intermediate, output);
    }

    /**
     * @param hidden (batch, seq, hidden)
     * @param maskBias (batch, 1, 1, seq): 0 for real tokens, a large negative number for padding
     */
    NDArray forward(ParameterStore ps, NDArray hidden, NDArray maskBias, boolean training) {
        NDArray context = ScaledDotProductAttention.attend(query.forward(ps, hidden, training),
                key.forward(ps, hidden, training), value.forward(ps, hidden, training), maskBias,
                config.numAttentionHeads(), (float) config.attentionDropoutProb(), training);

        // The residual sums are out of place: a projection's output is a view (its rows reshaped), and an in-place
        // sum on a view makes autograd record CopySlices, whose backward copies the whole gradient through
        // as_strided. Out of place, the sum is one pass either way and its backward passes the gradient through.
        NDArray attended = dropout(attentionOutput.forward(ps, context, training), training);
        NDArray afterAttention = attentionLayerNorm.forward(ps, attended.add(hidden), training);

        NDArray ffn = Activation.gelu(intermediate.forward(ps, afterAttention, training));
        NDArray projected = dropout(output.forward(ps, ffn, training), training);
        return outputLayerNorm.forward(ps, projected.add(afterAttention), training);
    }

    private NDArray dropout(NDArray x, boolean training) {
        return DropoutMasks.dropout(x, (float) config.hiddenDropoutProb(), training);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.get(0), inputs.get(1), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
