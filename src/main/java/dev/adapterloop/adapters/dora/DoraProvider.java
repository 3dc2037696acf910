package dev.adapterloop.adapters.dora;

import dev.adapterloop.adapters.AdapterMethod;
import dev.adapterloop.adapters.AdapterMethodProvider;
import dev.adapterloop.adapters.MethodOption;
import dev.adapterloop.adapters.MethodOptions;
import dev.adapterloop.adapters.PeftLoraSettings;
import dev.adapterloop.adapters.SharedHyperparameters;
import dev.adapterloop.adapters.TargetModules;
import dev.adapterloop.adapters.lora.LoraProvider;
import java.util.List;
import java.util.Optional;

/** DoRA as a registered method; it also reads PEFT LoRA folders with {@code use_dora: true}. */
public final class DoraProvider implements AdapterMethodProvider {

    @Override
    public String name() {
        return DoraConfig.NAME;
    }

    @Override
    public String summary() {
        return "weight-decomposed LoRA: magnitude m ⊙ normalised (W0 + s·B·A) (Liu et al. 2024)";
    }

    @Override
    public List<MethodOption> options() {
        return List.of(LoraProvider.USE_RSLORA);
    }

    @Override
    public AdapterMethod create(SharedHyperparameters shared, MethodOptions options) {
        return new DoraConfig(shared, options.flag(LoraProvider.USE_RSLORA.name()));
    }

    @Override
    public Optional<AdapterMethod> fromPeft(PeftLoraSettings settings, TargetModules targets) {
        if (!settings.useDora()) {
            return Optional.empty();
        }
        return Optional.of(new DoraConfig(settings.r(), settings.loraAlpha(), settings.loraDropout(), targets,
                settings.useRslora()));
    }
}
