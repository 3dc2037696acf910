package dev.adapterloop.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.adapterloop.model.safetensors.DType;
import dev.adapterloop.model.safetensors.SafetensorsFile;
import dev.adapterloop.model.safetensors.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A frozen encoder and its tokenizer, loaded from a Hugging Face-layout folder ({@code config.json},
 * {@code model.safetensors}, {@code tokenizer.json}). Owns the NDManager that holds the weights.
 */
public final class PretrainedEncoder implements AutoCloseable {

    public static final String CONFIG = "config.json";
    public static final String WEIGHTS = "model.safetensors";
    public static final String TOKENIZER = "tokenizer.json";

    /** Checkpoint entries a plain encoder does not use: the pooler, MLM heads and buffers. */
    private static final List<String> IGNORED_PREFIXES = List.of("pooler.", "cls.", "embeddings.position_ids");

    private final NDManager manager;
    private final BertEncoder encoder;
    private final TextTokenizer tokenizer;

    private PretrainedEncoder(NDManager manager, BertEncoder encoder, TextTokenizer tokenizer) {
        this.manager = manager;
        this.encoder = encoder;
        this.tokenizer = tokenizer;
    }

    public static PretrainedEncoder load(Path folder, Device device) throws IOException {
        for (String file : List.of(CONFIG, WEIGHTS, TOKENIZER)) {
            if (!Files.isRegularFile(folder.resolve(file))) {
                throw new IOException("model folder " + folder + " has no " + file);
            }
        }
        BertConfig config = BertConfig.read(folder.resolve(CONFIG));
        NDManager manager = NDManager.newBaseManager(device, "PyTorch");
        manager.setName("pretrained-encoder");
        try {
            BertEncoder encoder = new BertEncoder(config);
            loadWeights(encoder, SafetensorsFile.read(folder.resolve(WEIGHTS)), manager, folder);
            // Truncate only to what the model can take; each run truncates further to its own sequence length.
            TextTokenizer tokenizer = TextTokenizer.load(folder.resolve(TOKENIZER), config.maxPositionEmbeddings());
            return new PretrainedEncoder(manager, encoder, tokenizer);
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
            parameter.setArray(toArray(name, entry.getValue(), manager, folder));
        }
        if (!unknown.isEmpty()) {
            throw new IOException(folder + ": " + WEIGHTS + " has tensors a BERT encoder does not know: "
                    + unknown.subList(0, Math.min(5, unknown.size())) + (unknown.size() > 5 ? " ..." : ""));
        }
        List<String> missing = expected.entrySet().stream().filter(e -> !e.getValue().isInitialized())
                .map(Map.Entry::getKey).toList();
        if (!missing.isEmpty()) {
            throw new IOException(folder + ": " + WEIGHTS + " lacks " + missing.size() + " tensors, e.g. "
                    + missing.subList(0, Math.min(5, missing.size())));
        }
        checkShapes(encoder, folder);
    }

    private static void checkShapes(BertEncoder encoder, Path folder) throws IOException {
        BertConfig c = encoder.config();
        for (AdaptableLinear linear : encoder.linearLayers().values()) {
            requireShape(folder, linear.path() + ".weight", linear.weight(),
                    new Shape(linear.outFeatures(), linear.inFeatures()));
            requireShape(folder, linear.path() + ".bias", linear.bias(), new Shape(linear.outFeatures()));
        }
        Map<String, Parameter> named = encoder.namedParameters();
        requireShape(folder, "embeddings.word_embeddings.weight", named.get("embeddings.word_embeddings.weight"),
                new Shape(c.vocabSize(), c.hiddenSize()));
        requireShape(folder, "embeddings.position_embeddings.weight",
                named.get("embeddings.position_embeddings.weight"), new Shape(c.maxPositionEmbeddings(), c.hiddenSize()));
        requireShape(folder, "embeddings.token_type_embeddings.weight",
                named.get("embeddings.token_type_embeddings.weight"), new Shape(c.typeVocabSize(), c.hiddenSize()));
        for (Map.Entry<String, Parameter> e : named.entrySet()) {
            if (e.getKey().contains("LayerNorm")) {
                requireShape(folder, e.getKey(), e.getValue(), new Shape(c.hiddenSize()));
            }
        }
    }

    private static void requireShape(Path folder, String name, Parameter parameter, Shape expected)
            throws IOException {
        Shape actual = parameter.getArray().getShape();
        if (!actual.equals(expected)) {
            throw new IOException(folder + ": tensor " + name + " has shape " + actual + ", config.json implies "
                    + expected);
        }
    }

    /**
     * An aligned F32 tensor becomes an array over the file's own buffer, without a copy (the array keeps the buffer
     * alive); F16/BF16 or unaligned data are widened into a new one.
     */
    private static NDArray toArray(String name, Tensor tensor, NDManager manager, Path folder) throws IOException {
        Shape shape = new Shape(tensor.shape());
        ByteBuffer bytes = tensor.data();
        if (tensor.dtype() == DType.F32 && bytes.isDirect() && bytes.alignmentOffset(0, Float.BYTES) == 0) {
            requireFinite(name, bytes.asFloatBuffer(), folder);
            return manager.create(bytes, shape, DataType.FLOAT32);
        }
        float[] values = tensor.toFloats();
        requireFinite(name, FloatBuffer.wrap(values), folder);
        return manager.create(values, shape);
    }

    private static void requireFinite(String name, FloatBuffer values, Path folder) throws IOException {
        for (int i = 0; i < values.limit(); i++) {
            float value = values.get(i);
            if (!Float.isFinite(value)) {
                throw new IOException(folder + ": tensor " + name + " has a non-finite value at flat index " + i
                        + " (" + value + ")");
            }
        }
    }

    public BertEncoder encoder() {
        return encoder;
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
        return "PretrainedEncoder" + Arrays.asList(encoder.config().numHiddenLayers() + " layers",
                encoder.config().hiddenSize() + " hidden");
    }
}
