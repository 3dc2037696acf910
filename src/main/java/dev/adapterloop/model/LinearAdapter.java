package dev.adapterloop.model;

import ai.djl.ndarray.NDArray;

/**
 * Replaces the computation of one {@link AdaptableLinear}: given the input and the layer's frozen weight and bias, it
 * returns the adapted output. Adapters (LoRA, LoRMA, ...) implement this; the model knows nothing else about them.
 */
public interface LinearAdapter {

    /**
     * @param x input, shape (..., d_in)
     * @param weight the frozen weight, shape (d_out, d_in)
     * @param bias the frozen bias, shape (d_out), or null for a layer without one
     * @param training whether dropout is active
     * @return output of shape (..., d_out); must be attached to {@code x}'s manager, never to the weight's
     */
    NDArray forward(NDArray x, NDArray weight, NDArray bias, boolean training);
}
