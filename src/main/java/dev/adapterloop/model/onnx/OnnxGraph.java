package dev.adapterloop.model.onnx;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A GraphProto's nodes, initializers and inputs/outputs, indexed by value name for walking the graph. */
public final class OnnxGraph {

    private final List<OnnxNode> nodes;
    private final Map<String, OnnxTensor> initializers;
    private final List<String> inputs;
    private final List<String> outputs;
    private final Map<String, OnnxTensor> constants = new HashMap<>();
    private final Map<String, OnnxNode> producers = new HashMap<>();
    private final Map<String, List<OnnxNode>> consumers = new HashMap<>();

    public OnnxGraph(List<OnnxNode> nodes, Map<String, OnnxTensor> initializers, List<String> inputs,
            List<String> outputs) {
        this.nodes = List.copyOf(nodes);
        this.initializers = Collections.unmodifiableMap(new LinkedHashMap<>(initializers));
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        constants.putAll(initializers);
        for (OnnxNode node : this.nodes) {
            node.outputs().forEach(output -> producers.put(output, node));
            node.inputs().forEach(input -> consumers.computeIfAbsent(input, k -> new ArrayList<>()).add(node));
            // Exporters may put weights in Constant nodes instead of initializers; both are constants to a reader.
            OnnxTensor value = node.tensorAttributes().get("value");
            if (node.opType().equals("Constant") && value != null && node.outputs().size() == 1) {
                constants.put(node.outputs().get(0), value.withName(node.outputs().get(0)));
            }
        }
    }

    public List<OnnxNode> nodes() {
        return nodes;
    }

    /** Initializers in file order. */
    public Map<String, OnnxTensor> initializers() {
        return initializers;
    }

    public List<String> inputs() {
        return inputs;
    }

    public List<String> outputs() {
        return outputs;
    }

    /** The value named {@code name} if it is known before run time: an initializer or a Constant node's output. */
    public Optional<OnnxTensor> constant(String name) {
        return Optional.ofNullable(constants.get(name));
    }

    /** The node whose output is {@code name}; empty for graph inputs and initializers. */
    public Optional<OnnxNode> producer(String name) {
        return Optional.ofNullable(producers.get(name));
    }

    /** The nodes that read {@code name}, in graph order. */
    public List<OnnxNode> consumers(String name) {
        return List.copyOf(consumers.getOrDefault(name, List.of()));
    }
}
