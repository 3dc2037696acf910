package dev.adapterloop.model;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A frozen pretrained model (an encoder or a decoder: its {@link Backbone}) and its tokenizer, loaded from a Hugging
 * Face-layout folder ({@code config.json}, {@code model.safetensors} or shards, {@code tokenizer.json}) by the
 * {@link ModelFamily} its {@code model_type} names. Owns the NDManager that holds the weights.
 */
public final class PretrainedModel implements AutoCloseable {

    public static final String CONFIG = "config.json";
    public static final String WEIGHTS = "model.safetensors";
    public static final String TOKENIZER = "tokenizer.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final NDManager manager;
    private final Backbone backbone;
    private final TextTokenizer tokenizer;

    /** A loaded model; {@code manager} holds its weights and is closed with it. For {@link ModelFamily} loaders. */
    public PretrainedModel(NDManager manager, Backbone backbone, TextTokenizer tokenizer) {
        this.manager = manager;
        this.backbone = backbone;
        this.tokenizer = tokenizer;
    }

    /**
     * Loads the model folder with the {@link ModelFamily} that its {@code config.json}'s {@code model_type} names;
     * the folder must hold {@value #CONFIG}, the weights and {@value #TOKENIZER}.
     */
    public static PretrainedModel load(Path folder, Device device) throws IOException {
        ModelConfig config = readConfig(folder.resolve(CONFIG));
        return ModelFamilies.forType(config.modelType()).load(folder, config, device);
    }

    /**
     * A folder that presents {@code source} with BERT's dropouts at 0 (a rewritten {@value #CONFIG}, every other file
     * linked), as PyTorch peers train when they are timed: benchmarks and the device check train from it.
     *
     * @return {@code target}
     */
    public static Path linkWithoutDropout(Path source, Path target) throws IOException {
        Files.createDirectories(target);
        ObjectNode config = (ObjectNode) JSON.readTree(source.resolve(CONFIG).toFile());
        config.put("hidden_dropout_prob", 0.0).put("attention_probs_dropout_prob", 0.0);
        JSON.writeValue(target.resolve(CONFIG).toFile(), config);
        try (var files = Files.list(source)) {
            for (Path file : files.toList()) {
                Path link = target.resolve(file.getFileName());
                if (!file.getFileName().toString().equals(CONFIG) && !Files.exists(link)) {
                    Files.createSymbolicLink(link, file.toAbsolutePath());
                }
            }
        }
        return target;
    }

    /** A {@code config.json} read by the family its {@code model_type} names, with errors that say which field. */
    public static ModelConfig readConfig(Path configJson) throws IOException {
        if (!Files.isRegularFile(configJson)) {
            throw new IOException("model folder " + configJson.getParent() + " has no " + CONFIG);
        }
        JsonNode json;
        try {
            json = JSON.readTree(configJson.toFile());
        } catch (JacksonException e) {
            throw new IOException(configJson + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        String type = json.path("model_type").asText("");
        try {
            return ModelFamilies.forType(type).readConfig(json);
        } catch (IllegalArgumentException e) {
            throw new IOException(configJson + ": " + e.getMessage(), e);
        }
    }

    public Backbone backbone() {
        return backbone;
    }

    public ModelConfig config() {
        return backbone.config();
    }

    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    public NDManager manager() {
        return manager;
    }

    public Device device() {
        return manager.getDevice();
    }

    @Override
    public void close() {
        tokenizer.close();
        manager.close();
    }

    @Override
    public String toString() {
        return "PretrainedModel[" + backbone.config().modelType() + ", " + backbone.linearLayers().size()
                + " linear layers, hidden " + backbone.config().hiddenSize() + "]";
    }
}
