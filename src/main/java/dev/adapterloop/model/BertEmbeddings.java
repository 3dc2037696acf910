package dev.adapterloop.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** Word + position + token-type embeddings, then LayerNorm and dropout, as in BERT. */
final class BertEmbeddings extends AbstractBlock {

    private final BertConfig config;
    final Parameter wordEmbeddings;
    final Parameter positionEmbeddings;
    final Parameter tokenTypeEmbeddings;
    final LayerNormBlock layerNorm;

    BertEmbeddings(BertConfig config) {
        this.config = config;
        this.wordEmbeddings = addParameter(frozen("word_embeddings"));
        this.positionEmbeddings = addParameter(frozen("position_embeddings"));
        this.tokenTypeEmbeddings = addParameter(frozen("token_type_embeddings"));
        this.layerNorm = addChildBlock("LayerNorm", new LayerNormBlock(config.hiddenSize(), config.layerNormEps()));
    }

    private static Parameter frozen(String name) {
        return Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).optRequiresGrad(false).build();
    }

    /** @param inputIds (batch, seq) int64; @param tokenTypeIds (batch, seq) int64 */
    NDArray forward(ParameterStore ps, NDArray inputIds, NDArray tokenTypeIds, boolean training) {
        // Index arrays go first so every result attaches to the batch's manager, not the model's.
        NDManager batch = inputIds.getManager();
        long seq = inputIds.getShape().get(1);
        if (seq > config.maxPositionEmbeddings()) {
            throw new IllegalArgumentException("sequence length " + seq + " exceeds max_position_embeddings "
                    + config.maxPositionEmbeddings());
        }
        NDArray positions = batch.arange(0, (int) seq, 1, DataType.INT64, inputIds.getDevice());
        NDArray words = lookup(ps, inputIds, wordEmbeddings, training);
        NDArray sum = words.add(lookup(ps, positions, positionEmbeddings, training))
                .add(lookup(ps, tokenTypeIds, tokenTypeEmbeddings, training));
        NDArray normed = layerNorm.forward(ps, sum, training);
        return DropoutMasks.dropout(normed, (float) config.hiddenDropoutProb(), training);
    }

    private static NDArray lookup(ParameterStore ps, NDArray ids, Parameter table, boolean training) {
        return Embedding.embedding(ids, ps.getValue(table, ids.getDevice(), training), SparseFormat.DENSE)
                .singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.get(0), inputs.get(1), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].add(config.hiddenSize())};
    }
}
