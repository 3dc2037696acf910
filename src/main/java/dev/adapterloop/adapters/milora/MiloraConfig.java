package dev.adapterloop.adapters.milora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.adapterloop.adapters.AdapterLayer;
import dev.adapterloop.adapters.AdapterMethod;
import dev.adapterloop.adapters.PeftLoraSettings;
import dev.adapterloop.adapters.SharedHyperparameters;
import dev.adapterloop.adapters.TargetModules;
import dev.adapterloop.adapters.lora.LoraConfig;
import dev.adapterloop.adapters.lora.LoraLayer;
import dev.adapterloop.adapters.lora.LoraProvider;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * MiLoRA (Wang et al., arXiv 2406.09044) and PiSSA hyperparameters: a LoRA whose factors start from r singular
 * components of the frozen weight ({@link Components#MINOR} for MiLoRA, {@link Components#PRINCIPAL} for PiSSA) while
 * the other components stay frozen as a residual. {@code s = alpha / rank} ({@code alpha / sqrt(rank)} with rsLoRA);
 * the papers use {@code alpha = rank}, so s = 1.
 */
public record MiloraConfig(Components components, int rank, double alpha, double dropout, TargetModules targets,
                           boolean useRsLora) implements AdapterMethod {

    public MiloraConfig {
        if (components == null) {
            throw new IllegalArgumentException("components must be MINOR (milora) or PRINCIPAL (pissa), got null");
        }
        new SharedHyperparameters(rank, alpha, dropout, targets);
    }

    public MiloraConfig(Components components, SharedHyperparameters shared, boolean useRsLora) {
        this(components, shared.rank(), shared.alpha(), shared.dropout(), shared.targets(), useRsLora);
    }

    @Override
    public Map<String, Object> options() {
        return Map.of(LoraProvider.USE_RSLORA.fieldName(), useRsLora);
    }

    /**
     * The trained adapter relative to the original W0 is a rank-2r LoRA ({@link MiloraLayer#exportAsLora}); PEFT
     * scales by {@code lora_alpha / r}, so {@code lora_alpha = s·2r} keeps the trained scaling.
     */
    @Override
    public Optional<PeftLoraSettings> peftSettings() {
        return Optional.of(new PeftLoraSettings(2 * rank, scaling() * 2 * rank, 0.0, false, false));
    }

    /** As LoRA's: the residual replaces W0 in the base product, at the same cost. */
    @Override
    public double forwardFlops(long tokens, int dOut, int dIn) {
        return LoraConfig.lowRankFlops(tokens, rank, dOut, dIn);
    }

    /** MiLoRA: the r smallest singular components. */
    public static MiloraConfig milora(int rank, double alpha, double dropout, TargetModules targets) {
        return new MiloraConfig(Components.MINOR, rank, alpha, dropout, targets, false);
    }

    /** PiSSA: the r largest singular components. */
    public static MiloraConfig pissa(int rank, double alpha, double dropout, TargetModules targets) {
        return new MiloraConfig(Components.PRINCIPAL, rank, alpha, dropout, targets, false);
    }

    @Override
    public String name() {
        return components.methodName();
    }

    /** Runs the SVD of {@code frozenWeight} (d_out, d_in); the rank must not exceed min(d_out, d_in). */
    @Override
    public AdapterLayer initialize(NDArray frozenWeight, NDManager manager, Random random) {
        return MiloraLayer.initialize(frozenWeight, manager, this);
    }

    /** The trained factors and the initial ones, which determine the frozen residual (see {@link MiloraLayer}). */
    @Override
    public Map<String, Shape> storedShapes(int dOut, int dIn) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        shapes.put(LoraLayer.A_KEY, new Shape(rank, dIn));
        shapes.put(LoraLayer.B_KEY, new Shape(dOut, rank));
        shapes.put(MiloraLayer.INIT_A_KEY, new Shape(rank, dIn));
        shapes.put(MiloraLayer.INIT_B_KEY, new Shape(dOut, rank));
        return shapes;
    }

    @Override
    public AdapterLayer restore(NDArray frozenWeight, Map<String, NDArray> stored, NDManager manager) {
        return MiloraLayer.restore(frozenWeight, stored.get(LoraLayer.A_KEY), stored.get(LoraLayer.B_KEY),
                stored.get(MiloraLayer.INIT_A_KEY), stored.get(MiloraLayer.INIT_B_KEY), this, manager);
    }

    public double scaling() {
        return useRsLora ? alpha / Math.sqrt(rank) : alpha / rank;
    }

    /**
     * {@code lora_alpha} for the rank-2r LoRA export: PEFT scales by {@code lora_alpha / r}, so doubling r needs 2α
     * (α·√2 with rsLoRA) to keep s.
     */
    public double exportedAlpha() {
        return useRsLora ? alpha * Math.sqrt(2) : 2 * alpha;
    }
}
