package dev.adapterloop.training;

import ai.djl.ndarray.NDArray;
import dev.adapterloop.model.TorchArrays;
import java.util.Map;

/**
 * Dynamic loss scaling for fp16 training (Micikevicius et al., "Mixed Precision Training"): the loss is multiplied
 * by a large factor before backward so that small gradients survive fp16's range, and gradients are divided by it
 * again before clipping and the update. A step whose gradients overflowed is skipped and the factor halved; after
 * {@code growthInterval} clean steps it doubles. In fp32 there is nothing to rescue: {@link #NONE} changes nothing.
 */
final class LossScaler {

    static final LossScaler NONE = new LossScaler(1, 1, Integer.MAX_VALUE);

    private static final double MIN_SCALE = 1;
    private static final double MAX_SCALE = 1 << 24;

    private final double growthFactor;
    private final int growthInterval;
    private double scale;
    private int cleanSteps;
    private int skippedSteps;

    LossScaler(double initialScale, double growthFactor, int growthInterval) {
        this.scale = initialScale;
        this.growthFactor = growthFactor;
        this.growthInterval = growthInterval;
    }

    /** PyTorch's GradScaler defaults: 2^16, ×2 after 2,000 clean steps, ÷2 on overflow. */
    static LossScaler dynamic() {
        return new LossScaler(1 << 16, 2, 2000);
    }

    boolean isActive() {
        return this != NONE;
    }

    NDArray scale(NDArray loss) {
        return isActive() ? TorchArrays.scale(loss, scale) : loss;
    }

    /**
     * Divides the gradients by the scale in place and tells whether they are all finite; on overflow the caller skips
     * the update, and the scale is halved for the next step.
     */
    boolean unscale(Map<String, NDArray> gradients) {
        if (!isActive()) {
            return true;
        }
        boolean finite = true;
        for (NDArray gradient : gradients.values()) {
            gradient.muli(1 / scale);
            if (finite && !gradient.isInfinite().logicalOr(gradient.isNaN()).none().getBoolean()) {
                finite = false;
            }
        }
        if (finite) {
            if (++cleanSteps >= growthInterval) {
                scale = Math.min(MAX_SCALE, scale * growthFactor);
                cleanSteps = 0;
            }
        } else {
            scale = Math.max(MIN_SCALE, scale / growthFactor);
            cleanSteps = 0;
            skippedSteps++;
        }
        return finite;
    }

    double currentScale() {
        return scale;
    }

    int skippedSteps() {
        return skippedSteps;
    }

    int cleanSteps() {
        return cleanSteps;
    }

    void restore(double scale, int cleanSteps, int skippedSteps) {
        if (isActive()) {
            this.scale = scale;
            this.cleanSteps = cleanSteps;
            this.skippedSteps = skippedSteps;
        }
    }
}
