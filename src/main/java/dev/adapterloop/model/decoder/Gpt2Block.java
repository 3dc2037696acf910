package dev.adapterloop.model.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.adapterloop.model.AdaptableLinear;
import dev.adapterloop.model.DropoutMasks;
import dev.adapterloop.model.LayerNormBlock;
import dev.adapterloop.model.TorchArrays;
import java.util.List;
import java.util.Map;

/**
 * A GPT-2 block: {@code h += c_proj(attn(ln_1(h)))}, then {@code h += mlp.c_proj(gelu_new(mlp.c_fc(ln_2(h))))}.
 * The checkpoint stores the Conv1D weights (in, out); they are held (out, in) like every linear layer here, so an
 * adapter sees the same layout on every model ({@link DecoderModel#storedTransposed}).
 */
final class Gpt2Block extends AbstractBlock implements DecoderBlock {

    private static final double GELU_COEFFICIENT = Math.sqrt(2 / Math.PI);

    private final DecoderConfig config;
    private final int index;
    private final String prefix;
    private final double scale;
    final LayerNormBlock ln1;
    final AdaptableLinear cAttn;
    final AdaptableLinear cProj;
    final LayerNormBlock ln2;
    final AdaptableLinear cFc;
    final AdaptableLinear mlpProj;

    Gpt2Block(DecoderConfig config, int index) {
        this.config = config;
        this.index = index;
        this.prefix = "transformer.h." + index;
        int e = config.hiddenSize();
        double s = config.scaleAttnWeights() ? 1 / Math.sqrt(config.headDim()) : 1;
        this.scale = config.scaleAttnByInverseLayerIdx() ? s / (index + 1) : s;
        this.ln1 = addChildBlock("ln_1", new LayerNormBlock(e, config.normEps()));
        this.cAttn = addChildBlock("c_attn", new AdaptableLinear(prefix + ".attn.c_attn", e, 3 * e));
        this.cProj = addChildBlock("c_proj", new AdaptableLinear(prefix + ".attn.c_proj", e, e));
        this.ln2 = addChildBlock("ln_2", new LayerNormBlock(e, config.normEps()));
        this.cFc = addChildBlock("c_fc", new AdaptableLinear(prefix + ".mlp.c_fc", e, config.intermediateSize()));
        this.mlpProj = addChildBlock("mlp_c_proj",
                new AdaptableLinear(prefix + ".mlp.c_proj", config.intermediateSize(), e));
    }

    @Override
    public NDArray forward(ParameterStore ps, NDArray hidden, StepInputs in, boolean training) {
        NDList qkv = cAttn.forward(ps, ln1.forward(ps, hidden, training), training).split(3, 2);
        NDArray q = CausalAttention.splitHeads(qkv.get(0), config.numHeads());
        NDArray k = CausalAttention.splitHeads(qkv.get(1), config.numHeads());
        NDArray v = CausalAttention.splitHeads(qkv.get(2), config.numHeads());
        if (in.cache() != null) {
            NDArray[] kv = in.cache().append(index, k, v);
            k = kv[0];
            v = kv[1];
        }
        NDArray context = CausalAttention.attend(q, k, v, in.maskBias(), scale,
                (float) config.attentionDropout(), training);
        NDArray attended = hidden.add(dropout(cProj.forward(ps, context, training), training));
        NDArray ffn = geluNew(cFc.forward(ps, ln2.forward(ps, attended, training), training));
        return attended.add(dropout(mlpProj.forward(ps, ffn, training), training));
    }

    /**
     * {@code 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))}: GPT-2's {@code gelu_new}, torch's tanh GELU. Factors go
     * through {@link TorchArrays#scale}: a Java-number factor kept for the backward pass would be freed memory by then.
     */
    static NDArray geluNew(NDArray x) {
        NDArray cube = x.mul(x).mul(x);
        NDArray inner = TorchArrays.scale(TorchArrays.scale(cube, 0.044715).add(x), GELU_COEFFICIENT);
        return TorchArrays.scale(x, 0.5).mul(inner.tanh().add(1f));
    }

    private NDArray dropout(NDArray x, boolean training) {
        return DropoutMasks.dropout(x, (float) config.residualDropout(), training);
    }

    @Override
    public List<AdaptableLinear> linears() {
        return List.of(cAttn, cProj, cFc, mlpProj);
    }

    @Override
    public void putParameters(Map<String, Parameter> named) {
        named.put(prefix + ".ln_1.weight", ln1.weight);
        named.put(prefix + ".ln_1.bias", ln1.bias);
        named.put(prefix + ".ln_2.weight", ln2.weight);
        named.put(prefix + ".ln_2.bias", ln2.bias);
        for (AdaptableLinear linear : linears()) {
            named.put(linear.path() + ".weight", linear.weight());
            named.put(linear.path() + ".bias", linear.bias());
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        throw new UnsupportedOperationException("call forward(ps, hidden, inputs, training)");
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
