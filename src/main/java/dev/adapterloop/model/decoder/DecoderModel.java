package dev.adapterloop.model.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.adapterloop.model.AdaptableLinear;
import dev.adapterloop.model.Backbone;
import dev.adapterloop.model.ComputeTypes;
import dev.adapterloop.model.DropoutMasks;
import dev.adapterloop.model.LayerNormBlock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A causal decoder, GPT-2 or Llama family, built from NDArray operations: token (and for GPT-2 learned position)
 * embeddings, {@link DecoderBlock}s, the final norm and the language-model head (tied to the token embedding or
 * not). Module paths and parameter names are those of {@code GPT2LMHeadModel} / {@code LlamaForCausalLM}
 * checkpoints, which is what PEFT target modules and adapter files refer to.
 *
 * <p>Positions follow transformers: {@code arange(past, past + seq)} for every row unless given (generation passes
 * {@code cumsum(mask) - 1}, see {@link GreedyDecoder}); a query attends to the keys at or before its own index
 * whose attention mask is 1, across the cached and the new positions.
 */
public final class DecoderModel extends AbstractBlock implements Backbone {

    /** Added to the scores of keys a query may not see: exp(-3e4) is 0 in fp32 and fp16, and fits in fp16. */
    private static final float MASK_PENALTY = 3e4f;

    private final DecoderConfig config;
    private final Parameter tokenEmbedding;
    private final Parameter positionEmbedding;
    private final List<DecoderBlock> blocks = new ArrayList<>();
    private final LayerNormBlock finalLayerNorm;
    private final RmsNorm finalRmsNorm;
    private final Parameter lmHead;
    private final Rotary rotary;
    private DataType computeType = DataType.FLOAT32;

    public DecoderModel(DecoderConfig config) {
        this.config = config;
        boolean gpt2 = config.architecture() == DecoderConfig.Architecture.GPT2;
        this.tokenEmbedding = addParameter(frozen(gpt2 ? "wte" : "embed_tokens"));
        this.positionEmbedding = gpt2 ? addParameter(frozen("wpe")) : null;
        for (int i = 0; i < config.numLayers(); i++) {
            AbstractBlock block = gpt2 ? new Gpt2Block(config, i) : new LlamaBlock(config, i);
            addChildBlock("layer_" + i, block);
            blocks.add((DecoderBlock) block);
        }
        this.finalLayerNorm = gpt2 ? addChildBlock("ln_f", new LayerNormBlock(config.hiddenSize(), config.normEps()))
                : null;
        this.finalRmsNorm = gpt2 ? null : addChildBlock("norm", new RmsNorm(config.normEps()));
        this.lmHead = config.tieWordEmbeddings() ? null : addParameter(frozen("lm_head"));
        this.rotary = gpt2 ? null : new Rotary(config);
    }

    private static Parameter frozen(String name) {
        return Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).optRequiresGrad(false).build();
    }

    @Override
    public DecoderConfig config() {
        return config;
    }

    private String basePrefix() {
        return config.architecture() == DecoderConfig.Architecture.GPT2 ? "transformer." : "model.";
    }

    @Override
    public Map<String, AdaptableLinear> linearLayers() {
        Map<String, AdaptableLinear> byPath = new LinkedHashMap<>();
        for (DecoderBlock block : blocks) {
            block.linears().forEach(linear -> byPath.put(linear.path(), linear));
        }
        return Collections.unmodifiableMap(byPath);
    }

    @Override
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> named = new LinkedHashMap<>();
        boolean gpt2 = config.architecture() == DecoderConfig.Architecture.GPT2;
        named.put(basePrefix() + (gpt2 ? "wte.weight" : "embed_tokens.weight"), tokenEmbedding);
        if (gpt2) {
            named.put("transformer.wpe.weight", positionEmbedding);
        }
        blocks.forEach(block -> block.putParameters(named));
        if (gpt2) {
            named.put("transformer.ln_f.weight", finalLayerNorm.weight);
            named.put("transformer.ln_f.bias", finalLayerNorm.bias);
        } else {
            named.put("model.norm.weight", finalRmsNorm.weight);
        }
        if (lmHead != null) {
            named.put("lm_head.weight", lmHead);
        }
        return Collections.unmodifiableMap(named);
    }

    /** GPT-2's Conv1D weights are stored (in, out); every other tensor as held. */
    @Override
    public boolean storedTransposed(String name) {
        return config.architecture() == DecoderConfig.Architecture.GPT2 && name.startsWith("transformer.h.")
                && name.endsWith(".weight") && !name.contains(".ln_");
    }

    @Override
    public void setComputeType(DataType type) {
        this.computeType = ComputeTypes.require(type);
    }

    @Override
    public DataType computeType() {
        return computeType;
    }

    public int numLayers() {
        return blocks.size();
    }

    @Override
    public NDArray forward(ParameterStore ps, NDArray inputIds, NDArray attentionMask, NDArray tokenTypeIds,
                           boolean training) {
        return run(ps, inputIds, attentionMask, null, null, training, null);
    }

    /**
     * The decoder over new tokens.
     *
     * @param inputIds the new tokens, (batch, seq) int64
     * @param attentionMask (batch, past + seq) int64, 1 for real tokens, over the cached and the new positions
     * @param positionIds (batch, seq) int64, or null for {@code arange(past, past + seq)}
     * @param cache the earlier positions' keys and values, extended by this call; null for none
     * @param hiddenStates when not null, receives the embeddings and each layer's output, then the final normed
     *        states (so it ends with what this method returns)
     * @return the final normed hidden states, (batch, seq, hidden), in the compute type
     */
    public NDArray run(ParameterStore ps, NDArray inputIds, NDArray attentionMask, NDArray positionIds,
                       KvCache cache, boolean training, List<NDArray> hiddenStates) {
        NDManager batchManager = inputIds.getManager();
        long batch = inputIds.getShape().get(0);
        long seq = inputIds.getShape().get(1);
        long past = cache == null ? 0 : cache.length();
        long total = attentionMask.getShape().get(1);
        if (total != past + seq) {
            throw new IllegalArgumentException("attention mask covers " + total + " positions, expected past " + past
                    + " + new " + seq);
        }
        NDArray positions = positionIds != null ? positionIds
                : batchManager.arange(past, past + seq, 1, DataType.INT64, inputIds.getDevice())
                        .expandDims(0).repeat(0, batch);
        NDArray hidden = lookup(ps, inputIds, tokenEmbedding, training);
        NDArray cos = null;
        NDArray sin = null;
        if (positionEmbedding != null) {
            long maxPosition = positions.max().getLong();
            if (maxPosition >= config.maxPositionEmbeddings() || positions.min().getLong() < 0) {
                throw new IllegalArgumentException("position " + maxPosition + " is outside the model's "
                        + config.maxPositionEmbeddings() + " learned positions");
            }
            hidden = hidden.add(lookup(ps, positions, positionEmbedding, training));
            hidden = DropoutMasks.dropout(hidden, (float) config.embeddingDropout(), training);
        } else {
            NDList tables = rotary.tables(positions);
            cos = tables.get(0);
            sin = tables.get(1);
        }
        if (hidden.getDataType() != computeType) {
            hidden = hidden.toType(computeType, false);
        }
        StepInputs inputs = new StepInputs(maskBias(attentionMask, past, seq), cos, sin, cache);
        if (hiddenStates != null) {
            hiddenStates.add(hidden);
        }
        for (DecoderBlock block : blocks) {
            hidden = block.forward(ps, hidden, inputs, training);
            if (hiddenStates != null) {
                hiddenStates.add(hidden);
            }
        }
        NDArray normed = finalLayerNorm != null ? finalLayerNorm.forward(ps, hidden, training)
                : finalRmsNorm.forward(ps, hidden, training);
        if (hiddenStates != null) {
            hiddenStates.add(normed);
        }
        return normed;
    }

    /** (batch, 1, seq, past + seq): 0 where key j ≤ past + i and the mask is 1, −{@value #MASK_PENALTY} elsewhere. */
    private NDArray maskBias(NDArray attentionMask, long past, long seq) {
        NDManager m = attentionMask.getManager();
        long total = past + seq;
        NDArray queries = m.arange(past, past + seq, 1, DataType.INT64, attentionMask.getDevice()).reshape(seq, 1);
        NDArray keys = m.arange(0, total, 1, DataType.INT64, attentionMask.getDevice()).reshape(1, total);
        NDArray causal = keys.lte(queries).toType(DataType.FLOAT32, false);
        NDArray padding = attentionMask.toType(DataType.FLOAT32, false)
                .reshape(attentionMask.getShape().get(0), 1, 1, total);
        NDArray allowed = padding.mul(causal.reshape(1, 1, seq, total));
        return allowed.sub(1f).mul(MASK_PENALTY).toType(computeType, false);
    }

    private static NDArray lookup(ParameterStore ps, NDArray ids, Parameter table, boolean training) {
        return Embedding.embedding(ids, ps.getValue(table, ids.getDevice(), training), SparseFormat.DENSE)
                .singletonOrThrow();
    }

    /** The language-model head: (batch, seq, vocab) logits in fp32, from {@link #run}'s hidden states. */
    public NDArray logits(ParameterStore ps, NDArray hidden, boolean training) {
        Parameter head = lmHead != null ? lmHead : tokenEmbedding;
        NDArray weight = ComputeTypes.castLike(ps.getValue(head, hidden.getDevice(), training), hidden);
        return ComputeTypes.toFloat32(Linear.linear(hidden, weight).singletonOrThrow());
    }

    /**
     * The hidden state of each row's last real token (the rightmost position whose mask is 1, whichever side the
     * batch is padded on), fp32: what {@code LlamaForSequenceClassification} and {@code GPT2ForSequenceClassification}
     * score.
     */
    @Override
    public NDArray sequenceFeatures(NDArray hidden, NDArray attentionMask) {
        NDArray states = ComputeTypes.toFloat32(hidden);
        long seq = attentionMask.getShape().get(1);
        NDArray ranks = attentionMask.getManager().arange(1f, seq + 1f, 1f, DataType.FLOAT32,
                attentionMask.getDevice());
        NDArray last = attentionMask.toType(DataType.FLOAT32, false).mul(ranks).argMax(1);
        NDArray select = last.oneHot((int) seq, DataType.FLOAT32).expandDims(-1);
        return states.mul(select).sum(new int[] {1});
    }

    /** Neither transformers' decoder classification heads nor their score layer apply dropout. */
    @Override
    public float classifierDropout() {
        return 0f;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.get(0), inputs.get(1), null, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].add(config.hiddenSize())};
    }

    @Override
    public String toString() {
        return "DecoderModel[" + config.modelType() + ", " + blocks.size() + " layers, hidden " + config.hiddenSize()
                + ", heads " + config.numHeads() + "/" + config.numKvHeads() + "]";
    }
}
