package dev.adapterloop.model;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.model.safetensors.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** BERT-family encoders ({@code bert}, {@code roberta}): {@link BertEncoder}, loaded from a Hugging Face folder. */
public final class BertFamily implements ModelFamily {

    /** Checkpoint entries a plain encoder does not use: the pooler, MLM heads and buffers. */
    private static final List<String> IGNORED_PREFIXES = List.of("pooler.", "cls.", "embeddings.position_ids");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Set<String> modelTypes() {
        return Set.of("bert", "roberta");
    }

    @Override
    public ModelConfig readConfig(JsonNode configJson) {
        try {
            return JSON.treeToValue(configJson, BertConfig.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
    }

    @Override
    public PretrainedModel load(Path folder, ModelConfig modelConfig, Device device) throws IOException {
        BertConfig config = (BertConfig) modelConfig;
        if (!Files.isRegularFile(folder.resolve(PretrainedModel.TOKENIZER))) {
            throw new IOException("model folder " + folder + " has no " + PretrainedModel.TOKENIZER);
        }
        NDManager manager = NDManager.newBaseManager(device, "PyTorch");
        manager.setName("pretrained-encoder");
        try {
            BertEncoder encoder = new BertEncoder(config);
            loadWeights(encoder, CheckpointTensors.read(folder), manager, folder);
            // Truncate only to what the model can take; each run truncates further to its own sequence length.
            TextTokenizer tokenizer = TextTokenizer.load(folder.resolve(PretrainedModel.TOKENIZER),
                    config.maxPositionEmbeddings());
            return new PretrainedModel(manager, encoder, tokenizer);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static void loadWeights(BertEncoder encoder, Map<String, Tensor> tensors, NDManager manager, Path folder)
            throws IOException {
        Map<String, Parameter> expected = encoder.namedParameters();
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
            String name = entry.getKey().startsWith("bert.") ? entry.getKey().substring(5) : entry.getKey();
            Parameter parameter = expected.get(name);
            if (parameter == null) {
                if (IGNORED_PREFIXES.stream().noneMatch(name::startsWith)) {
                    unknown.add(entry.getKey());
                }
                continue;
            }
            if (parameter.isInitialized()) {
                throw new IOException(folder + ": tensor " + name + " appears twice (with and without 'bert.')");
            }
            parameter.setArray(CheckpointTensors.toArray(name, entry.getValue(), false, manager, folder));
        }
        if (!unknown.isEmpty()) {
            throw new IOException(folder + ": the weights have tensors a BERT encoder does not know: "
                    + unknown.subList(0, Math.min(5, unknown.size())) + (unknown.size() > 5 ? " ..." : ""));
        }
        List<String> missing = expected.entrySet().stream().filter(e -> !e.getValue().isInitialized())
                .map(Map.Entry::getKey).toList();
        if (!missing.isEmpty()) {
            throw new IOException(folder + ": the weights lack " + missing.size() + " tensors, e.g. "
                    + missing.subList(0, Math.min(5, missing.size())));
        }
        checkShapes(encoder, folder);
    }

    private static void checkShapes(BertEncoder encoder, Path folder) throws IOException {
        BertConfig c = encoder.config();
        for (AdaptableLinear linear : encoder.linearLayers().values()) {
            CheckpointTensors.requireShape(folder, linear.path() + ".weight", linear.weight(),
                    new Shape(linear.outFeatures(), linear.inFeatures()));
            CheckpointTensors.requireShape(folder, linear.path() + ".bias", linear.bias(), new Shape(linear.outFeatures()));
        }
        Map<String, Parameter> named = encoder.namedParameters();
        CheckpointTensors.requireShape(folder, "embeddings.word_embeddings.weight", named.get("embeddings.word_embeddings.weight"),
                new Shape(c.vocabSize(), c.hiddenSize()));
        CheckpointTensors.requireShape(folder, "embeddings.position_embeddings.weight",
                named.get("embeddings.position_embeddings.weight"), new Shape(c.maxPositionEmbeddings(), c.hiddenSize()));
        CheckpointTensors.requireShape(folder, "embeddings.token_type_embeddings.weight",
                named.get("embeddings.token_type_embeddings.weight"), new Shape(c.typeVocabSize(), c.hiddenSize()));
        for (Map.Entry<String, Parameter> e : named.entrySet()) {
            if (e.getKey().contains("LayerNorm")) {
                CheckpointTensors.requireShape(folder, e.getKey(), e.getValue(), new Shape(c.hiddenSize()));
            }
        }
    }
}
