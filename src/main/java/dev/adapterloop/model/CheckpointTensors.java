package dev.adapterloop.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.model.safetensors.DType;
import dev.adapterloop.model.safetensors.SafetensorsFile;
import dev.adapterloop.model.safetensors.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A checkpoint's weight tensors as Hugging Face writes them: one {@code model.safetensors}, or shards
 * ({@code model-00001-of-00002.safetensors}, ...) listed by {@code model.safetensors.index.json}'s
 * {@code weight_map}; and the conversion of a tensor into an engine array (F16/BF16 widened in Java: BF16 arrays
 * abort DJL's engine).
 */
public final class CheckpointTensors {

    public static final String SHARD_INDEX = "model.safetensors.index.json";

    /** A shard is a plain file of the folder: no separators, no parent references. */
    private static final Pattern SHARD_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*\\.safetensors");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Files of a Hugging Face folder that are kept with the model when present. */
    private static final List<String> OPTIONAL_FILES = List.of("tokenizer_config.json", "special_tokens_map.json",
            "generation_config.json", "vocab.txt");

    private CheckpointTensors() {
    }

    /** Whether {@code folder} holds weights in either layout. */
    public static boolean present(Path folder) {
        return Files.isRegularFile(folder.resolve(PretrainedModel.WEIGHTS))
                || Files.isRegularFile(folder.resolve(SHARD_INDEX));
    }

    /**
     * Every tensor of the checkpoint in {@code folder}: {@code model.safetensors} when present, else the shards its
     * index names, each checked to hold exactly the tensors the index assigns to it.
     */
    public static Map<String, Tensor> read(Path folder) throws IOException {
        Path single = folder.resolve(PretrainedModel.WEIGHTS);
        if (Files.isRegularFile(single)) {
            return SafetensorsFile.read(single);
        }
        Path index = folder.resolve(SHARD_INDEX);
        if (!Files.isRegularFile(index)) {
            throw new IOException("model folder " + folder + " has neither " + PretrainedModel.WEIGHTS + " nor "
                    + SHARD_INDEX);
        }
        Map<String, String> weightMap = weightMap(index);
        Map<String, Map<String, String>> byShard = new TreeMap<>();
        weightMap.forEach((tensor, shard) -> byShard.computeIfAbsent(shard, s -> new TreeMap<>()).put(tensor, shard));
        Map<String, Tensor> all = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, String>> shard : byShard.entrySet()) {
            Path file = folder.resolve(shard.getKey());
            if (!Files.isRegularFile(file)) {
                throw new IOException(index + " names shard " + shard.getKey() + ", which " + folder + " lacks");
            }
            Map<String, Tensor> tensors = SafetensorsFile.read(file);
            if (!tensors.keySet().equals(shard.getValue().keySet())) {
                throw new IOException(file + " holds " + tensors.size() + " tensors, but " + SHARD_INDEX
                        + " assigns it " + shard.getValue().size() + " (they differ, e.g. "
                        + firstDifference(tensors.keySet(), shard.getValue().keySet()) + ")");
            }
            all.putAll(tensors);
        }
        return all;
    }

    /**
     * The files a model folder consists of, in the order to copy them so that {@code config.json}, which marks a
     * stored model complete, comes last: the weights ({@code model.safetensors}, or the shard index and every shard
     * it names), {@code tokenizer.json}, the optional tokenizer and generation files that are present, then
     * {@code config.json}.
     */
    public static List<String> modelFiles(Path folder) throws IOException {
        List<String> files = new ArrayList<>();
        if (Files.isRegularFile(folder.resolve(PretrainedModel.WEIGHTS))) {
            files.add(PretrainedModel.WEIGHTS);
        } else if (Files.isRegularFile(folder.resolve(SHARD_INDEX))) {
            new TreeMap<>(weightMap(folder.resolve(SHARD_INDEX))).values().stream().distinct().sorted()
                    .forEach(files::add);
            files.add(SHARD_INDEX);
        } else {
            throw new IOException("model folder " + folder + " has neither " + PretrainedModel.WEIGHTS + " nor "
                    + SHARD_INDEX);
        }
        for (String required : List.of(PretrainedModel.TOKENIZER, PretrainedModel.CONFIG)) {
            if (!Files.isRegularFile(folder.resolve(required))) {
                throw new IOException("model folder " + folder + " has no " + required);
            }
        }
        files.add(PretrainedModel.TOKENIZER);
        for (String optional : OPTIONAL_FILES) {
            if (Files.isRegularFile(folder.resolve(optional))) {
                files.add(optional);
            }
        }
        files.add(PretrainedModel.CONFIG);
        return files;
    }

    /** Is {@code name} a file a stored model folder may hold (what {@link #modelFiles} can list)? */
    public static boolean isModelFileName(String name) {
        return name.equals(PretrainedModel.WEIGHTS) || name.equals(SHARD_INDEX) || name.equals(PretrainedModel.CONFIG)
                || name.equals(PretrainedModel.TOKENIZER) || OPTIONAL_FILES.contains(name)
                || SHARD_NAME.matcher(name).matches();
    }

    private static Map<String, String> weightMap(Path index) throws IOException {
        JsonNode json;
        try {
            json = JSON.readTree(index.toFile());
        } catch (JacksonException e) {
            throw new IOException(index + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        JsonNode map = json.path("weight_map");
        if (!map.isObject() || map.isEmpty()) {
            throw new IOException(index + ": weight_map must be a non-empty object of tensor name to shard file");
        }
        Map<String, String> weightMap = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String shard = entry.getValue().asText("");
            if (!entry.getValue().isTextual() || !SHARD_NAME.matcher(shard).matches()) {
                throw new IOException(index + ": tensor " + entry.getKey() + " is mapped to '" + entry.getValue()
                        + "', not a .safetensors file of the same folder");
            }
            weightMap.put(entry.getKey(), shard);
        }
        return weightMap;
    }

    private static String firstDifference(java.util.Set<String> a, java.util.Set<String> b) {
        for (String name : a) {
            if (!b.contains(name)) {
                return name + " is in the file only";
            }
        }
        for (String name : b) {
            if (!a.contains(name)) {
                return name + " is in the index only";
            }
        }
        return "none";
    }

    /**
     * {@code tensor} as an fp32 array, transposed when {@code transpose} (a 2-D tensor stored (in, out)). An aligned
     * F32 tensor that needs no transposition becomes an array over the file's own buffer, without a copy (the array
     * keeps the buffer alive); anything else is converted into a new one. Non-finite values are refused.
     */
    public static NDArray toArray(String name, Tensor tensor, boolean transpose, NDManager manager, Path folder)
            throws IOException {
        Shape shape = new Shape(tensor.shape());
        if (!isFloat(tensor.dtype())) {
            throw new IOException(folder + ": tensor " + name + " is " + tensor.dtype() + ", expected F32, F16 or BF16");
        }
        ByteBuffer bytes = tensor.data();
        if (!transpose && tensor.dtype() == DType.F32 && bytes.isDirect()
                && bytes.alignmentOffset(0, Float.BYTES) == 0) {
            requireFinite(name, bytes.asFloatBuffer(), folder);
            return manager.create(bytes, shape, DataType.FLOAT32);
        }
        float[] values = tensor.toFloats();
        requireFinite(name, FloatBuffer.wrap(values), folder);
        if (!transpose) {
            return manager.create(values, shape);
        }
        if (shape.dimension() != 2) {
            throw new IOException(folder + ": tensor " + name + " should be 2-D, has shape " + shape);
        }
        int rows = (int) shape.get(0);
        int cols = (int) shape.get(1);
        float[] transposed = new float[values.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                transposed[c * rows + r] = values[r * cols + c];
            }
        }
        return manager.create(transposed, new Shape(cols, rows));
    }

    private static boolean isFloat(DType type) {
        return type == DType.F32 || type == DType.F16 || type == DType.BF16;
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

    /** Refuses a parameter whose loaded array does not have the shape the config implies. */
    public static void requireShape(Path folder, String name, Parameter parameter, Shape expected)
            throws IOException {
        Shape actual = parameter.getArray().getShape();
        if (!actual.equals(expected)) {
            throw new IOException(folder + ": tensor " + name + " has shape " + actual + ", config.json implies "
                    + expected);
        }
    }
}
