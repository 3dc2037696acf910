package dev.adapterloop.model.onnx;

import java.util.ArrayList;
import java.util.List;

/** Hand-built ONNX models with onnx.proto's field numbers: tiny, fast, and able to be wrong on purpose. */
final class OnnxModels {

    private final List<Proto> nodes = new ArrayList<>();
    private final List<Proto> initializers = new ArrayList<>();

    static Proto floatTensor(String name, long[] dims, float... values) {
        return new Proto().packed(1, dims).varint(2, OnnxTensor.FLOAT).string(8, name)
                .bytes(9, Proto.littleEndian(values));
    }

    static Proto int64Tensor(String name, long[] dims, long... values) {
        return new Proto().packed(1, dims).varint(2, OnnxTensor.INT64).string(8, name)
                .bytes(9, Proto.littleEndian(values));
    }

    static Proto node(String name, String opType, List<String> inputs, List<String> outputs) {
        Proto node = new Proto();
        inputs.forEach(input -> node.string(1, input));
        outputs.forEach(output -> node.string(2, output));
        return node.string(3, name).string(4, opType);
    }

    /** A Constant node whose {@code value} attribute is {@code tensor}. */
    static Proto constant(String output, Proto tensor) {
        Proto attribute = new Proto().string(1, "value").message(5, tensor).varint(20, 4);
        return node(output + "_node", "Constant", List.of(), List.of(output)).message(5, attribute);
    }

    OnnxModels initializer(Proto tensor) {
        initializers.add(tensor);
        return this;
    }

    OnnxModels node(Proto node) {
        nodes.add(node);
        return this;
    }

    Proto graph() {
        Proto graph = new Proto().string(2, "test-graph");
        nodes.forEach(node -> graph.message(1, node));
        initializers.forEach(tensor -> graph.message(5, tensor));
        graph.message(11, new Proto().string(1, "input_ids"));
        return graph.message(12, new Proto().string(1, "last_hidden_state"));
    }

    byte[] model() {
        return new Proto().varint(1, 8).string(2, "test").message(7, graph()).toByteArray();
    }
}
