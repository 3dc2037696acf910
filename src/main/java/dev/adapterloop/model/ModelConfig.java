package dev.adapterloop.model;

/**
 * What every model family's {@code config.json} tells the rest of the system: which family it is and the sizes a
 * classification head, a tokenizer and an adapter's bookkeeping need. Each family reads its own record
 * ({@link BertConfig}, {@code decoder.DecoderConfig}); configs compare by value, so a folder can be checked against
 * the model it claims to describe.
 */
public interface ModelConfig {

    /** {@code model_type} as Hugging Face writes it: {@code bert}, {@code gpt2}, {@code llama}, {@code qwen2}, ... */
    String modelType();

    int hiddenSize();

    /** The longest sequence the model's positions allow. */
    int maxPositionEmbeddings();
}
