package dev.adapterloop.model.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.adapterloop.model.ComputeTypes;
import dev.adapterloop.model.DropoutMasks;
import dev.adapterloop.model.FusedAttention;
import dev.adapterloop.model.TorchArrays;

/**
 * {@code softmax(q·kᵀ·scale + mask)·v} with grouped-query attention: query head {@code h} reads key/value head
 * {@code h / group} (transformers' {@code repeat_kv}). The query heads of a group are stacked along the sequence axis
 * instead of repeating the keys and values, so no copy of them is made.
 */
final class CausalAttention {

    private CausalAttention() {
    }

    /** (batch, seq, heads·head dim) → (batch, heads, seq, head dim). */
    static NDArray splitHeads(NDArray x, int heads) {
        Shape s = x.getShape();
        return x.reshape(s.get(0), s.get(1), heads, s.get(2) / heads).transpose(0, 2, 1, 3);
    }

    /**
     * @param q (batch, heads, seq, head dim)
     * @param k keys, (batch, kv heads, past + seq, head dim); likewise {@code v}
     * @param maskBias (batch, 1, seq, past + seq), 0 where a query may attend, a large negative number elsewhere
     * @return the context, (batch, seq, heads·head dim)
     */
    static NDArray attend(NDArray q, NDArray k, NDArray v, NDArray maskBias, double scale, float dropout,
                          boolean training) {
        long batch = q.getShape().get(0);
        long heads = q.getShape().get(1);
        long seq = q.getShape().get(2);
        long headDim = q.getShape().get(3);
        long kvHeads = k.getShape().get(1);
        long keysLength = k.getShape().get(2);
        long group = heads / kvHeads;
        // libtorch's fused operator (opt-in, docs/engine.md) where it applies: no dropout to draw, and one key/value
        // head per query head (grouped-query attention would need k and v repeated, which costs what fusing saves).
        if (group == 1 && !(training && dropout > 0) && FusedAttention.appliesTo(q, k, v, maskBias)) {
            return FusedAttention.attend(q, k, v, maskBias, scale).transpose(0, 2, 1, 3)
                    .reshape(batch, seq, heads * headDim);
        }
        // Through TorchArrays.scale: a Java-number factor would be freed memory by the backward pass (TorchArrays).
        NDArray grouped = TorchArrays.scale(q, scale).reshape(batch, kvHeads, group * seq, headDim);
        NDArray scores = grouped.matMul(k.transpose(0, 1, 3, 2)).reshape(batch, heads, seq, keysLength)
                .add(maskBias.toType(q.getDataType(), false));
        NDArray probs = ComputeTypes.castLike(ComputeTypes.toFloat32(scores).softmax(-1), scores);
        probs = DropoutMasks.dropout(probs, dropout, training);
        NDArray context = probs.reshape(batch, kvHeads, group * seq, keysLength).matMul(v)
                .reshape(batch, heads, seq, headDim);
        return context.transpose(0, 2, 1, 3).reshape(batch, seq, heads * headDim);
    }
}
