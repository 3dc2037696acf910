package dev.adapterloop.model.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import dev.adapterloop.model.ComputeTypes;

/**
 * The causal language-model loss as transformers computes it: logits at position t predict the label at t + 1,
 * labels of -100 (padding, prompt tokens) are ignored, and the cross-entropy is the mean over every remaining token
 * of the batch (not a mean of per-sequence means), in fp32.
 */
public final class CausalLmLoss {

    public static final long IGNORE_INDEX = -100;

    private CausalLmLoss() {
    }

    /**
     * @param logits (batch, seq, vocab)
     * @param labels (batch, seq) int64, {@value #IGNORE_INDEX} where no loss is wanted
     * @return the scalar mean loss
     */
    public static NDArray mean(NDArray logits, NDArray labels) {
        NDList perRow = perSequence(logits, labels);
        return perRow.get(0).sum().div(perRow.get(1).sum().maximum(1f));
    }

    /**
     * Each row's summed negative log-likelihood and its number of counted tokens, for per-example losses (a paired
     * test compares two models example by example) and a perplexity over a whole set.
     *
     * @return (nll, counted), each (batch,) fp32
     */
    public static NDList perSequence(NDArray logits, NDArray labels) {
        long seq = logits.getShape().get(1);
        NDArray predictions = ComputeTypes.toFloat32(logits.get(":, :{}, :", seq - 1));
        NDArray targets = labels.get(":, 1:");
        NDArray counted = targets.neq(IGNORE_INDEX);
        NDArray safeTargets = targets.mul(counted.toType(DataType.INT64, false));
        NDArray picked = predictions.logSoftmax(-1).gather(safeTargets.expandDims(-1), -1).squeeze(-1);
        NDArray weights = counted.toType(DataType.FLOAT32, false);
        return new NDList(picked.mul(weights).sum(new int[] {1}).neg(), weights.sum(new int[] {1}));
    }
}
