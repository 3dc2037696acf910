package dev.adapterloop.model.decoder;

import ai.djl.ndarray.NDArray;

/**
 * What every layer of one forward pass shares: the additive attention mask (batch, 1, new, past + new), the rotary
 * tables (null for learned positions) and the cache of earlier positions (null without one).
 */
record StepInputs(NDArray maskBias, NDArray cos, NDArray sin, KvCache cache) {
}
