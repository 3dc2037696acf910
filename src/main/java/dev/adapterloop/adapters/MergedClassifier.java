package dev.adapterloop.adapters;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import dev.adapterloop.model.PretrainedEncoder;
import dev.adapterloop.model.SequenceClassifier;
import java.util.List;

/**
 * A classifier loaded from a merged model folder ({@link MergedModelFiles}): a plain encoder, no adapter, and the
 * trained head. Owns the encoder and closes it.
 */
public final class MergedClassifier implements AutoCloseable {

    private final PretrainedEncoder encoder;
    private final SequenceClassifier classifier;
    private final ParameterStore parameterStore;

    MergedClassifier(PretrainedEncoder encoder, List<String> labels, NDArray headWeight, NDArray headBias) {
        this.encoder = encoder;
        this.classifier = new SequenceClassifier(encoder.encoder(), labels);
        classifier.setHead(headWeight, headBias);
        this.parameterStore = new ParameterStore(encoder.manager(), false);
    }

    public PretrainedEncoder encoder() {
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
