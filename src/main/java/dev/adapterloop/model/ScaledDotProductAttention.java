package dev.adapterloop.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** BERT's multi-head attention core, {@code softmax(q·kᵀ/√d + mask)·v}, fused where it is chosen and can be ({@link AttentionKernel}). */
final class ScaledDotProductAttention {

    private ScaledDotProductAttention() {
    }

    /**
     * @param q the query projection, (batch, seq, heads·head size); likewise {@code k} and {@code v}. {@code q} may
     *        be overwritten: it is a fresh projection no operator keeps
     * @param maskBias (batch, 1, 1, seq): 0 for real tokens, a large negative number for padding
     * @param dropout the probability of dropping an attention probability while training
     * @return the context, (batch, seq, heads·head size)
     */
    static NDArray attend(NDArray q, NDArray k, NDArray v, NDArray maskBias, int heads, float dropout,
                          boolean training) {
        // Fused attention draws no dropout mask: with dropout on, the unfused path keeps the model's regularisation.
        if (!(training && dropout > 0) && FusedAttention.appliesTo(q, k, v, maskBias)) {
            Shape shape = q.getShape();
            Shape split = headSplit(shape, heads);
            // The heads stay where the projections wrote them: the kernel takes the transposed views as they are.
            NDArray context = FusedAttention.attend(q.reshape(split).transpose(0, 2, 1, 3),
                    k.reshape(split).transpose(0, 2, 1, 3), v.reshape(split).transpose(0, 2, 1, 3), maskBias,
                    1.0 / Math.sqrt(split.get(3)));
            return context.transpose(0, 2, 1, 3).reshape(shape);
        }
        return unfused(q, k, v, maskBias, heads, dropout, training);
    }

    /** {@link #attend} with DJL's own operators, whatever the device, type or dropout. */
    static NDArray unfused(NDArray q, NDArray k, NDArray v, NDArray maskBias, int heads, float dropout,
                           boolean training) {
        Shape shape = q.getShape();
        Shape split = headSplit(shape, heads);
        // Scaling q before the product costs seq·hidden multiplications instead of heads·seq². Not in place: q is a
        // view (the projection's rows reshaped), and autograd turns an in-place op on a view into CopySlices, whose
        // backward copies the whole gradient through as_strided (profiled: ~4 ms a layer at one thread).
        NDArray scaledQ = TorchArrays.scale(q, 1.0 / Math.sqrt(split.get(3))).reshape(split)
                .transpose(0, 2, 1, 3);
        NDArray scores = scaledQ.matMul(k.reshape(split).transpose(0, 2, 3, 1)).addi(maskBias);
        NDArray probs = ComputeTypes.castLike(ComputeTypes.toFloat32(scores).softmax(-1), scores);
        probs = DropoutMasks.dropout(probs, dropout, training);
        return probs.matMul(v.reshape(split).transpose(0, 2, 1, 3)).transpose(0, 2, 1, 3).reshape(shape);
    }

    private static Shape headSplit(Shape shape, int heads) {
        return new Shape(shape.get(0), shape.get(1), heads, shape.get(2) / heads);
    }
}
