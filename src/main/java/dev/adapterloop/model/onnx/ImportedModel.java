package dev.adapterloop.model.onnx;

import dev.adapterloop.model.BertConfig;
import dev.adapterloop.model.safetensors.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A BERT encoder imported from ONNX, in Hugging Face layout.
 *
 * @param attentionHeadsFromGraph false when the graph did not reveal the head count and the importer's fallback
 *     was used
 * @param tensors F32 tensors under Hugging Face names, Linear weights [out, in], in import order
 * @param skippedInitializers initializers that are not parameters (e.g. the {@code position_ids} buffer)
 */
public record ImportedModel(BertConfig config, boolean attentionHeadsFromGraph, Map<String, Tensor> tensors,
        List<String> skippedInitializers) {

    public ImportedModel {
        Objects.requireNonNull(config, "config");
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        skippedInitializers = List.copyOf(skippedInitializers);
    }

    public long parameterCount() {
        return tensors.values().stream().mapToLong(Tensor::elementCount).sum();
    }
}
