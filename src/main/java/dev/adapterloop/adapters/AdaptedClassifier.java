package dev.adapterloop.adapters;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.adapterloop.model.AdaptableLinear;
import dev.adapterloop.model.AdapterRouting;
import dev.adapterloop.model.PretrainedModel;
import dev.adapterloop.model.ResidentTensors;
import dev.adapterloop.model.SequenceClassifier;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A frozen pretrained encoder with adapters installed on its target layers and a trainable classification head.
 * Adapter and head tensors live in this object's own NDManager; closing it removes the adapters and leaves the base
 * encoder exactly as it was, so one loaded base model serves job after job.
 */
public final class AdaptedClassifier implements AutoCloseable {

    public static final String HEAD = "classifier";

    private final PretrainedModel base;
    private final SequenceClassifier classifier;
    private final AdapterMethod method;
    private final Map<String, AdapterLayer> layers;
    private final NDManager manager;
    private final ParameterStore parameterStore;
    private final Map<String, NDArray> unmergedWeights = new LinkedHashMap<>();
    private volatile boolean detached;

    private AdaptedClassifier(PretrainedModel base, SequenceClassifier classifier, AdapterMethod method,
                              Map<String, AdapterLayer> layers, NDManager manager) {
        this.base = base;
        this.classifier = classifier;
        this.method = method;
        this.layers = Collections.unmodifiableMap(layers);
        this.manager = manager;
        this.parameterStore = new ParameterStore(manager, false);
    }

    /** Fresh adapters of {@code method} and a fresh head; all randomness comes from {@code seed}. */
    public static AdaptedClassifier create(PretrainedModel base, List<String> labels, AdapterMethod method,
                                           long seed) {
        NDManager manager = base.manager().newSubManager();
        try {
            Random random = new Random(seed);
            Map<String, AdapterLayer> layers = AdapterInstallation.initialize(base.backbone(), method, manager,
                    random);
            SequenceClassifier classifier = new SequenceClassifier(base.backbone(), labels);
            classifier.initializeHead(manager, random.nextLong());
            return install(base, classifier, method, layers, manager);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Adapters and head from tensors keyed by module path + name, as {@link AdapterMethod#storedShapes} names them
     * (see {@link PeftAdapterFiles}); names and shapes are checked on the way in.
     */
    static AdaptedClassifier restore(PretrainedModel base, List<String> labels, AdapterMethod method,
                                     Map<String, NDArray> tensors, NDManager manager) {
        Map<String, AdapterLayer> layers = AdapterInstallation.restore(base.backbone(), method, tensors, manager);
        SequenceClassifier classifier = new SequenceClassifier(base.backbone(), labels);
        classifier.setHead(require(tensors, HEAD + ".weight"), require(tensors, HEAD + ".bias"));
        return install(base, classifier, method, layers, manager);
    }

    /**
     * A model from layers already built (e.g. restored from a file) and a stored head; {@code manager} owns their
     * arrays and is closed with the model.
     */
    static AdaptedClassifier assemble(PretrainedModel base, List<String> labels, AdapterMethod method,
                                      Map<String, AdapterLayer> layers, NDArray headWeight, NDArray headBias,
                                      NDManager manager) {
        SequenceClassifier classifier = new SequenceClassifier(base.backbone(), labels);
        classifier.setHead(headWeight, headBias);
        return install(base, classifier, method, layers, manager);
    }

    /** The layers of {@code base} that {@code modules} selects, in model order; none is an error. */
    static List<AdaptableLinear> targets(PretrainedModel base, TargetModules modules) {
        return AdapterInstallation.targets(base.backbone(), modules);
    }

    private static AdaptedClassifier install(PretrainedModel base, SequenceClassifier classifier,
                                             AdapterMethod method, Map<String, AdapterLayer> layers,
                                             NDManager manager) {
        AdapterInstallation.install(base.backbone(), layers);
        return new AdaptedClassifier(base, classifier, method, layers, manager);
    }

    private static NDArray require(Map<String, NDArray> tensors, String name) {
        NDArray array = tensors.get(name);
        if (array == null) {
            throw new IllegalArgumentException("adapter has no tensor " + name);
        }
        return array;
    }

    public AdapterMethod method() {
        return method;
    }

    public List<String> labels() {
        return classifier.labels();
    }

    public PretrainedModel base() {
        return base;
    }

    public Map<String, AdapterLayer> layers() {
        return layers;
    }

    /**
     * Every trainable tensor keyed by module path + PEFT suffix (e.g.
     * {@code encoder.layer.0.attention.self.query.lora_A.weight}, {@code classifier.weight}), in a stable order.
     */
    public Map<String, NDArray> trainableParameters() {
        Map<String, NDArray> named = AdapterInstallation.factors(layers);
        named.put(HEAD + ".weight", classifier.headWeight().getArray());
        named.put(HEAD + ".bias", classifier.headBias().getArray());
        return named;
    }

    /**
     * @param batch (input ids, attention mask, token type ids) from the tokenizer's collate
     */
    public NDArray logits(NDList batch, boolean training) {
        if (detached) {
            return AdapterRouting.apply(List.of(segment(batch.get(0).getShape().get(0))),
                    () -> classifier.forward(parameterStore, batch.get(0), batch.get(1), batch.get(2), training));
        }
        return classifier.forward(parameterStore, batch.get(0), batch.get(1), batch.get(2), training);
    }

    /**
     * Takes the adapters off the base's layers but keeps them, so that other versions can be loaded on the same base:
     * from now on {@link #logits} routes this model's rows through its adapters ({@link AdapterRouting}) and
     * {@link SharedBaseBatch} can put its rows in one pass with other detached versions' rows. Inference only: a
     * detached model cannot be merged.
     */
    public void detach() {
        if (isMerged()) {
            throw new IllegalStateException("a merged model cannot be detached from its base");
        }
        AdapterInstallation.uninstall(base.backbone(), layers);
        detached = true;
    }

    public boolean isDetached() {
        return detached;
    }

    /** Bytes of this model's own tensors (adapters, anything a method keeps per layer, head), not the base's. */
    public long residentBytes() {
        return ResidentTensors.bytes(manager);
    }

    /** This model's {@code items} rows of a routed batch. */
    AdapterRouting.Segment segment(long items) {
        return new AdapterRouting.Segment(Math.toIntExact(items), layers);
    }

    /** The head's logits for rows of pooled features ({@link SharedBaseBatch}). */
    NDArray headLogits(NDArray features) {
        return classifier.head(parameterStore, features, false);
    }

    /** Pooled features of a batch whose rows are routed by the caller ({@link SharedBaseBatch}). */
    NDArray routedFeatures(NDList batch) {
        return classifier.features(parameterStore, batch.get(0), batch.get(1), batch.get(2), false);
    }

    /**
     * Folds every adapter into its layer's weight for inference without the adapter path. The original weights are
     * kept and {@link #unmerge()} puts them back exactly: recomputing W0 from the merged weight (subtracting a delta
     * or inverting LoRMA's factor) would lose precision.
     */
    public void merge() {
        if (!unmergedWeights.isEmpty()) {
            return;
        }
        if (detached) {
            throw new IllegalStateException("a model detached from a shared base cannot be merged into it");
        }
        Map<String, AdaptableLinear> linears = base.backbone().linearLayers();
        layers.forEach((path, layer) -> {
            AdaptableLinear linear = linears.get(path);
            NDArray original = linear.weight().getArray().duplicate();
            original.attach(manager);
            try (NDManager scope = manager.newSubManager()) {
                NDArray merged = layer.effectiveWeight(linear.weight().getArray(), scope);
                merged.attach(manager);
                linear.replaceWeight(merged);
            }
            linear.setAdapter(null);
            unmergedWeights.put(path, original);
        });
    }

    /** Restores the original frozen weights and routes the layers through their adapters again. */
    public void unmerge() {
        Map<String, AdaptableLinear> linears = base.backbone().linearLayers();
        unmergedWeights.forEach((path, original) -> {
            linears.get(path).replaceWeight(original);
            linears.get(path).setAdapter(layers.get(path));
        });
        unmergedWeights.clear();
    }

    /**
     * The original frozen weight W0 of the adapted layer at {@code path}, also while the model is merged (when the
     * layer's own weight holds the merged W). Exports compute from this so that they never apply an adapter twice.
     */
    NDArray frozenWeight(String path) {
        NDArray original = unmergedWeights.get(path);
        return original != null ? original : base.backbone().linearLayers().get(path).weight().getArray();
    }

    /**
     * Overwrites the adapters and the head in place with stored tensors ({@link WarmStart}): per layer path, the
     * tensors of {@link AdapterLayer#storedTensors()}; the arrays are consumed. Names and shapes have been checked.
     */
    void loadStored(Map<String, Map<String, NDArray>> layerTensors, NDArray headWeight, NDArray headBias) {
        if (isMerged()) {
            throw new IllegalStateException("cannot load adapter tensors into a merged model");
        }
        if (!layerTensors.keySet().equals(layers.keySet())) {
            throw new IllegalArgumentException("stored layers " + layerTensors.keySet() + " are not this model's "
                    + layers.keySet());
        }
        layerTensors.forEach((path, tensors) -> layers.get(path).loadStored(frozenWeight(path), tensors));
        classifier.setHead(headWeight, headBias);
    }

    public boolean isMerged() {
        return !unmergedWeights.isEmpty();
    }

    @Override
    public void close() {
        unmerge();
        AdapterInstallation.uninstall(base.backbone(), layers);
        manager.close();
    }
}
