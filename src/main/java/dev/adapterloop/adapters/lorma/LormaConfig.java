package dev.adapterloop.adapters.lorma;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.adapterloop.adapters.AdapterLayer;
import dev.adapterloop.adapters.AdapterMethod;
import dev.adapterloop.adapters.TargetModules;
import java.util.Random;

/**
 * LoRMA hyperparameters (Bihany et al., "LoRMA: Low-Rank Multiplicative Adaptation for LLMs", arXiv 2506.07621),
 * "pre" placement: the adapter multiplies the frozen weight from the left, {@code W = M·W0}, so its factors live in
 * the output dimension. The scaling is {@code s = alpha / rank}.
 *
 * @param variant which rank inflation keeps {@code M} full rank and lets it start at the identity
 * @param rank r, the inner dimension of {@code B·A}
 * @param alpha numerator of the scaling
 * @param dropout probability of dropping entries of the adapter's input {@code W0·x} in training (see the layers)
 * @param targets which linear layers get an adapter
 */
public record LormaConfig(Variant variant, int rank, double alpha, double dropout, TargetModules targets)
        implements AdapterMethod {

    /** The two rank-inflation schemes of the paper. */
    public enum Variant {
        /** LoRMA₊, additive inflation: {@code W = (I + s·B·A)·W0}. Exportable as a LoRA. */
        PLUS("lorma-plus"),
        /** LoRMA_π, permutation inflation: {@code W = s·π(B·A)·W0}. Near full-rank update. */
        PI("lorma-pi");

        private final String methodName;

        Variant(String methodName) {
            this.methodName = methodName;
        }

        public String methodName() {
            return methodName;
        }
    }

    public LormaConfig {
        if (variant == null) {
            throw new IllegalArgumentException("variant must be PLUS or PI, got null");
        }
        AdapterMethod.validate(rank, alpha, dropout, targets);
    }

    @Override
    public String name() {
        return variant.methodName();
    }

    /** {@code s = alpha / rank}. */
    public double scaling() {
        return alpha / rank;
    }

    @Override
    public AdapterLayer initialize(NDArray frozenWeight, NDManager manager, Random random) {
        int dOut = (int) frozenWeight.getShape().get(0);
        if (rank > dOut) {
            throw new IllegalArgumentException("rank must be <= d_out (" + dOut + ") for LoRMA, got " + rank);
        }
        return switch (variant) {
            case PLUS -> LormaPlusLayer.initialize(manager, dOut, this, random);
            case PI -> LormaPiLayer.initialize(manager, dOut, this, random);
        };
    }
}
