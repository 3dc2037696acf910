package dev.adapterloop.model.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.adapterloop.model.ComputeTypes;

/**
 * Llama's RMSNorm, {@code w · x / sqrt(mean(x²) + eps)}, normalised in fp32 and cast back to the input's type before
 * the weight multiplies it (transformers' order). The weight is frozen and named {@code weight}.
 */
final class RmsNorm extends AbstractBlock {

    private final float eps;
    final Parameter weight;

    RmsNorm(double eps) {
        this.eps = (float) eps;
        this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.GAMMA)
                .optRequiresGrad(false).build());
    }

    NDArray forward(ParameterStore ps, NDArray x, boolean training) {
        NDArray x32 = ComputeTypes.toFloat32(x);
        NDArray variance = x32.square().mean(new int[] {-1}, true);
        NDArray normed = ComputeTypes.castLike(x32.div(variance.add(eps).sqrt()), x);
        NDArray w = ComputeTypes.castLike(ps.getValue(weight, x.getDevice(), training), x);
        return normed.mul(w);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
