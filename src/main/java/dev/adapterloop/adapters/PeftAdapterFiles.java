package dev.adapterloop.adapters;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.adapterloop.model.Backbone;
import dev.adapterloop.model.PretrainedModel;
import dev.adapterloop.model.safetensors.SafetensorsFile;
import dev.adapterloop.model.safetensors.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Hugging Face PEFT adapter folder: {@code adapter_config.json} and {@code adapter_model.safetensors} with keys
 * {@code base_model.model.<module path>.lora_A.weight} / {@code lora_B.weight} (and
 * {@code lora_magnitude_vector} for DoRA), and the trained head saved under {@code modules_to_save} as
 * {@code base_model.model.classifier.weight} / {@code .bias}. This is what vLLM, LoRAX, KServe and PEFT itself load.
 * Which method writes what is the method's own business ({@link AdapterMethod#peftSettings()},
 * {@link AdapterLayer#peftTensors}); reading asks the registry which method a configuration describes
 * ({@link AdapterMethods#fromPeft}).
 */
public final class PeftAdapterFiles {

    public static final String CONFIG = "adapter_config.json";
    public static final String WEIGHTS = "adapter_model.safetensors";
    private static final String PREFIX = "base_model.model.";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PeftAdapterFiles() {
    }

    /**
     * Writes the adapter folder; {@code baseModel} is recorded as {@code base_model_name_or_path}. A method without a
     * PEFT form (LoRMA_π) is refused: see {@link NativeAdapterFiles} and {@link MergedModelFiles}.
     */
    public static void write(AdaptedClassifier model, String baseModel, Path dir) throws IOException {
        List<Tensor> tensors;
        try (NDManager scope = model.base().manager().newSubManager()) {
            tensors = layerTensors(model.method(), model.layers(), model::frozenWeight, scope);
        }
        model.trainableParameters().forEach((name, array) -> {
            if (name.startsWith(AdaptedClassifier.HEAD + ".")) {
                tensors.add(tensor(name, array));
            }
        });
        writeFolder(dir, model.method(), baseModel, "FEATURE_EXTRACTION", List.of(AdaptedClassifier.HEAD),
                storedTransposed(model.base().backbone(), model.layers()), tensors);
    }

    /**
     * Writes a language-model adapter (no head) as PEFT's {@code CAUSAL_LM} folder, what PEFT, vLLM and LoRAX load
     * onto the base model; a method without a PEFT form is refused as for {@link #write}.
     */
    public static void writeLanguageModel(AdaptedLanguageModel model, String baseModel, Path dir) throws IOException {
        List<Tensor> tensors;
        try (NDManager scope = model.layers().values().iterator().next().factors().values().iterator().next()
                .getManager().newSubManager()) {
            tensors = layerTensors(model.method(), model.layers(),
                    path -> model.backbone().linearLayers().get(path).weight().getArray(), scope);
        }
        writeFolder(dir, model.method(), baseModel, "CAUSAL_LM", null,
                storedTransposed(model.backbone(), model.layers()), tensors);
    }

    /** Every layer's PEFT tensors, checked against the method's declared rank. */
    private static List<Tensor> layerTensors(AdapterMethod method, Map<String, AdapterLayer> layers,
                                             java.util.function.Function<String, NDArray> frozenWeight,
                                             NDManager scope) {
        PeftLoraSettings settings = peftSettings(method);
        List<Tensor> tensors = new ArrayList<>();
        for (Map.Entry<String, AdapterLayer> entry : layers.entrySet()) {
            String path = entry.getKey();
            Map<String, NDArray> layer = entry.getValue().peftTensors(frozenWeight.apply(path), scope)
                    .orElseThrow(() -> new IllegalStateException(method.name() + " declares a PEFT form but its"
                            + " layer " + path + " has none"));
            long rank = layer.get(AdapterArrays.LORA_A).getShape().get(0);
            if (rank != settings.r()) {
                throw new IllegalStateException(method.name() + " layer " + path + " exports rank " + rank
                        + " but its PEFT settings say r = " + settings.r());
            }
            layer.forEach((suffix, array) -> tensors.add(tensor(path + "." + suffix, array)));
        }
        return tensors;
    }

    private static PeftLoraSettings peftSettings(AdapterMethod method) {
        return method.peftSettings().orElseThrow(() -> new UnsupportedOperationException(
                method.name() + " adapters have no PEFT form (their weight change is near full rank): store them in"
                        + " the project's own format (NativeAdapterFiles, peft_type " + NativeAdapterConfig.PEFT_TYPE
                        + ") or export the merged model (MergedModelFiles)"));
    }

    private static void writeFolder(Path dir, AdapterMethod method, String baseModel, String taskType,
                                    List<String> modulesToSave, boolean fanInFanOut, List<Tensor> tensors)
            throws IOException {
        PeftLoraSettings settings = peftSettings(method);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("peft_type", "LORA");
        json.put("task_type", taskType);
        json.put("base_model_name_or_path", baseModel);
        json.put("r", settings.r());
        json.put("lora_alpha", settings.loraAlpha());
        json.put("lora_dropout", settings.loraDropout());
        json.put("use_rslora", settings.useRslora());
        json.put("use_dora", settings.useDora());
        json.put("target_modules", method.targets().toPeftValue());
        json.put("bias", "none");
        json.put("fan_in_fan_out", fanInFanOut);
        json.put("init_lora_weights", true);
        json.put("inference_mode", true);
        json.put("modules_to_save", modulesToSave);
        Files.createDirectories(dir);
        JSON.writeValue(dir.resolve(CONFIG).toFile(), json);
        SafetensorsFile.write(dir.resolve(WEIGHTS), tensors, Map.of("format", "pt"));
    }

    /** Whether the adapted layers' base weights are stored (in, out) in the checkpoint (GPT-2's Conv1D). */
    private static boolean storedTransposed(Backbone backbone, Map<String, AdapterLayer> layers) {
        return backbone.storedTransposed(layers.keySet().iterator().next() + ".weight");
    }

    private static Tensor tensor(String name, NDArray array) {
        return Tensor.ofFloats(PREFIX + name, array.getShape().getShape(),
                array.toType(DataType.FLOAT32, false).toFloatArray());
    }

    /**
     * Reads the configuration of a PEFT LoRA folder as the registered method it describes (LoRA, or DoRA with
     * {@code use_dora}), with errors that name the bad field.
     */
    public static AdapterMethod readConfig(Path dir) throws IOException {
        Path file = dir.resolve(CONFIG);
        if (!Files.isRegularFile(file)) {
            throw new IOException("adapter folder " + dir + " has no " + CONFIG);
        }
        JsonNode json = JSON.readTree(file.toFile());
        String type = json.path("peft_type").asText("");
        if (!type.equals("LORA")) {
            throw new IOException(file + ": peft_type must be LORA, got '" + type + "'");
        }
        JsonNode targets = json.path("target_modules");
        TargetModules modules;
        if (targets.isTextual()) {
            modules = TargetModules.parse("re:" + targets.asText());
        } else if (targets.isArray()) {
            List<String> names = new ArrayList<>();
            targets.forEach(node -> names.add(node.asText()));
            modules = new TargetModules(names, null);
        } else {
            throw new IOException(file + ": target_modules must be a list or a regex string");
        }
        if (!json.path("r").canConvertToInt() || !json.path("lora_alpha").isNumber()) {
            throw new IOException(file + ": r and lora_alpha must be numbers");
        }
        // fan_in_fan_out only says how the *base* weight is stored (GPT-2's Conv1D: (in, out)); PEFT sets it per
        // layer type whatever the file says, and lora_A (r, in) / lora_B (out, r) have the same shapes either way.
        // The backbone holds every weight (out, in), so the flag needs no action here.
        try {
            return AdapterMethods.fromPeft(new PeftLoraSettings(json.path("r").asInt(),
                    json.path("lora_alpha").asDouble(), json.path("lora_dropout").asDouble(0),
                    json.path("use_rslora").asBoolean(false), json.path("use_dora").asBoolean(false)), modules);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Loads an adapter folder onto {@code base}: every tensor must belong to a targeted layer or the head, have the
     * right shape and finite values; anything else is an error rather than a silently partial load.
     */
    public static AdaptedClassifier read(Path dir, PretrainedModel base, List<String> labels) throws IOException {
        AdapterMethod config = readConfig(dir);
        NDManager manager = base.manager().newSubManager();
        try {
            Path weights = dir.resolve(WEIGHTS);
            Map<String, NDArray> tensors = readTensors(dir, manager);
            AdaptedClassifier model = AdaptedClassifier.restore(base, labels, config, tensors, manager);
            List<String> unused = new ArrayList<>(tensors.keySet());
            unused.removeAll(model.trainableParameters().keySet());
            if (!unused.isEmpty()) {
                model.close();
                throw new IOException(weights + ": tensors that match no targeted layer: " + unused);
            }
            return model;
        } catch (IllegalArgumentException | IllegalStateException e) {
            manager.close();
            throw new IOException(dir.resolve(WEIGHTS) + ": " + e.getMessage(), e);
        } catch (IOException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Loads a PEFT {@code CAUSAL_LM} adapter folder (no head) onto {@code backbone}, with the same checks as
     * {@link #read}: a tensor that belongs to no targeted layer (e.g. a head saved under {@code modules_to_save})
     * is an error.
     */
    public static AdaptedLanguageModel readLanguageModel(Path dir, Backbone backbone, NDManager parent)
            throws IOException {
        AdapterMethod config = readConfig(dir);
        NDManager manager = parent.newSubManager();
        try {
            Map<String, NDArray> tensors = readTensors(dir, manager);
            AdaptedLanguageModel model = AdaptedLanguageModel.restore(backbone, config, tensors, manager);
            List<String> unused = new ArrayList<>(tensors.keySet());
            unused.removeAll(model.trainableParameters().keySet());
            if (!unused.isEmpty()) {
                model.close();
                throw new IOException(dir.resolve(WEIGHTS) + ": tensors that match no targeted layer: " + unused);
            }
            return model;
        } catch (IllegalArgumentException | IllegalStateException e) {
            manager.close();
            throw new IOException(dir.resolve(WEIGHTS) + ": " + e.getMessage(), e);
        } catch (IOException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Warm start of a language model from a stored PEFT {@code CAUSAL_LM} folder: the folder's factors are copied into
     * {@code model}'s layers in place ({@link AdapterLayer#loadStored}), so training continues from them. Exact only
     * where a method's PEFT tensors are the tensors it trains (LoRA, DoRA); a method exported in a derived form
     * (LoRMA₊'s {@code W0·B}, MiLoRA/PiSSA's rank-2r difference) has other tensor names and is refused, as is another
     * method, rank, alpha, option or set of layers.
     *
     * @throws AdapterFormatException the folder does not fit {@code model}; {@code model} is unchanged
     */
    public static void warmStart(AdaptedLanguageModel model, Path dir) throws IOException {
        Path configFile = dir.resolve(CONFIG);
        AdapterMethod stored = readConfig(dir);
        AdapterMethod current = model.method();
        requireSame(configFile, "method", stored.name(), current.name());
        requireSame(configFile, "r", stored.rank(), current.rank());
        requireSame(configFile, "lora_alpha", stored.alpha(), current.alpha());
        requireSame(configFile, "options", stored.options(), current.options());
        NDManager parent = model.layers().values().iterator().next().factors().values().iterator().next()
                .getManager();
        try (NDManager scratch = parent.newSubManager()) {
            Map<String, NDArray> tensors = readTensors(dir, scratch);
            Map<String, Map<String, NDArray>> byLayer = new LinkedHashMap<>();
            for (Map.Entry<String, AdapterLayer> layer : model.layers().entrySet()) {
                Map<String, NDArray> own = new LinkedHashMap<>();
                for (String name : layer.getValue().storedTensors().keySet()) {
                    NDArray value = tensors.remove(layer.getKey() + "." + name);
                    if (value == null) {
                        throw new AdapterFormatException(dir.resolve(WEIGHTS) + ": no " + layer.getKey() + "." + name
                                + " (a " + current.name() + " adapter's PEFT form is not the tensors it trains, or"
                                + " other layers were adapted)");
                    }
                    if (!value.getShape().equals(layer.getValue().storedTensors().get(name).getShape())) {
                        throw new AdapterFormatException(dir.resolve(WEIGHTS) + ": " + layer.getKey() + "." + name
                                + " has shape " + value.getShape() + ", the model's is "
                                + layer.getValue().storedTensors().get(name).getShape());
                    }
                    own.put(name, value);
                }
                byLayer.put(layer.getKey(), own);
            }
            if (!tensors.isEmpty()) {
                throw new AdapterFormatException(dir.resolve(WEIGHTS) + ": tensors of layers this model does not"
                        + " adapt: " + tensors.keySet());
            }
            byLayer.forEach((path, own) -> model.layers().get(path).loadStored(
                    model.backbone().linearLayers().get(path).weight().getArray(), own));
        }
    }

    private static void requireSame(Path file, String field, Object stored, Object current)
            throws IncompatibleAdapterException {
        if (!stored.equals(current)) {
            throw new IncompatibleAdapterException(file.toString(), field, stored, current);
        }
    }

    /** The folder's tensors keyed without PEFT's prefix and wrappers, finite and unique, on {@code manager}. */
    private static Map<String, NDArray> readTensors(Path dir, NDManager manager) throws IOException {
        Path weights = dir.resolve(WEIGHTS);
        if (!Files.isRegularFile(weights)) {
            throw new IOException("adapter folder " + dir + " has no " + WEIGHTS);
        }
        Map<String, Tensor> stored = SafetensorsFile.read(weights);
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> entry : stored.entrySet()) {
            String key = entry.getKey();
            if (!key.startsWith(PREFIX)) {
                throw new IOException(weights + ": key '" + key + "' does not start with " + PREFIX);
            }
            String name = peftName(key.substring(PREFIX.length()));
            float[] values = entry.getValue().toFloats();
            for (int i = 0; i < values.length; i++) {
                if (!Float.isFinite(values[i])) {
                    throw new IOException(weights + ": tensor " + key + " has a non-finite value at index " + i);
                }
            }
            if (tensors.containsKey(name)) {
                throw new IOException(weights + ": two tensors are named " + name + " once PEFT's adapter name"
                        + " is removed");
            }
            tensors.put(name, manager.create(values, new Shape(entry.getValue().shape())));
        }
        return tensors;
    }

    /**
     * A key without PEFT's adapter name and wrappers ({@code ….default.weight}, {@code ….modules_to_save.…}, as some
     * versions save them), and DoRA's magnitude as PEFT saves it, {@code ….lora_magnitude_vector}, however it came
     * ({@code .default}, {@code .weight}).
     */
    private static String peftName(String key) {
        String name = key.replace(".default.", ".").replace(".modules_to_save.", ".");
        for (String suffix : new String[] {".lora_magnitude_vector.weight", ".lora_magnitude_vector.default"}) {
            if (name.endsWith(suffix)) {
                return name.substring(0, name.length() - suffix.length()) + ".lora_magnitude_vector";
            }
        }
        return name;
    }
}
