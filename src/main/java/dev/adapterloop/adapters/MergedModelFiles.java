package dev.adapterloop.adapters;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.adapterloop.model.Backbone;
import dev.adapterloop.model.PretrainedModel;
import dev.adapterloop.model.safetensors.DType;
import dev.adapterloop.model.safetensors.SafetensorsFile;
import dev.adapterloop.model.safetensors.SafetensorsFormatException;
import dev.adapterloop.model.safetensors.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * The adapted model with every adapter folded into its layer's weight, as a Hugging Face model folder: works for every
 * method, and is how a LoRMA_π adapter (which has no LoRA form) is served by anything that loads plain checkpoints.
 * <ul>
 *   <li>{@code model.safetensors}: every tensor of the base encoder under its checkpoint name (as {@code BertModel}
 *   writes them, without the pooler), F32, with each adapted layer's {@code <path>.weight} replaced by its merged
 *   weight W. {@link PretrainedModel#load} and {@code transformers.BertModel} load it as a plain encoder.</li>
 *   <li>{@code config.json}: the base model's, plus {@code id2label} / {@code label2id}.</li>
 *   <li>{@code tokenizer.json} (and {@code tokenizer_config.json}, {@code special_tokens_map.json},
 *   {@code vocab.txt} when the base has them), copied from the base model folder.</li>
 *   <li>{@code classifier.safetensors}: the head, {@code classifier.weight} (labels, hidden) and
 *   {@code classifier.bias} (labels), applied to the mean of the last hidden states over real tokens (as
 *   sentence-transformers pools all-MiniLM-L6-v2). It is a separate file because the head is not the pooler-based
 *   head of {@code BertForSequenceClassification}; storing it under that name would make transformers compute
 *   something else.</li>
 * </ul>
 */
public final class MergedModelFiles {

    public static final String HEAD_WEIGHTS = "classifier.safetensors";
    private static final List<String> OPTIONAL_TOKENIZER_FILES = List.of("tokenizer_config.json",
            "special_tokens_map.json", "vocab.txt");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private MergedModelFiles() {
    }

    /**
     * Writes the merged model to {@code dir}. {@code baseModelFolder} is the folder {@code model}'s base was loaded
     * from: its config and tokenizer are copied, and its config must describe the loaded base. The model may be
     * merged or not; the result is the same.
     */
    public static void write(AdaptedClassifier model, Path baseModelFolder, Path dir) throws IOException {
        PretrainedModel base = model.base();
        Path baseConfig = baseModelFolder.resolve(PretrainedModel.CONFIG);
        for (Path required : List.of(baseConfig, baseModelFolder.resolve(PretrainedModel.TOKENIZER))) {
            if (!Files.isRegularFile(required)) {
                throw new IOException("base model folder " + baseModelFolder + " has no " + required.getFileName());
            }
        }
        if (!PretrainedModel.readConfig(baseConfig).equals(base.config())) {
            throw new IllegalArgumentException(baseConfig + " does not describe the adapted model's base (the"
                    + " configs differ): pass the folder the base was loaded from");
        }
        Files.createDirectories(dir);
        SafetensorsFile.write(dir.resolve(PretrainedModel.WEIGHTS), mergedTensors(model), Map.of("format", "pt"));

        ObjectNode config = (ObjectNode) JSON.readTree(baseConfig.toFile());
        ObjectNode id2label = config.putObject("id2label");
        ObjectNode label2id = config.putObject("label2id");
        List<String> labels = model.labels();
        for (int i = 0; i < labels.size(); i++) {
            id2label.put(Integer.toString(i), labels.get(i));
            label2id.put(labels.get(i), i);
        }
        JSON.writeValue(dir.resolve(PretrainedModel.CONFIG).toFile(), config);

        Files.copy(baseModelFolder.resolve(PretrainedModel.TOKENIZER), dir.resolve(PretrainedModel.TOKENIZER),
                StandardCopyOption.REPLACE_EXISTING);
        for (String file : OPTIONAL_TOKENIZER_FILES) {
            if (Files.isRegularFile(baseModelFolder.resolve(file))) {
                Files.copy(baseModelFolder.resolve(file), dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
        }

        List<Tensor> head = new ArrayList<>();
        model.trainableParameters().forEach((name, array) -> {
            if (name.startsWith(AdaptedClassifier.HEAD + ".")) {
                head.add(tensor(name, array));
            }
        });
        SafetensorsFile.write(dir.resolve(HEAD_WEIGHTS), head, Map.of("format", "pt", "pooling", "mean"));
    }

    /** The base's tensors with each adapted layer's weight replaced by the layer's merged weight. */
    private static List<Tensor> mergedTensors(AdaptedClassifier model) {
        List<Tensor> tensors = new ArrayList<>();
        Map<String, AdapterLayer> layers = model.layers();
        Backbone backbone = model.base().backbone();
        for (Map.Entry<String, Parameter> entry : backbone.namedParameters().entrySet()) {
            String name = entry.getKey();
            String path = name.endsWith(".weight") ? name.substring(0, name.length() - ".weight".length()) : "";
            AdapterLayer layer = layers.get(path);
            try (NDManager scope = model.base().manager().newSubManager()) {
                NDArray weight = layer == null ? entry.getValue().getArray()
                        : layer.effectiveWeight(model.frozenWeight(path), scope);
                // Back to the checkpoint's own layout (GPT-2's Conv1D weights are stored (in, out)).
                tensors.add(backbone.storedTransposed(name) ? transposedTensor(name, weight) : tensor(name, weight));
            }
        }
        return tensors;
    }

    /** A 2-D array written as its transpose, transposed here in Java: the engine's transpose is only a view. */
    private static Tensor transposedTensor(String name, NDArray array) {
        float[] values = array.toType(DataType.FLOAT32, false).toFloatArray();
        int rows = (int) array.getShape().get(0);
        int cols = (int) array.getShape().get(1);
        float[] transposed = new float[values.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                transposed[c * rows + r] = values[r * cols + c];
            }
        }
        return Tensor.ofFloats(name, new long[] {cols, rows}, transposed);
    }

    private static Tensor tensor(String name, NDArray array) {
        return Tensor.ofFloats(name, array.getShape().getShape(),
                array.toType(DataType.FLOAT32, false).toFloatArray());
    }

    /**
     * Loads a merged model folder: the encoder through {@link PretrainedModel#load} (with its own checks) and the
     * head from {@value #HEAD_WEIGHTS}, labelled by {@code config.json}'s {@code id2label}.
     */
    public static MergedClassifier read(Path dir, Device device) throws IOException {
        List<String> labels = labels(dir.resolve(PretrainedModel.CONFIG));
        Path headFile = dir.resolve(HEAD_WEIGHTS);
        if (!Files.isRegularFile(headFile)) {
            throw new AdapterFormatException("merged model folder " + dir + " has no " + HEAD_WEIGHTS);
        }
        Map<String, Tensor> head;
        try {
            head = SafetensorsFile.read(headFile);
        } catch (SafetensorsFormatException e) {
            throw new AdapterFormatException(e.getMessage(), e);
        }
        List<String> names = List.of(AdaptedClassifier.HEAD + ".weight", AdaptedClassifier.HEAD + ".bias");
        if (!head.keySet().equals(new HashSet<>(names))) {
            throw new AdapterFormatException(headFile + ": must hold exactly " + names + ", got " + head.keySet());
        }
        PretrainedModel encoder = PretrainedModel.load(dir, device);
        try {
            NDManager manager = encoder.manager();
            return new MergedClassifier(encoder, labels, array(head.get(names.get(0)), headFile, manager),
                    array(head.get(names.get(1)), headFile, manager));
        } catch (IOException | RuntimeException e) {
            encoder.close();
            throw e;
        }
    }

    private static NDArray array(Tensor tensor, Path file, NDManager manager) throws AdapterFormatException {
        if (tensor.dtype() != DType.F32) {
            throw new AdapterFormatException(file + ": tensor '" + tensor.name() + "' is " + tensor.dtype()
                    + ", expected F32");
        }
        float[] values = tensor.toFloats();
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new AdapterFormatException(file + ": tensor '" + tensor.name() + "' has a non-finite value ("
                        + values[i] + ") at flat index " + i);
            }
        }
        return manager.create(values, new Shape(tensor.shape()));
    }

    /** {@code id2label} as a list: keys must be exactly "0" … "n−1". */
    private static List<String> labels(Path configFile) throws IOException {
        if (!Files.isRegularFile(configFile)) {
            throw new AdapterFormatException("merged model folder " + configFile.getParent() + " has no "
                    + configFile.getFileName());
        }
        JsonNode id2label;
        try {
            id2label = JSON.readTree(configFile.toFile()).path("id2label");
        } catch (JacksonException e) {
            throw new AdapterFormatException(configFile + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (!id2label.isObject() || id2label.size() < 2) {
            throw new AdapterFormatException(configFile + ": id2label must map \"0\" … \"n-1\" (n ≥ 2) to labels,"
                    + " got " + id2label);
        }
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < id2label.size(); i++) {
            JsonNode label = id2label.get(Integer.toString(i));
            if (label == null || !label.isTextual()) {
                throw new AdapterFormatException(configFile + ": id2label has no label for \"" + i + "\": " + id2label);
            }
            labels.add(label.asText());
        }
        return labels;
    }
}
