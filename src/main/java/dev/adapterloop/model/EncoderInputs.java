package dev.adapterloop.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;

/**
 * The (input ids, attention mask, token type ids) triple of DJL's NDList calling convention; a missing mask means
 * "attend to everything" and missing token types mean segment 0, as in Hugging Face.
 */
record EncoderInputs(NDArray ids, NDArray mask, NDArray tokenTypes) {

    static EncoderInputs of(NDList inputs) {
        NDArray ids = inputs.get(0);
        NDArray mask = inputs.size() > 1 ? inputs.get(1) : ids.onesLike();
        NDArray types = inputs.size() > 2 ? inputs.get(2) : ids.zerosLike();
        return new EncoderInputs(ids, mask.toType(DataType.INT64, false), types);
    }
}
