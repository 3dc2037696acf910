package dev.adapterloop.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** LayerNorm over the last dimension with frozen affine parameters named as in Hugging Face ({@code weight, bias}). */
public final class LayerNormBlock extends AbstractBlock {

    private final int size;
    private final float eps;
    public final Parameter weight;
    public final Parameter bias;

    public LayerNormBlock(int size, double eps) {
        this.size = size;
        this.eps = (float) eps;
        this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.GAMMA)
                .optRequiresGrad(false).build());
        this.bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BETA)
                .optRequiresGrad(false).build());
    }

    /** Normalises in fp32 whatever the input's type, and returns the input's type. */
    public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
        NDArray wide = ComputeTypes.toFloat32(x);
        NDArray normed = LayerNorm.layerNorm(wide, new Shape(size),
                ComputeTypes.castLike(ps.getValue(weight, x.getDevice(), training), wide),
                ComputeTypes.castLike(ps.getValue(bias, x.getDevice(), training), wide), eps).singletonOrThrow();
        return ComputeTypes.castLike(normed, x);
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
