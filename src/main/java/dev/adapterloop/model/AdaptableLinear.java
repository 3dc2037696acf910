package dev.adapterloop.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Objects;

/**
 * A frozen linear layer {@code h = W·x + b} that an adapter can take over. The weight follows PyTorch's layout
 * {@code (d_out, d_in)}, so Hugging Face checkpoints load without transposition.
 */
public final class AdaptableLinear extends AbstractBlock {

    private final String path;
    private final int inFeatures;
    private final int outFeatures;
    private final Parameter weight;
    private final Parameter bias;
    private LinearAdapter adapter;

    public AdaptableLinear(String path, int inFeatures, int outFeatures) {
        this(path, inFeatures, outFeatures, true);
    }

    /** @param hasBias false for layers without a bias (Llama's projections): {@link #bias()} is then null */
    public AdaptableLinear(String path, int inFeatures, int outFeatures, boolean hasBias) {
        this.path = Objects.requireNonNull(path, "path");
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optRequiresGrad(false).build());
        this.bias = hasBias ? addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                .optRequiresGrad(false).build()) : null;
    }

    /** The module path as in the Hugging Face checkpoint, e.g. {@code encoder.layer.0.attention.self.query}. */
    public String path() {
        return path;
    }

    public int inFeatures() {
        return inFeatures;
    }

    public int outFeatures() {
        return outFeatures;
    }

    public Parameter weight() {
        return weight;
    }

    /** The bias, or null for a layer without one. */
    public Parameter bias() {
        return bias;
    }

    public LinearAdapter adapter() {
        return adapter;
    }

    /**
     * Routes this layer's computation through {@code adapter}; {@code null} restores the plain frozen layer. A pass
     * under an {@link AdapterRouting} ignores the installed adapter: a base shared by many served versions has none.
     */
    public void setAdapter(LinearAdapter adapter) {
        this.adapter = adapter;
    }

    public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
        NDArray w = ComputeTypes.castLike(ps.getValue(weight, x.getDevice(), training), x);
        NDArray b = bias == null ? null : ComputeTypes.castLike(ps.getValue(bias, x.getDevice(), training), x);
        // As rows: PyTorch's linear adds the bias inside the GEMM (addmm) for a matrix, in a pass of its own after the
        // product for (batch, seq, features).
        Shape shape = x.getShape();
        NDArray rows = shape.dimension() > 2 ? x.reshape(-1, inFeatures) : x;
        AdapterRouting routing = AdapterRouting.current();
        NDArray out = routing != null ? routing.forward(path, rows, w, b, training)
                : adapter != null ? adapter.forward(rows, w, b, training)
                : Linear.linear(rows, w, b).singletonOrThrow();
        return shape.dimension() > 2 ? out.reshape(shape.slice(0, shape.dimension() - 1).add(outFeatures)) : out;
    }

    /**
     * Replaces the frozen weight in place (merged or residual weights); {@code newWeight} is consumed. The parameter
     * keeps its identity so optimisers and parameter stores that hold it stay valid.
     */
    public void replaceWeight(NDArray newWeight) {
        Shape expected = new Shape(outFeatures, inFeatures);
        if (!newWeight.getShape().equals(expected)) {
            throw new IllegalArgumentException(path + ": weight must have shape " + expected + ", got "
                    + newWeight.getShape());
        }
        TorchArrays.replaceContents(weight.getArray(), newWeight);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(forward(ps, inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {in.slice(0, in.dimension() - 1).add(outFeatures)};
    }

    @Override
    public void initializeChildBlocks(NDManager manager, ai.djl.ndarray.types.DataType dataType, Shape... shapes) {
        // Weights are loaded from checkpoints, never initialised randomly.
    }
}
