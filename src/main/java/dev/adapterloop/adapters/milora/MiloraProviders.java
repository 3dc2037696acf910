package dev.adapterloop.adapters.milora;

import dev.adapterloop.adapters.AdapterMethod;
import dev.adapterloop.adapters.AdapterMethodProvider;
import dev.adapterloop.adapters.MethodOption;
import dev.adapterloop.adapters.MethodOptions;
import dev.adapterloop.adapters.SharedHyperparameters;
import dev.adapterloop.adapters.lora.LoraProvider;
import java.util.List;

/** The two SVD-initialised LoRAs as registered methods: {@code milora} and {@code pissa}. */
public final class MiloraProviders {

    private MiloraProviders() {
    }

    private abstract static class SvdInitialised implements AdapterMethodProvider {

        private final Components components;

        SvdInitialised(Components components) {
            this.components = components;
        }

        @Override
        public String name() {
            return components.methodName();
        }

        @Override
        public List<MethodOption> options() {
            return List.of(LoraProvider.USE_RSLORA);
        }

        @Override
        public AdapterMethod create(SharedHyperparameters shared, MethodOptions options) {
            return new MiloraConfig(components, shared, options.flag(LoraProvider.USE_RSLORA.name()));
        }
    }

    /** MiLoRA: the r smallest singular components train, the rest stay frozen. */
    public static final class Milora extends SvdInitialised {

        public Milora() {
            super(Components.MINOR);
        }

        @Override
        public String summary() {
            return "LoRA started from the r minor singular components of W0 (Wang et al. 2024)";
        }
    }

    /** PiSSA: the r largest singular components train, the rest stay frozen. */
    public static final class Pissa extends SvdInitialised {

        public Pissa() {
            super(Components.PRINCIPAL);
        }

        @Override
        public String summary() {
            return "LoRA started from the r principal singular components of W0 (Meng et al. 2024)";
        }
    }
}
