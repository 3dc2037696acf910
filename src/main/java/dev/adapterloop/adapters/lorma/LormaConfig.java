package dev.adapterloop.adapters.lorma;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.adapterloop.adapters.AdapterLayer;
import dev.adapterloop.adapters.AdapterMethod;
import dev.adapterloop.adapters.PeftLoraSettings;
import dev.adapterloop.adapters.SharedHyperparameters;
import dev.adapterloop.adapters.TargetModules;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * LoRMA hyperparameters (Bihany et al., "LoRMA: Low-Rank Multiplicative Adaptation for LLMs", arXiv 2506.07621):
 * the adapter multiplies the frozen weight by {@code M}, from the left ({@link Placement#PRE}, {@code W = M·W0}, the
 * paper's default; factors in the output dimension) or from the right ({@link Placement#POST}, {@code W = W0·M};
 * factors in the input dimension). The scaling is {@code s = alpha / rank}.
 *
 * @param variant which rank inflation keeps {@code M} full rank and lets it start at the identity
 * @param rank r, the inner dimension of {@code B·A}
 * @param alpha numerator of the scaling
 * @param dropout probability of dropping entries of the adapter's input ({@code W0·x} pre, {@code x} post) in training
 * @param targets which linear layers get an adapter
 * @param placement which side of W0 the multiplier {@code M} sits on
 */
public record LormaConfig(Variant variant, int rank, double alpha, double dropout, TargetModules targets,
                          Placement placement) implements AdapterMethod {

    /** Name of LoRMA's A factor in the project's own adapter format: (r, n), n = d_out (pre) or d_in (post). */
    public static final String STORED_A_KEY = "lorma_A.weight";
    /** Name of LoRMA's B factor in the project's own adapter format: (n, r). */
    public static final String STORED_B_KEY = "lorma_B.weight";

    /** The two rank-inflation schemes of the paper. */
    public enum Variant {
        /** LoRMA₊, additive inflation: {@code M = I + s·B·A}. Exportable as a LoRA. */
        PLUS("lorma-plus"),
        /** LoRMA_π, permutation inflation: {@code M = s·π(B·A)}. Near full-rank update. */
        PI("lorma-pi");

        private final String methodName;

        Variant(String methodName) {
            this.methodName = methodName;
        }

        public String methodName() {
            return methodName;
        }
    }

    /** Which side of the frozen weight the multiplier {@code M} acts on; the paper finds both perform alike. */
    public enum Placement {
        /** {@code W = M·W0}: M acts on the layer's output {@code W0·x}; B, A live in d_out. */
        PRE("pre"),
        /** {@code W = W0·M}: M acts on the layer's input {@code x}; B, A live in d_in. */
        POST("post");

        private final String configName;

        Placement(String configName) {
            this.configName = configName;
        }

        /** The value used in configuration and adapter files: {@code pre} or {@code post}. */
        public String configName() {
            return configName;
        }

        /** n, the size of M: d_out for pre, d_in for post. */
        public int dimension(int dOut, int dIn) {
            return this == PRE ? dOut : dIn;
        }

        /** Parses {@code pre} or {@code post} (any case), naming the allowed values when it is neither. */
        public static Placement parse(String value) {
            for (Placement placement : values()) {
                if (placement.configName.equals(value == null ? null : value.trim().toLowerCase(Locale.ROOT))) {
                    return placement;
                }
            }
            throw new IllegalArgumentException("placement must be one of "
                    + Arrays.stream(values()).map(Placement::configName).toList() + ", got '" + value + "'");
        }
    }

    public LormaConfig {
        if (variant == null) {
            throw new IllegalArgumentException("variant must be PLUS or PI, got null");
        }
        if (placement == null) {
            throw new IllegalArgumentException("placement must be PRE or POST, got null");
        }
        new SharedHyperparameters(rank, alpha, dropout, targets);
    }

    public LormaConfig(Variant variant, SharedHyperparameters shared, Placement placement) {
        this(variant, shared.rank(), shared.alpha(), shared.dropout(), shared.targets(), placement);
    }

    /** The paper's default "pre" placement. */
    public LormaConfig(Variant variant, int rank, double alpha, double dropout, TargetModules targets) {
        this(variant, rank, alpha, dropout, targets, Placement.PRE);
    }

    @Override
    public Map<String, Object> options() {
        return Map.of(LormaProviders.PLACEMENT.fieldName(), placement.configName());
    }

    /**
     * LoRMA₊'s weight change is exactly a rank-r LoRA with the same scaling, so PEFT's {@code lora_alpha} is alpha;
     * LoRMA_π has no LoRA form.
     */
    @Override
    public Optional<PeftLoraSettings> peftSettings() {
        return variant == Variant.PLUS
                ? Optional.of(new PeftLoraSettings(rank, alpha, 0.0, false, false))
                : Optional.empty();
    }

    /**
     * LoRMA₊: the two thin products on the n-dimensional side. LoRMA_π: forming {@code B·A} ({@code 2·n²·r}) and
     * applying the n×n matrix to every row ({@code 2·T·n²}), the dense product the method cannot avoid.
     */
    @Override
    public double forwardFlops(long tokens, int dOut, int dIn) {
        double n = placement.dimension(dOut, dIn);
        return switch (variant) {
            case PLUS -> 2.0 * tokens * (2.0 * n * rank);
            case PI -> 2.0 * n * n * rank + 2.0 * tokens * n * n;
        };
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
        int n = dimension(frozenWeight.getShape());
        return switch (variant) {
            case PLUS -> LormaPlusLayer.initialize(manager, n, this, random);
            case PI -> LormaPiLayer.initialize(manager, n, this, random);
        };
    }

    @Override
    public Map<String, Shape> storedShapes(int dOut, int dIn) {
        int n = placement.dimension(dOut, dIn);
        Map<String, Shape> shapes = new LinkedHashMap<>();
        shapes.put(STORED_A_KEY, new Shape(rank, n));
        shapes.put(STORED_B_KEY, new Shape(n, rank));
        return shapes;
    }

    @Override
    public AdapterLayer restore(NDArray frozenWeight, Map<String, NDArray> stored, NDManager manager) {
        dimension(frozenWeight.getShape());
        NDArray a = stored.get(STORED_A_KEY);
        NDArray b = stored.get(STORED_B_KEY);
        return switch (variant) {
            case PLUS -> LormaPlusLayer.of(a, b, this);
            case PI -> LormaPiLayer.of(a, b, this);
        };
    }

    /** n for a weight of {@code shape} (d_out, d_in), refusing a rank above it (M would not be low rank). */
    private int dimension(Shape shape) {
        int n = placement.dimension((int) shape.get(0), (int) shape.get(1));
        if (rank > n) {
            throw new IllegalArgumentException("rank must be <= " + (placement == Placement.PRE ? "d_out" : "d_in")
                    + " (" + n + ") for LoRMA with " + placement.configName() + " placement, got " + rank);
        }
        return n;
    }
}
