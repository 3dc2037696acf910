package dev.adapterloop.model.onnx;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A NodeProto. Only tensor-valued attributes are kept (a Constant's {@code value}): nothing here needs the others.
 *
 * @param name may be empty: ONNX does not require node names
 */
public record OnnxNode(String name, String opType, List<String> inputs, List<String> outputs,
        Map<String, OnnxTensor> tensorAttributes) {

    public OnnxNode {
        Objects.requireNonNull(name, "name");
        if (opType == null || opType.isBlank()) {
            throw new IllegalArgumentException("node '" + name + "': op_type must not be blank, got '" + opType + "'");
        }
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        tensorAttributes = Collections.unmodifiableMap(new LinkedHashMap<>(tensorAttributes));
    }
}
