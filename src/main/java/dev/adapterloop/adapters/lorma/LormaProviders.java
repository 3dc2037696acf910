package dev.adapterloop.adapters.lorma;

import dev.adapterloop.adapters.AdapterMethod;
import dev.adapterloop.adapters.AdapterMethodProvider;
import dev.adapterloop.adapters.MethodOption;
import dev.adapterloop.adapters.MethodOptions;
import dev.adapterloop.adapters.SharedHyperparameters;
import dev.adapterloop.adapters.lorma.LormaConfig.Placement;
import dev.adapterloop.adapters.lorma.LormaConfig.Variant;
import java.util.List;

/** LoRMA's two variants as registered methods: {@code lorma-plus} and {@code lorma-pi}, sharing one option. */
public final class LormaProviders {

    /** Which side of W0 the multiplier sits on: {@code pre} (M·W0, the paper's default) or {@code post} (W0·M). */
    public static final MethodOption PLACEMENT = MethodOption.choice("placement",
            "side of W0 the multiplier sits on: pre (M·W0) or post (W0·M)", "pre", "post");

    private LormaProviders() {
    }

    private abstract static class Lorma implements AdapterMethodProvider {

        private final Variant variant;

        Lorma(Variant variant) {
            this.variant = variant;
        }

        @Override
        public String name() {
            return variant.methodName();
        }

        @Override
        public List<MethodOption> options() {
            return List.of(PLACEMENT);
        }

        @Override
        public AdapterMethod create(SharedHyperparameters shared, MethodOptions options) {
            return new LormaConfig(variant, shared, Placement.parse(options.get(PLACEMENT.name())));
        }
    }

    /** LoRMA₊: {@code M = I + s·B·A}. */
    public static final class Plus extends Lorma {

        public Plus() {
            super(Variant.PLUS);
        }

        @Override
        public String summary() {
            return "multiplicative update (I + s·B·A)·W0, additive rank inflation (Bihany et al. 2025)";
        }
    }

    /** LoRMA_π: {@code M = s·π(B·A)}. */
    public static final class Pi extends Lorma {

        public Pi() {
            super(Variant.PI);
        }

        @Override
        public String summary() {
            return "multiplicative update s·π(B·A)·W0, permutation rank inflation (Bihany et al. 2025)";
        }
    }
}
