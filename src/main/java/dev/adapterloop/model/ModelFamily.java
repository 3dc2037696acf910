package dev.adapterloop.model;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * One family of pretrained models (BERT encoders, GPT-2 decoders, Llama-family decoders): which {@code model_type}
 * values it reads, how it reads their {@code config.json} and how it builds and loads the model. Registered as the
 * adapter methods are, by one line in {@code META-INF/services/dev.adapterloop.model.ModelFamily}; {@link
 * ModelFamilies} finds it.
 */
public interface ModelFamily {

    /** The {@code model_type} values of {@code config.json} this family loads. */
    Set<String> modelTypes();

    /** The family's config record; an {@link IllegalArgumentException} names the field that is wrong. */
    ModelConfig readConfig(JsonNode configJson);

    /** Builds the model {@code config} describes and loads {@code folder}'s weights and tokenizer into it. */
    PretrainedModel load(Path folder, ModelConfig config, Device device) throws IOException;
}
