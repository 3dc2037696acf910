package dev.adapterloop.adapters;

import java.util.List;
import java.util.Optional;

/**
 * One adapter method as a plug-in, in the manner of PEFT's {@code register_peft_method}: a folder under
 * {@code adapters/} holds the method's config record ({@link AdapterMethod}), its layer ({@link AdapterLayer}) and
 * this provider, and one line in {@code META-INF/services/dev.adapterloop.adapters.AdapterMethodProvider} registers
 * it. {@link AdapterMethods} finds every provider there; no other code names a method.
 *
 * <p>Implementations need a public no-argument constructor and must be stateless.
 */
public interface AdapterMethodProvider {

    /** The stable name used in configuration, manifests, events and adapter files, e.g. {@code lora}. */
    String name();

    /** One line for help texts: what the method does. */
    String summary();

    /** The method's own options beyond {@link SharedHyperparameters}, in a stable order; empty when it has none. */
    default List<MethodOption> options() {
        return List.of();
    }

    /**
     * The method with these hyperparameters and options (already checked against {@link #options()} and completed
     * with defaults).
     *
     * @throws IllegalArgumentException a combination the method refuses, with a message naming the field
     */
    AdapterMethod create(SharedHyperparameters shared, MethodOptions options);

    /**
     * The method a PEFT LoRA {@code adapter_config.json} describes, when it is this one (e.g. {@code use_dora: true}
     * is DoRA); empty otherwise. A method that answers here reads PEFT's tensors as its own
     * ({@link AdapterMethod#storedShapes} names them as PEFT does).
     */
    default Optional<AdapterMethod> fromPeft(PeftLoraSettings settings, TargetModules targets) {
        return Optional.empty();
    }
}
