package dev.adapterloop.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;
import java.util.Random;

/**
 * A backbone, its sequence features (mean pooling for an encoder, the last real token for a decoder: see
 * {@link Backbone#sequenceFeatures}), dropout and a trainable linear head named {@code classifier}, as in Hugging
 * Face's sequence-classification models. The head is saved with every adapter (PEFT's {@code modules_to_save}).
 */
public final class SequenceClassifier extends AbstractBlock {

    private final Backbone backbone;
    private final List<String> labels;
    private final float dropout;
    private final Parameter headWeight;
    private final Parameter headBias;

    public SequenceClassifier(Backbone backbone, List<String> labels) {
        if (labels.size() < 2) {
            throw new IllegalArgumentException("a classifier needs at least 2 labels, got " + labels);
        }
        this.backbone = backbone;
        if (backbone instanceof AbstractBlock block) {
            addChildBlock("backbone", block);
        }
        this.labels = List.copyOf(labels);
        this.dropout = backbone.classifierDropout();
        this.headWeight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT).build());
        this.headBias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS).build());
    }

    public Backbone backbone() {
        return backbone;
    }

    public List<String> labels() {
        return labels;
    }

    public Parameter headWeight() {
        return headWeight;
    }

    public Parameter headBias() {
        return headBias;
    }

    /** Initialises the head as transformers does (normal, std 0.02; zero bias), from a seeded generator. */
    public void initializeHead(NDManager manager, long seed) {
        int hidden = backbone.config().hiddenSize();
        Random random = new Random(seed);
        float[] w = new float[labels.size() * hidden];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (random.nextGaussian() * 0.02);
        }
        setHead(manager.create(w, new Shape(labels.size(), hidden)), manager.zeros(new Shape(labels.size())));
    }

    /** Installs head weights (e.g. from a stored adapter); shapes are checked against the label count. */
    public void setHead(NDArray weight, NDArray bias) {
        Shape expectedW = new Shape(labels.size(), backbone.config().hiddenSize());
        if (!weight.getShape().equals(expectedW) || !bias.getShape().equals(new Shape(labels.size()))) {
            throw new IllegalArgumentException("classifier head must be " + expectedW + " and (" + labels.size()
                    + "), got " + weight.getShape() + " and " + bias.getShape());
        }
        install(headWeight, weight);
        install(headBias, bias);
    }

    private static void install(Parameter parameter, NDArray array) {
        array.setRequiresGradient(true);
        if (parameter.isInitialized()) {
            TorchArrays.replaceContents(parameter.getArray(), array);
            parameter.getArray().setRequiresGradient(true);
        } else {
            parameter.setArray(array);
        }
    }

    /** @return logits, (batch, labels) */
    public NDArray forward(ParameterStore ps, NDArray inputIds, NDArray attentionMask, NDArray tokenTypeIds,
                           boolean training) {
        return head(ps, features(ps, inputIds, attentionMask, tokenTypeIds, training), training);
    }

    /** The backbone's pooled sequence features, (batch, hidden), in fp32 and after the head's dropout. */
    public NDArray features(ParameterStore ps, NDArray inputIds, NDArray attentionMask, NDArray tokenTypeIds,
                            boolean training) {
        NDArray hidden = backbone.forward(ps, inputIds, attentionMask, tokenTypeIds, training);
        // The head and the loss run in fp32 whatever the backbone's compute type.
        NDArray pooled = backbone.sequenceFeatures(hidden, attentionMask);
        return DropoutMasks.dropout(pooled, dropout, training);
    }

    /** The head alone: logits (rows, labels) from {@link #features} rows, possibly a slice of a shared batch's. */
    public NDArray head(ParameterStore ps, NDArray features, boolean training) {
        return Linear.linear(features, ps.getValue(headWeight, features.getDevice(), training),
                ps.getValue(headBias, features.getDevice(), training)).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        EncoderInputs in = EncoderInputs.of(inputs);
        return new NDList(forward(ps, in.ids(), in.mask(), in.tokenTypes(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), labels.size())};
    }
}
