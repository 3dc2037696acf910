package dev.adapterloop.model.onnx;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;

/**
 * Finds the number of attention heads in a BERT graph. Weights cannot tell it (a [384, 384] query projection fits any
 * divisor of 384), but the export splits heads with a Reshape to [batch, seq, heads, head_size] whose last two
 * entries are constants; with PyTorch's exporter the shape is a Concat of run-time sizes and those constants.
 */
final class AttentionHeads {

    private AttentionHeads() {}

    /** The head count the graph's attention Reshapes agree on, or empty when none has a readable shape. */
    static OptionalInt fromGraph(OnnxGraph graph, long hiddenSize) throws OnnxFormatException {
        TreeSet<Long> counts = new TreeSet<>();
        for (OnnxNode node : graph.nodes()) {
            if (!node.opType().equals("Reshape") || !node.name().contains("/attention/") || node.inputs().size() < 2) {
                continue;
            }
            List<Long> shape = constantShape(graph, node.inputs().get(1));
            if (shape != null && shape.size() == 4 && shape.get(2) != null && shape.get(3) != null
                    && shape.get(2) > 0 && shape.get(2) * shape.get(3) == hiddenSize) {
                counts.add(shape.get(2));
            }
        }
        if (counts.size() > 1) {
            throw new OnnxFormatException("attention Reshape nodes disagree on the number of heads: " + counts);
        }
        return counts.isEmpty() ? OptionalInt.empty() : OptionalInt.of(counts.first().intValue());
    }

    /**
     * The entries of a shape value as far as they are constant: null entries are computed at run time; a null list
     * means even the length is unknown.
     */
    private static List<Long> constantShape(OnnxGraph graph, String value) throws OnnxFormatException {
        Optional<OnnxTensor> constant = graph.constant(value);
        if (constant.isPresent()) {
            return int64s(constant.get());
        }
        Optional<OnnxNode> producer = graph.producer(value);
        if (producer.isEmpty() || !producer.get().opType().equals("Concat")) {
            return null;
        }
        List<Long> shape = new ArrayList<>();
        for (String part : producer.get().inputs()) {
            Optional<OnnxTensor> partConstant = graph.constant(part);
            boolean unsqueezed = graph.producer(part).map(n -> n.opType().equals("Unsqueeze")).orElse(false);
            if (partConstant.isPresent() && partConstant.get().dataType() == OnnxTensor.INT64) {
                shape.addAll(int64s(partConstant.get()));
            } else if (unsqueezed) {
                shape.add(null); // a run-time scalar (batch or sequence length) made one-element
            } else {
                return null;
            }
        }
        return shape;
    }

    private static List<Long> int64s(OnnxTensor tensor) throws OnnxFormatException {
        if (tensor.dataType() != OnnxTensor.INT64) {
            return null;
        }
        List<Long> values = new ArrayList<>();
        for (long v : tensor.longs()) {
            values.add(v);
        }
        return values;
    }
}
