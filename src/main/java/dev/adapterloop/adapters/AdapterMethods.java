package dev.adapterloop.adapters;

import dev.adapterloop.adapters.lora.LoraConfig;
import dev.adapterloop.adapters.lorma.LormaConfig;
import dev.adapterloop.adapters.lorma.LormaConfig.Placement;
import dev.adapterloop.adapters.lorma.LormaConfig.Variant;
import dev.adapterloop.adapters.milora.Components;
import dev.adapterloop.adapters.milora.MiloraConfig;
import java.util.List;

/** The registry of adapter methods: builds one from its configured name and shared hyperparameters. */
public final class AdapterMethods {

    public static final List<String> NAMES = List.of("lora", "lorma-plus", "lorma-pi", "milora", "pissa");

    private AdapterMethods() {
    }

    /** A method with LoRMA's default "pre" placement. */
    public static AdapterMethod of(String name, int rank, double alpha, double dropout, TargetModules targets,
                                   boolean useRsLora) {
        return of(name, rank, alpha, dropout, targets, useRsLora, Placement.PRE.configName());
    }

    /**
     * @param placement {@code pre} or {@code post}: which side of W0 LoRMA's multiplier sits on. Only LoRMA has a
     *                  placement; other methods accept the default {@code pre} and refuse {@code post}, so that a
     *                  setting that would do nothing is not silently ignored.
     */
    public static AdapterMethod of(String name, int rank, double alpha, double dropout, TargetModules targets,
                                   boolean useRsLora, String placement) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("adapter method must be one of " + NAMES + ", got '" + name + "'");
        }
        Placement side = Placement.parse(placement);
        boolean lorma = name.startsWith("lorma-");
        if (!lorma && side != Placement.PRE) {
            throw new IllegalArgumentException("placement '" + side.configName() + "' applies to lorma-plus and"
                    + " lorma-pi only, got method '" + name + "'");
        }
        return switch (name) {
            case "lora" -> new LoraConfig(rank, alpha, dropout, targets, useRsLora);
            case "lorma-plus" -> new LormaConfig(Variant.PLUS, rank, alpha, dropout, targets, side);
            case "lorma-pi" -> new LormaConfig(Variant.PI, rank, alpha, dropout, targets, side);
            case "milora" -> new MiloraConfig(Components.MINOR, rank, alpha, dropout, targets, useRsLora);
            case "pissa" -> new MiloraConfig(Components.PRINCIPAL, rank, alpha, dropout, targets, useRsLora);
            default -> throw new IllegalStateException("method '" + name + "' is in NAMES but not built here");
        };
    }
}
