package dev.adapterloop.adapters.lora;

import dev.adapterloop.adapters.AdapterMethod;
import dev.adapterloop.adapters.AdapterMethodProvider;
import dev.adapterloop.adapters.MethodOption;
import dev.adapterloop.adapters.MethodOptions;
import dev.adapterloop.adapters.PeftLoraSettings;
import dev.adapterloop.adapters.SharedHyperparameters;
import dev.adapterloop.adapters.TargetModules;
import java.util.List;
import java.util.Optional;

/** LoRA (Hu et al. 2021): PEFT's LoRA, and the method that reads PEFT LoRA folders without DoRA. */
public final class LoraProvider implements AdapterMethodProvider {

    /** rsLoRA's scaling {@code alpha / √r} instead of {@code alpha / r} (PEFT's {@code use_rslora}). */
    public static final MethodOption USE_RSLORA = MethodOption.flag("use-rslora",
            "scale by alpha/sqrt(r) (rsLoRA) instead of alpha/r");

    @Override
    public String name() {
        return LoraConfig.NAME;
    }

    @Override
    public String summary() {
        return "additive low-rank update W0 + s·B·A (Hu et al. 2021)";
    }

    @Override
    public List<MethodOption> options() {
        return List.of(USE_RSLORA);
    }

    @Override
    public AdapterMethod create(SharedHyperparameters shared, MethodOptions options) {
        return new LoraConfig(shared, options.flag(USE_RSLORA.name()));
    }

    @Override
    public Optional<AdapterMethod> fromPeft(PeftLoraSettings settings, TargetModules targets) {
        if (settings.useDora()) {
            return Optional.empty();
        }
        return Optional.of(new LoraConfig(settings.r(), settings.loraAlpha(), settings.loraDropout(), targets,
                settings.useRslora()));
    }
}
