package dev.adapterloop.adapters;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.adapterloop.model.AdaptableLinear;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Incremental training's warm start: loads a stored adapter version's trained factors and head into a freshly
 * created {@link AdaptedClassifier} of the same configuration, in place, so that training continues from the stored
 * adapter. Afterwards the model computes bit for bit what the stored model computed, and its arrays are the same
 * objects as before (a trainer holding {@link AdaptedClassifier#trainableParameters()} sees the loaded values).
 *
 * <p>The stored version must carry the project's own files ({@link StoredVersionFiles}: {@code native/} or, for a
 * method without a PEFT form, the top level). Its configuration must equal the model's in every field that changes
 * what the factors mean: {@code method}, {@code r}, {@code lora_alpha}, each of the method's own options
 * ({@link AdapterMethod#options()}, e.g. {@code use_rslora}, {@code placement}), {@code target_modules},
 * {@code labels}, {@code base_model_name_or_path}, {@code base_model_fingerprint} and
 * {@code layers}; the first that differs is refused with an {@link IncompatibleAdapterException} naming it. Only
 * {@code lora_dropout} may differ: it acts during training only, and the model keeps its own.
 */
public final class WarmStart {

    private WarmStart() {
    }

    /**
     * Loads the adapter version in {@code dir} into {@code model}.
     *
     * @param model     a model just created for the task's current configuration, not merged
     * @param dir       a stored version's folder ({@link StoredVersionFiles#write}), or directly an own-format folder
     * @param baseModel the base model's id as written into the version (e.g. {@code models/all-minilm-l6-v2/})
     * @return the configuration of the adapter that was loaded
     * @throws IncompatibleAdapterException the stored adapter was built for another configuration; {@code model} is
     *                                      unchanged
     * @throws AdapterFormatException       the folder is not a complete, valid own-format adapter (e.g. a version with
     *                                      only PEFT files, a missing or corrupt tensor); {@code model} is unchanged
     */
    public static NativeAdapterConfig load(AdaptedClassifier model, Path dir, String baseModel) throws IOException {
        Objects.requireNonNull(model, "model");
        if (model.isMerged()) {
            throw new IllegalStateException("warm start needs an unmerged model: unmerge it first");
        }
        Path folder = StoredVersionFiles.nativeDir(dir);
        Path configFile = folder.resolve(NativeAdapterFiles.CONFIG);
        NativeAdapterConfig stored = NativeAdapterConfig.read(configFile);
        requireCompatible(configFile.toString(), stored, model, baseModel);

        Map<String, AdaptableLinear> linears = model.base().backbone().linearLayers();
        List<AdaptableLinear> targets = new ArrayList<>();
        model.layers().keySet().forEach(path -> targets.add(linears.get(path)));
        Map<String, Shape> expected = NativeAdapterFiles.expectedShapes(targets, model.method(),
                model.labels().size(), model.base().backbone().config().hiddenSize());
        String stores = "a " + model.method().name() + " adapter stores "
                + model.method().storedShapes(1, 1).keySet() + " under each of its " + targets.size()
                + " layers, and the head " + AdaptedClassifier.HEAD + ".weight / .bias";
        // Every value is read and checked before anything in the model changes.
        Map<String, float[]> values = NativeAdapterFiles.readTensors(folder.resolve(NativeAdapterFiles.WEIGHTS),
                expected, stores);

        // The base manager has the model's device; the arrays are copied into the model's own and closed.
        try (NDManager scratch = model.base().manager().newSubManager()) {
            Map<String, Map<String, NDArray>> layers = new LinkedHashMap<>();
            model.layers().forEach((path, layer) -> {
                Map<String, NDArray> tensors = new LinkedHashMap<>();
                layer.storedTensors().keySet().forEach(name -> {
                    String key = NativeAdapterFiles.PREFIX + path + "." + name;
                    tensors.put(name, scratch.create(values.get(key), expected.get(key)));
                });
                layers.put(path, tensors);
            });
            String head = NativeAdapterFiles.PREFIX + AdaptedClassifier.HEAD;
            model.loadStored(layers, scratch.create(values.get(head + ".weight"), expected.get(head + ".weight")),
                    scratch.create(values.get(head + ".bias"), expected.get(head + ".bias")));
        }
        return stored;
    }

    /**
     * Checks, without reading any tensor, that the stored configuration fits {@code model}: the first field that
     * differs is an {@link IncompatibleAdapterException}. Useful to decide between a warm and a cold start early.
     */
    public static void requireCompatible(String source, NativeAdapterConfig stored, AdaptedClassifier model,
                                         String baseModel) throws IncompatibleAdapterException {
        AdapterMethod method = model.method();
        AdapterMethod was = stored.method();
        check(source, "method", was.name(), method.name());
        check(source, "r", was.rank(), method.rank());
        check(source, "lora_alpha", was.alpha(), method.alpha());
        for (Map.Entry<String, Object> option : method.options().entrySet()) {
            check(source, option.getKey(), was.options().get(option.getKey()), option.getValue());
        }
        check(source, "target_modules", stored.method().targets(), method.targets());
        check(source, "labels", stored.labels(), model.labels());
        check(source, "base_model_name_or_path", stored.baseModel(), baseModel);
        check(source, "base_model_fingerprint", stored.baseModelFingerprint(), BaseModelFingerprint.of(model));
        check(source, "layers", stored.layers(), List.copyOf(model.layers().keySet()));
    }

    private static void check(String source, String field, Object stored, Object current)
            throws IncompatibleAdapterException {
        if (!Objects.equals(stored, current)) {
            throw new IncompatibleAdapterException(source, field, stored, current);
        }
    }
}
