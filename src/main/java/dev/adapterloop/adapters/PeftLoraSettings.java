package dev.adapterloop.adapters;

/**
 * The fields of a PEFT LoRA {@code adapter_config.json} that decide what its tensors compute: PEFT scales the
 * low-rank product by {@code lora_alpha / r} ({@code / √r} with {@code use_rslora}), and {@code use_dora} adds a
 * magnitude vector per layer (DoRA). A method writes these for the PEFT form of its adapters and, if it can, builds
 * itself back from them ({@link AdapterMethodProvider#fromPeft}).
 */
public record PeftLoraSettings(int r, double loraAlpha, double loraDropout, boolean useRslora, boolean useDora) {

    /** The scaling PEFT applies: {@code lora_alpha / r}, or {@code lora_alpha / √r} with rsLoRA. */
    public double scaling() {
        return useRslora ? loraAlpha / Math.sqrt(r) : loraAlpha / r;
    }
}
