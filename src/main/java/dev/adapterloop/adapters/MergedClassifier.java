package dev.adapterloop.adapters;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import dev.adapterloop.model.PretrainedModel;
import dev.adapterloop.model.SequenceClassifier;
import java.util.List;

/**
 * A classifier loaded from a merged model folder ({@link MergedModelFiles}): a plain encoder, no adapter, and the
 * trained head. Owns the encoder and closes it.
 */
public final class MergedClassifier implements AutoCloseable {

    private final PretrainedModel encoder;
    private final SequenceClassifier classifier;
    private final ParameterStore parameterStore;

    MergedClassifier(PretrainedModel encoder, List<String> labels, NDArray headWeight, NDArray headBias) {
        this.encoder = encoder;
        this.classifier = new SequenceClassifier(encoder.backbone(), labels);
        classifier.setHead(headWeight, headBias);
        this.parameterStore = new ParameterStore(encoder.manager(), false);
    }

    public PretrainedModel base() {
        return encoder;
    }

    public List<String> labels() {
        return classifier.labels();
    }

    /** @param batch (input ids, attention mask, token type ids) from the tokenizer's collate */
    public NDArray logits(NDList batch) {
        return classifier.forward(parameterStore, batch.get(0), batch.get(1), batch.get(2), false);
    }

    @Override
    public void close() {
        encoder.close();
    }
}
