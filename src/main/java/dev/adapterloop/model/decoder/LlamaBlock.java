package dev.adapterloop.model.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.adapterloop.model.AdaptableLinear;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Llama-family layer (Llama 2/3, Qwen2): {@code h += o_proj(attn(rmsnorm(h)))} with rotary q and k and
 * grouped-query attention, then {@code h += down(silu(gate(x)) · up(x))} with {@code x = rmsnorm(h)}.
 */
final class LlamaBlock extends AbstractBlock implements DecoderBlock {

    private final DecoderConfig config;
    private final int index;
    private final String prefix;
    final RmsNorm inputNorm;
    final AdaptableLinear qProj;
    final AdaptableLinear kProj;
    final AdaptableLinear vProj;
    final AdaptableLinear oProj;
    final RmsNorm postAttentionNorm;
    final AdaptableLinear gateProj;
    final AdaptableLinear upProj;
    final AdaptableLinear downProj;

    LlamaBlock(DecoderConfig config, int index) {
        this.config = config;
        this.index = index;
        this.prefix = "model.layers." + index;
        int h = config.hiddenSize();
        int q = config.numHeads() * config.headDim();
        int kv = config.numKvHeads() * config.headDim();
        int ffn = config.intermediateSize();
        String attn = prefix + ".self_attn.";
        String mlp = prefix + ".mlp.";
        this.inputNorm = addChildBlock("input_layernorm", new RmsNorm(config.normEps()));
        this.qProj = addChildBlock("q_proj", new AdaptableLinear(attn + "q_proj", h, q, config.qkvBias()));
        this.kProj = addChildBlock("k_proj", new AdaptableLinear(attn + "k_proj", h, kv, config.qkvBias()));
        this.vProj = addChildBlock("v_proj", new AdaptableLinear(attn + "v_proj", h, kv, config.qkvBias()));
        this.oProj = addChildBlock("o_proj", new AdaptableLinear(attn + "o_proj", q, h, config.outputBias()));
        this.postAttentionNorm = addChildBlock("post_attention_layernorm", new RmsNorm(config.normEps()));
        this.gateProj = addChildBlock("gate_proj", new AdaptableLinear(mlp + "gate_proj", h, ffn, config.mlpBias()));
        this.upProj = addChildBlock("up_proj", new AdaptableLinear(mlp + "up_proj", h, ffn, config.mlpBias()));
        this.downProj = addChildBlock("down_proj", new AdaptableLinear(mlp + "down_proj", ffn, h, config.mlpBias()));
    }

    @Override
    public NDArray forward(ParameterStore ps, NDArray hidden, StepInputs in, boolean training) {
        NDArray x = inputNorm.forward(ps, hidden, training);
        NDArray q = Rotary.apply(CausalAttention.splitHeads(qProj.forward(ps, x, training), config.numHeads()),
                in.cos(), in.sin());
        NDArray k = Rotary.apply(CausalAttention.splitHeads(kProj.forward(ps, x, training), config.numKvHeads()),
                in.cos(), in.sin());
        NDArray v = CausalAttention.splitHeads(vProj.forward(ps, x, training), config.numKvHeads());
        if (in.cache() != null) {
            NDArray[] kv = in.cache().append(index, k, v);
            k = kv[0];
            v = kv[1];
        }
        NDArray context = CausalAttention.attend(q, k, v, in.maskBias(), 1 / Math.sqrt(config.headDim()),
                (float) config.attentionDropout(), training);
        NDArray attended = hidden.add(oProj.forward(ps, context, training));
        NDArray y = postAttentionNorm.forward(ps, attended, training);
        // silu(g) = g·sigmoid(g), without DJL's swish, whose Java-number β the backward pass would read freed.
        NDArray gate = gateProj.forward(ps, y, training);
        NDArray gated = gate.mul(Activation.sigmoid(gate)).mul(upProj.forward(ps, y, training));
        return attended.add(downProj.forward(ps, gated, training));
    }

    @Override
    public List<AdaptableLinear> linears() {
        return List.of(qProj, kProj, vProj, oProj, gateProj, upProj, downProj);
    }

    @Override
    public void putParameters(Map<String, Parameter> named) {
        named.put(prefix + ".input_layernorm.weight", inputNorm.weight);
        named.put(prefix + ".post_attention_layernorm.weight", postAttentionNorm.weight);
        List<AdaptableLinear> linears = new ArrayList<>(linears());
        for (AdaptableLinear linear : linears) {
            named.put(linear.path() + ".weight", linear.weight());
            if (linear.bias() != null) {
                named.put(linear.path() + ".bias", linear.bias());
            }
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
