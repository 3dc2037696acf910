package dev.adapterloop.model.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * The keys and values of the positions already processed, per layer, (batch, key/value heads, past, head dim): keys
 * after the rotary embedding, neither repeated for grouped-query attention (transformers' legacy layout). A cache
 * serves one generation; it owns its arrays in its own manager, and each step replaces a layer's arrays by their
 * extension, so memory grows with the sequence and nothing else.
 */
public final class KvCache implements AutoCloseable {

    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;

    public KvCache(NDManager parent, int layers) {
        this.manager = parent.newSubManager();
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
    }

    /** Positions already cached (the same for every layer once a step has finished). */
    public long length() {
        return keys[keys.length - 1] == null ? 0 : keys[keys.length - 1].getShape().get(2);
    }

    /**
     * Appends the new positions' keys and values to layer {@code layer}'s and returns the whole of them as views
     * attached to {@code k}'s manager (the step's): what the step derives from them is freed with the step, while the
     * cache keeps the storage.
     */
    NDArray[] append(int layer, NDArray k, NDArray v) {
        keys[layer] = extend(keys[layer], k);
        values[layer] = extend(values[layer], v);
        return new NDArray[] {stepView(keys[layer], k), stepView(values[layer], k)};
    }

    private NDArray extend(NDArray cached, NDArray fresh) {
        NDArray extended = cached == null ? fresh.duplicate() : cached.concat(fresh, 2);
        extended.attach(manager);
        if (cached != null) {
            cached.close();
        }
        return extended;
    }

    private static NDArray stepView(NDArray cached, NDArray like) {
        NDArray view = cached.reshape(cached.getShape());
        view.attach(like.getManager());
        return view;
    }

    @Override
    public void close() {
        manager.close();
    }
}
