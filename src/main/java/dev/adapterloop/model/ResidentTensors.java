package dev.adapterloop.model;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The bytes of tensor data an NDManager holds, its sub-managers included: what a loaded adapter version or base model
 * costs in memory, for the serving cache's budget. Counts elements × element size of every open array once; arrays
 * that are views of another's storage are counted as if they had their own (an over-estimate, never an under one).
 */
public final class ResidentTensors {

    private ResidentTensors() {
    }

    public static long bytes(NDManager manager) {
        if (!(manager instanceof BaseNDManager base) || !manager.isOpen()) {
            return 0;
        }
        Map<NDArray, Boolean> seen = new IdentityHashMap<>();
        long total = 0;
        for (NDArray array : base.getManagedArrays()) {
            if (seen.put(array, Boolean.TRUE) == null && !array.isReleased()) {
                total += array.size() * array.getDataType().getNumOfBytes();
            }
        }
        return total;
    }
}
