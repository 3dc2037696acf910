package dev.adapterloop.adapters;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.adapterloop.model.AdaptableLinear;
import dev.adapterloop.model.PretrainedModel;
import dev.adapterloop.model.safetensors.DType;
import dev.adapterloop.model.safetensors.SafetensorsFile;
import dev.adapterloop.model.safetensors.SafetensorsFormatException;
import dev.adapterloop.model.safetensors.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The project's own adapter folder: stores any method's adapter exactly as trained, including LoRMA_π (which has no
 * LoRA form) and LoRMA in either placement, and reads it back as an {@link AdaptedClassifier} of the same method whose
 * outputs are bit for bit those of the model that was written.
 * <ul>
 *   <li>{@code adapter_config.json}: see {@link NativeAdapterConfig} ({@code peft_type: "ADAPTERLOOP"}).</li>
 *   <li>{@code adapter_model.safetensors}, all F32, one entry per stored tensor:
 *     <ul>
 *       <li>{@code base_model.model.<module path>.<name>} for each adapted layer, where the names and shapes are the
 *       method's ({@link AdapterMethod#storedShapes}), with n = d_out (pre) or d_in (post):
 *         <ul>
 *           <li>lora: {@code lora_A.weight} (r, d_in), {@code lora_B.weight} (d_out, r);</li>
 *           <li>lorma-plus, lorma-pi: {@code lorma_A.weight} (r, n), {@code lorma_B.weight} (n, r);</li>
 *           <li>milora, pissa: {@code lora_A.weight}, {@code lora_B.weight} (trained) and
 *           {@code lora_A_init.weight} (r, d_in), {@code lora_B_init.weight} (d_out, r), the factors at init, from
 *           which the frozen residual {@code W0 − s·B0·A0} is recomputed exactly;</li>
 *         </ul></li>
 *       <li>{@code base_model.model.classifier.weight} (labels, hidden) and {@code .bias} (labels): the head.</li>
 *     </ul></li>
 * </ul>
 * Reading refuses, with an {@link AdapterFormatException} naming the field or tensor: an unknown method or field, a
 * base model with another name or other weights, layers that the targets do not select on this base, a missing or
 * unexpected tensor, a shape that does not follow from the config (e.g. another rank), a dtype other than F32, a NaN
 * or infinity, and a truncated or otherwise corrupt file.
 */
public final class NativeAdapterFiles {

    public static final String CONFIG = PeftAdapterFiles.CONFIG;
    public static final String WEIGHTS = PeftAdapterFiles.WEIGHTS;
    static final String PREFIX = "base_model.model.";

    private NativeAdapterFiles() {
    }

    /** Writes {@code model}'s adapter and head to {@code dir}; {@code baseModel} is the base model's id. */
    public static void write(AdaptedClassifier model, String baseModel, Path dir) throws IOException {
        AdapterMethod method = model.method();
        List<Tensor> tensors = new ArrayList<>();
        Map<String, AdaptableLinear> linears = model.base().backbone().linearLayers();
        model.layers().forEach((path, layer) -> {
            AdaptableLinear linear = linears.get(path);
            Map<String, Shape> shapes = method.storedShapes(linear.outFeatures(), linear.inFeatures());
            Map<String, NDArray> stored = layer.storedTensors();
            if (!stored.keySet().equals(shapes.keySet())) {
                throw new IllegalStateException(method.name() + " layer " + path + " stores " + stored.keySet()
                        + " but its method declares " + shapes.keySet());
            }
            stored.forEach((name, array) -> tensors.add(tensor(PREFIX + path + "." + name, array)));
        });
        model.trainableParameters().forEach((name, array) -> {
            if (name.startsWith(AdaptedClassifier.HEAD + ".")) {
                tensors.add(tensor(PREFIX + name, array));
            }
        });
        NativeAdapterConfig config = new NativeAdapterConfig(method, model.labels(), baseModel,
                BaseModelFingerprint.of(model), List.copyOf(model.layers().keySet()));
        Files.createDirectories(dir);
        SafetensorsFile.write(dir.resolve(WEIGHTS), tensors, Map.of("format", "pt"));
        config.write(dir.resolve(CONFIG));
    }

    private static Tensor tensor(String name, NDArray array) {
        return Tensor.ofFloats(name, array.getShape().getShape(),
                array.toType(DataType.FLOAT32, false).toFloatArray());
    }

    public static NativeAdapterConfig readConfig(Path dir) throws IOException {
        return NativeAdapterConfig.read(dir.resolve(CONFIG));
    }

    /**
     * Loads an adapter folder onto {@code base}, which must be the model it was trained on: {@code baseModel} must
     * equal the recorded {@code base_model_name_or_path} and the base's weights its fingerprint. The base must have no
     * adapter installed or merged.
     */
    public static AdaptedClassifier read(Path dir, PretrainedModel base, String baseModel) throws IOException {
        Path configFile = dir.resolve(CONFIG);
        NativeAdapterConfig config = NativeAdapterConfig.read(configFile);
        AdapterMethod method = config.method();
        if (!config.baseModel().equals(baseModel)) {
            throw new AdapterFormatException(configFile + ": base_model_name_or_path is '" + config.baseModel()
                    + "' but the adapter is being loaded onto '" + baseModel + "'");
        }
        List<AdaptableLinear> targets = targets(base, config, configFile);
        String fingerprint = BaseModelFingerprint.of(base);
        if (!fingerprint.equals(config.baseModelFingerprint())) {
            throw new AdapterFormatException(configFile + ": base_model_fingerprint " + config.baseModelFingerprint()
                    + " does not match the weights of the base model it is being loaded onto (" + fingerprint + "):"
                    + " the adapter was trained on other weights, or an adapter is merged into this base");
        }

        Path weights = dir.resolve(WEIGHTS);
        Map<String, Shape> expected = expectedShapes(targets, method, config.labels().size(),
                base.backbone().config().hiddenSize());
        String stores = "a " + method.name() + " adapter stores " + method.storedShapes(1, 1).keySet()
                + " under each of its " + targets.size() + " layers, and the head " + AdaptedClassifier.HEAD
                + ".weight / .bias";
        Map<String, float[]> values = readTensors(weights, expected, stores);

        NDManager manager = base.manager().newSubManager();
        try {
            Map<String, AdapterLayer> layers = new LinkedHashMap<>();
            for (AdaptableLinear linear : targets) {
                Map<String, NDArray> stored = new LinkedHashMap<>();
                for (String name : method.storedShapes(linear.outFeatures(), linear.inFeatures()).keySet()) {
                    String key = PREFIX + linear.path() + "." + name;
                    stored.put(name, manager.create(values.get(key), expected.get(key)));
                }
                layers.put(linear.path(), method.restore(linear.weight().getArray(), stored, manager));
            }
            String head = PREFIX + AdaptedClassifier.HEAD;
            return AdaptedClassifier.assemble(base, config.labels(), method, layers,
                    manager.create(values.get(head + ".weight"), expected.get(head + ".weight")),
                    manager.create(values.get(head + ".bias"), expected.get(head + ".bias")), manager);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** The layers the config's targets select on {@code base}; they must be exactly the recorded {@code layers}. */
    private static List<AdaptableLinear> targets(PretrainedModel base, NativeAdapterConfig config, Path file)
            throws AdapterFormatException {
        List<AdaptableLinear> targets;
        try {
            targets = AdaptedClassifier.targets(base, config.method().targets());
        } catch (IllegalArgumentException e) {
            throw new AdapterFormatException(file + ": " + e.getMessage(), e);
        }
        List<String> paths = targets.stream().map(AdaptableLinear::path).toList();
        if (!paths.equals(config.layers())) {
            List<String> missing = new ArrayList<>(config.layers());
            missing.removeAll(paths);
            List<String> extra = new ArrayList<>(paths);
            extra.removeAll(config.layers());
            throw new AdapterFormatException(file + ": layers do not match what target_modules "
                    + config.method().targets() + " selects on this base model (recorded but not selected: " + missing
                    + "; selected but not recorded: " + extra + ")");
        }
        return targets;
    }

    /** Every tensor name the file must hold, with its shape, in writing order. */
    static Map<String, Shape> expectedShapes(List<AdaptableLinear> targets, AdapterMethod method, int labels,
                                                     int hidden) {
        Map<String, Shape> expected = new LinkedHashMap<>();
        for (AdaptableLinear linear : targets) {
            method.storedShapes(linear.outFeatures(), linear.inFeatures())
                    .forEach((name, shape) -> expected.put(PREFIX + linear.path() + "." + name, shape));
        }
        expected.put(PREFIX + AdaptedClassifier.HEAD + ".weight", new Shape(labels, hidden));
        expected.put(PREFIX + AdaptedClassifier.HEAD + ".bias", new Shape(labels));
        return expected;
    }

    /** The values of exactly the {@code expected} tensors, each checked for dtype, shape and finiteness. */
    static Map<String, float[]> readTensors(Path weights, Map<String, Shape> expected, String stores)
            throws IOException {
        if (!Files.isRegularFile(weights)) {
            throw new AdapterFormatException("adapter folder " + weights.getParent() + " has no "
                    + weights.getFileName());
        }
        Map<String, Tensor> stored;
        try {
            stored = SafetensorsFile.read(weights);
        } catch (SafetensorsFormatException e) {
            throw new AdapterFormatException(e.getMessage(), e);
        }
        List<String> unexpected = stored.keySet().stream().filter(key -> !expected.containsKey(key)).toList();
        if (!unexpected.isEmpty()) {
            throw new AdapterFormatException(weights + ": unexpected tensor '" + unexpected.getFirst() + "'"
                    + (unexpected.size() > 1 ? " (and " + (unexpected.size() - 1) + " more)" : "")
                    + "; " + stores);
        }
        Map<String, float[]> values = new LinkedHashMap<>();
        for (Map.Entry<String, Shape> entry : expected.entrySet()) {
            String key = entry.getKey();
            Tensor tensor = stored.get(key);
            if (tensor == null) {
                throw new AdapterFormatException(weights + ": missing tensor '" + key + "'");
            }
            if (tensor.dtype() != DType.F32) {
                throw new AdapterFormatException(weights + ": tensor '" + key + "' is " + tensor.dtype()
                        + "; adapters are stored as F32 so that they load exactly as trained");
            }
            Shape shape = new Shape(tensor.shape());
            if (!shape.equals(entry.getValue())) {
                throw new AdapterFormatException(weights + ": tensor '" + key + "' has shape "
                        + Arrays.toString(tensor.shape()) + ", expected " + Arrays.toString(entry.getValue().getShape())
                        + " from adapter_config.json (r, method, placement, labels) and the base model");
            }
            float[] floats = tensor.toFloats();
            for (int i = 0; i < floats.length; i++) {
                if (!Float.isFinite(floats[i])) {
                    throw new AdapterFormatException(weights + ": tensor '" + key + "' has a non-finite value ("
                            + floats[i] + ") at flat index " + i);
                }
            }
            values.put(key, floats);
        }
        return values;
    }
}
