package dev.adapterloop.model.decoder;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import dev.adapterloop.model.CheckpointTensors;
import dev.adapterloop.model.ModelConfig;
import dev.adapterloop.model.ModelFamily;
import dev.adapterloop.model.PretrainedModel;
import dev.adapterloop.model.TextTokenizer;
import dev.adapterloop.model.TokenizerSettings;
import dev.adapterloop.model.safetensors.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * GPT-2 and Llama-family decoders ({@code gpt2}, {@code llama}, {@code qwen2}) from Hugging Face folders: the
 * checkpoint's tensor names are normalised as transformers does when it loads them (with or without the
 * {@code transformer.} / {@code model.} prefix), buffers that are not weights are skipped, a tied head's
 * {@code lm_head.weight} is ignored, F16/BF16 weights are widened to fp32 on the way in.
 */
public final class DecoderFamily implements ModelFamily {

    /** Buffers that old checkpoints carry: GPT-2's causal masks, Llama's rotary frequencies. */
    private static final Pattern BUFFERS = Pattern.compile(
            "(transformer\\.)?h\\.\\d+\\.attn\\.(bias|masked_bias)|(model\\.)?layers\\.\\d+\\.self_attn\\.rotary_emb"
                    + "\\.inv_freq");

    @Override
    public Set<String> modelTypes() {
        return Set.of("gpt2", "llama", "qwen2");
    }

    @Override
    public ModelConfig readConfig(JsonNode configJson) {
        return DecoderConfig.read(configJson);
    }

    @Override
    public PretrainedModel load(Path folder, ModelConfig modelConfig, Device device) throws IOException {
        DecoderConfig config = (DecoderConfig) modelConfig;
        if (!Files.isRegularFile(folder.resolve(PretrainedModel.TOKENIZER))) {
            throw new IOException("model folder " + folder + " has no " + PretrainedModel.TOKENIZER);
        }
        NDManager manager = NDManager.newBaseManager(device, "PyTorch");
        manager.setName("pretrained-decoder");
        try {
            DecoderModel model = loadWeights(folder, config, manager);
            // Special tokens come from tokenizer_config.json where the folder has one, else from config.json's ids.
            TokenizerSettings settings = TokenizerSettings.read(folder.resolve(PretrainedModel.TOKENIZER),
                    TokenizerSettings.ModelTokenIds.read(folder.resolve(PretrainedModel.CONFIG)));
            TextTokenizer tokenizer = TextTokenizer.load(folder.resolve(PretrainedModel.TOKENIZER),
                    config.maxPositionEmbeddings(), settings);
            return new PretrainedModel(manager, model, tokenizer);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** The decoder {@code config} describes with the weights of {@code folder}, without a tokenizer (for tests). */
    public static DecoderModel loadWeights(Path folder, DecoderConfig config, NDManager manager) throws IOException {
        DecoderModel model = new DecoderModel(config);
        Map<String, Parameter> expected = model.namedParameters();
        Map<String, Tensor> tensors = CheckpointTensors.read(folder);
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
            String stored = entry.getKey();
            if (BUFFERS.matcher(stored).matches() || (stored.equals("lm_head.weight") && config.tieWordEmbeddings())) {
                continue;
            }
            String name = canonicalName(stored, config);
            Parameter parameter = expected.get(name);
            if (parameter == null) {
                unknown.add(stored);
                continue;
            }
            if (parameter.isInitialized()) {
                throw new IOException(folder + ": tensor " + name + " appears twice (with and without its prefix)");
            }
            parameter.setArray(CheckpointTensors.toArray(name, entry.getValue(), model.storedTransposed(name),
                    manager, folder));
        }
        if (!unknown.isEmpty()) {
            throw new IOException(folder + ": the weights have tensors a " + config.modelType() + " decoder with this"
                    + " config does not know: " + unknown.subList(0, Math.min(5, unknown.size()))
                    + (unknown.size() > 5 ? " ..." : ""));
        }
        List<String> missing = expected.entrySet().stream().filter(e -> !e.getValue().isInitialized())
                .map(Map.Entry::getKey).toList();
        if (!missing.isEmpty()) {
            throw new IOException(folder + ": the weights lack " + missing.size() + " tensors, e.g. "
                    + missing.subList(0, Math.min(5, missing.size())));
        }
        checkShapes(model, folder);
        return model;
    }

    /** The name under {@link DecoderModel#namedParameters()}: the base prefix added where the checkpoint omits it. */
    private static String canonicalName(String stored, DecoderConfig config) {
        if (stored.equals("lm_head.weight")) {
            return stored;
        }
        String prefix = config.architecture() == DecoderConfig.Architecture.GPT2 ? "transformer." : "model.";
        return stored.startsWith(prefix) ? stored : prefix + stored;
    }

    private static void checkShapes(DecoderModel model, Path folder) throws IOException {
        DecoderConfig c = model.config();
        for (var linear : model.linearLayers().values()) {
            CheckpointTensors.requireShape(folder, linear.path() + ".weight", linear.weight(),
                    new Shape(linear.outFeatures(), linear.inFeatures()));
            if (linear.bias() != null) {
                CheckpointTensors.requireShape(folder, linear.path() + ".bias", linear.bias(),
                        new Shape(linear.outFeatures()));
            }
        }
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
            String name = e.getKey();
            Shape expected = null;
            if (name.endsWith("wte.weight") || name.endsWith("embed_tokens.weight") || name.equals("lm_head.weight")) {
                expected = new Shape(c.vocabSize(), c.hiddenSize());
            } else if (name.endsWith("wpe.weight")) {
                expected = new Shape(c.maxPositionEmbeddings(), c.hiddenSize());
            } else if (name.contains("norm.") || name.contains(".ln_")) {
                expected = new Shape(c.hiddenSize());
            }
            if (expected != null) {
                CheckpointTensors.requireShape(folder, name, e.getValue(), expected);
            }
        }
    }
}
