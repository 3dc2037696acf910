package dev.adapterloop.model.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.adapterloop.model.AdaptableLinear;
import java.util.List;
import java.util.Map;

/** One transformer layer of a decoder: pre-norm attention then the feed-forward network, each with a residual. */
interface DecoderBlock {

    /**
     * @param hidden (batch, seq, hidden) in the compute type
     * @return the layer's output, same shape and type
     */
    NDArray forward(ParameterStore ps, NDArray hidden, StepInputs inputs, boolean training);

    /** The layer's linear projections, in checkpoint order, keyed elsewhere by {@link AdaptableLinear#path()}. */
    List<AdaptableLinear> linears();

    /** Adds the layer's frozen parameters to {@code named} under their checkpoint names. */
    void putParameters(Map<String, Parameter> named);
}
