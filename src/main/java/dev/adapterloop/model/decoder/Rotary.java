package dev.adapterloop.model.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embeddings in Hugging Face's layout ({@code rotate_half}: the first and second halves of a head
 * are the pairs rotated together, which is how converted Llama weights are permuted). Angles are
 * {@code position × inverse frequency}, computed in fp32 as transformers does.
 */
final class Rotary {

    private final float[] inverseFrequencies;

    Rotary(DecoderConfig config) {
        this.inverseFrequencies = config.ropeScaling().inverseFrequencies(config.headDim(), config.ropeTheta());
    }

    /**
     * The cosines and sines of every position, each (batch, 1, seq, head dim), on {@code positions}' manager.
     *
     * @param positions (batch, seq) int64
     */
    NDList tables(NDArray positions) {
        NDArray inv = positions.getManager().create(inverseFrequencies).toDevice(positions.getDevice(), false);
        NDArray angles = positions.toType(DataType.FLOAT32, false).expandDims(-1).mul(inv);
        NDArray emb = angles.concat(angles, 2).expandDims(1);
        return new NDList(emb.cos(), emb.sin());
    }

    /** {@code x·cos + rotate_half(x)·sin} for x (batch, heads, seq, head dim), in x's type. */
    static NDArray apply(NDArray x, NDArray cos, NDArray sin) {
        Shape shape = x.getShape();
        int last = shape.dimension() - 1;
        NDList halves = x.split(new long[] {shape.get(last) / 2}, last);
        NDArray rotated = halves.get(1).neg().concat(halves.get(0), last);
        return x.mul(cos.toType(x.getDataType(), false)).add(rotated.mul(sin.toType(x.getDataType(), false)));
    }
}
