package dev.adapterloop.adapters;

import dev.adapterloop.adapters.lora.LoraConfig;
import dev.adapterloop.adapters.lorma.LormaConfig;
import dev.adapterloop.adapters.milora.Components;
import dev.adapterloop.adapters.milora.MiloraConfig;
import java.util.List;

/** The registry of adapter methods: builds one from its configured name and shared hyperparameters. */
public final class AdapterMethods {

    public static final List<String> NAMES = List.of("lora", "lorma-plus", "lorma-pi", "milora", "pissa");

    private AdapterMethods() {
    }

    public static AdapterMethod of(String name, int rank, double alpha, double dropout, TargetModules targets,
                                   boolean useRsLora) {
        return switch (name) {
            case "lora" -> new LoraConfig(rank, alpha, dropout, targets, useRsLora);
            case "lorma-plus" -> new LormaConfig(LormaConfig.Variant.PLUS, rank, alpha, dropout, targets);
            case "lorma-pi" -> new LormaConfig(LormaConfig.Variant.PI, rank, alpha, dropout, targets);
            case "milora" -> new MiloraConfig(Components.MINOR, rank, alpha, dropout, targets, useRsLora);
            case "pissa" -> new MiloraConfig(Components.PRINCIPAL, rank, alpha, dropout, targets, useRsLora);
            default -> throw new IllegalArgumentException("adapter method must be one of " + NAMES + ", got '"
                    + name + "'");
        };
    }
}
