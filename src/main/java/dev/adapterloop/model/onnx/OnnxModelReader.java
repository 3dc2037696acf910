package dev.adapterloop.model.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an ONNX model's graph straight from the protobuf wire format, without generated classes (the onnx.proto
 * messages are small and we need a handful of their fields). Field numbers are those of onnx.proto; unknown fields
 * are skipped. Tensors alias the model bytes instead of copying them: a 90 MB model stays 90 MB in memory.
 */
public final class OnnxModelReader {

    // ModelProto
    private static final int MODEL_GRAPH = 7;
    // GraphProto
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int GRAPH_INPUT = 11;
    private static final int GRAPH_OUTPUT = 12;
    private static final int GRAPH_SPARSE_INITIALIZER = 15;
    // NodeProto, AttributeProto, ValueInfoProto
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_NAME = 3;
    private static final int NODE_OP_TYPE = 4;
    private static final int NODE_ATTRIBUTE = 5;
    private static final int ATTRIBUTE_NAME = 1;
    private static final int ATTRIBUTE_TENSOR = 5;
    private static final int VALUE_INFO_NAME = 1;

    private final String source;

    private OnnxModelReader(String source) {
        this.source = source;
    }

    public static OnnxGraph read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > Integer.MAX_VALUE - 8) {
            // protobuf caps a message at 2 GiB; bigger models keep their weights in external files, unsupported here
            throw new OnnxFormatException(file + ": " + size + " bytes is over the 2 GiB an ONNX protobuf can hold");
        }
        return new OnnxModelReader(file.toString()).model(ByteBuffer.wrap(Files.readAllBytes(file)));
    }

    public static OnnxGraph read(InputStream model) throws IOException {
        return read(model.readAllBytes());
    }

    /** The graph of the model in {@code bytes}; its tensors share {@code bytes}, so do not modify it afterwards. */
    public static OnnxGraph read(byte[] bytes) throws OnnxFormatException {
        return new OnnxModelReader("ONNX model").model(ByteBuffer.wrap(bytes));
    }

    private OnnxGraph model(ByteBuffer bytes) throws OnnxFormatException {
        ByteBuffer graph = parse(bytes, "ModelProto", in -> {
            ByteBuffer found = null;
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (field(tag) == MODEL_GRAPH) {
                    if (found != null) {
                        throw error("ModelProto has more than one graph");
                    }
                    found = lengthDelimited(in, tag, "ModelProto.graph");
                } else {
                    in.skipField(tag);
                }
            }
            return found;
        });
        if (graph == null) {
            throw error("no graph (ModelProto field 7) in " + bytes.remaining() + " bytes; is this an ONNX model?");
        }
        return graph(graph);
    }

    private OnnxGraph graph(ByteBuffer bytes) throws OnnxFormatException {
        List<ByteBuffer> nodeBytes = new ArrayList<>();
        List<ByteBuffer> initializerBytes = new ArrayList<>();
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        parse(bytes, "GraphProto", in -> {
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                switch (field(tag)) {
                    case GRAPH_NODE -> nodeBytes.add(lengthDelimited(in, tag, "GraphProto.node"));
                    case GRAPH_INITIALIZER -> initializerBytes.add(lengthDelimited(in, tag, "GraphProto.initializer"));
                    case GRAPH_INPUT -> inputs.add(valueInfoName(lengthDelimited(in, tag, "GraphProto.input")));
                    case GRAPH_OUTPUT -> outputs.add(valueInfoName(lengthDelimited(in, tag, "GraphProto.output")));
                    // silently skipping them would lose weights
                    case GRAPH_SPARSE_INITIALIZER -> throw error("sparse initializers are not supported");
                    default -> in.skipField(tag);
                }
            }
            return null;
        });
        Map<String, OnnxTensor> initializers = new LinkedHashMap<>();
        for (int i = 0; i < initializerBytes.size(); i++) {
            OnnxTensor tensor = tensor(initializerBytes.get(i), "initializer #" + i);
            if (tensor.name().isEmpty() || initializers.put(tensor.name(), tensor) != null) {
                throw error("initializer #" + i + " has an empty or duplicate name '" + tensor.name() + "'");
            }
        }
        List<OnnxNode> nodes = new ArrayList<>();
        for (int i = 0; i < nodeBytes.size(); i++) {
            nodes.add(node(nodeBytes.get(i), "node #" + i));
        }
        return new OnnxGraph(nodes, initializers, inputs, outputs);
    }

    private OnnxNode node(ByteBuffer bytes, String where) throws OnnxFormatException {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        String[] nameAndOp = {"", ""};
        Map<String, ByteBuffer> attributeTensors = new LinkedHashMap<>();
        parse(bytes, where, in -> {
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                switch (field(tag)) {
                    case NODE_INPUT -> inputs.add(string(in, tag, "NodeProto.input"));
                    case NODE_OUTPUT -> outputs.add(string(in, tag, "NodeProto.output"));
                    case NODE_NAME -> nameAndOp[0] = string(in, tag, "NodeProto.name");
                    case NODE_OP_TYPE -> nameAndOp[1] = string(in, tag, "NodeProto.op_type");
                    case NODE_ATTRIBUTE -> attributeTensor(lengthDelimited(in, tag, "NodeProto.attribute"), where,
                            attributeTensors);
                    default -> in.skipField(tag);
                }
            }
            return null;
        });
        String label = where + " '" + nameAndOp[0] + "'";
        Map<String, OnnxTensor> attributes = new LinkedHashMap<>();
        for (Map.Entry<String, ByteBuffer> attribute : attributeTensors.entrySet()) {
            String attributeLabel = label + " attribute " + attribute.getKey();
            attributes.put(attribute.getKey(), tensor(attribute.getValue(), attributeLabel));
        }
        try {
            return new OnnxNode(nameAndOp[0], nameAndOp[1], inputs, outputs, attributes);
        } catch (IllegalArgumentException e) {
            throw error(label + ": " + e.getMessage());
        }
    }

    /** Adds the attribute's tensor, if it has one, under the attribute's name. */
    private void attributeTensor(ByteBuffer bytes, String where, Map<String, ByteBuffer> into)
            throws OnnxFormatException {
        parse(bytes, where + " attribute", in -> {
            String name = "";
            ByteBuffer tensor = null;
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                switch (field(tag)) {
                    case ATTRIBUTE_NAME -> name = string(in, tag, "AttributeProto.name");
                    case ATTRIBUTE_TENSOR -> tensor = lengthDelimited(in, tag, "AttributeProto.t");
                    default -> in.skipField(tag);
                }
            }
            if (tensor != null) {
                into.put(name, tensor);
            }
            return null;
        });
    }

    private OnnxTensor tensor(ByteBuffer bytes, String where) throws OnnxFormatException {
        return parse(bytes, where, in -> new TensorProtoParser(this::error, where).parse(in));
    }

    private String valueInfoName(ByteBuffer bytes) throws OnnxFormatException {
        return parse(bytes, "ValueInfoProto", in -> {
            String name = "";
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (field(tag) == VALUE_INFO_NAME) {
                    name = string(in, tag, "ValueInfoProto.name");
                } else {
                    in.skipField(tag);
                }
            }
            return name;
        });
    }

    /** Parses the message in {@code bytes}, turning protobuf's errors into ones that say where in the file. */
    private <T> T parse(ByteBuffer bytes, String what, MessageBody<T> body) throws OnnxFormatException {
        int start = bytes.arrayOffset() + bytes.position();
        CodedInputStream in = CodedInputStream.newInstance(bytes.array(), start, bytes.remaining());
        in.enableAliasing(true); // length-delimited fields become views of the model bytes, not copies
        try {
            return body.parse(in);
        } catch (OnnxFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new OnnxFormatException(source + ": " + what + " is truncated or corrupt at byte "
                    + (start + in.getTotalBytesRead()) + ": " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface MessageBody<T> {
        T parse(CodedInputStream in) throws IOException;
    }

    static int field(int tag) {
        return WireFormat.getTagFieldNumber(tag);
    }

    /** The bytes of a length-delimited field, as a view of the model bytes. */
    static ByteBuffer lengthDelimited(CodedInputStream in, int tag, String what) throws IOException {
        requireLengthDelimited(tag, what);
        return in.readByteBuffer();
    }

    static String string(CodedInputStream in, int tag, String what) throws IOException {
        requireLengthDelimited(tag, what);
        return in.readStringRequireUtf8();
    }

    /** A known field with the wrong wire type is corruption, not an unknown field to skip. */
    static void requireLengthDelimited(int tag, String what) throws InvalidProtocolBufferException {
        if (WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            throw new InvalidProtocolBufferException(what + " has wire type " + WireFormat.getTagWireType(tag)
                    + ", expected " + WireFormat.WIRETYPE_LENGTH_DELIMITED);
        }
    }

    private OnnxFormatException error(String message) {
        return new OnnxFormatException(source + ": " + message);
    }
}
