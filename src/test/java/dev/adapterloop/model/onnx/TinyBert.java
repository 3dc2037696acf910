package dev.adapterloop.model.onnx;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A one-layer BERT (hidden 4, FFN 8, vocab 10) laid out the way PyTorch's exporter writes all-MiniLM-L6-v2: Hugging
 * Face names for embeddings, LayerNorms and biases, anonymous [in, out] MatMul weights whose element at [i][o] is
 * {@code 100 * i + o}, so a test can tell a transposed weight from one that is not.
 */
final class TinyBert {

    static final int HIDDEN = 4;
    static final int INTERMEDIATE = 8;
    static final int VOCAB = 10;
    static final int POSITIONS = 6;

    private static final String[][] LINEARS = {
        {"attention.self.query", "4", "4"}, {"attention.self.key", "4", "4"}, {"attention.self.value", "4", "4"},
        {"attention.output.dense", "4", "4"}, {"intermediate.dense", "4", "8"}, {"output.dense", "8", "4"},
    };

    private final Set<String> omitted = new HashSet<>();
    private boolean headReshape;
    private boolean queryAsInt64;
    private boolean queryInConstantNode;
    private boolean unnamedNodes;

    TinyBert omit(String name) {
        omitted.add(name);
        return this;
    }

    /** Adds the attention Reshape to [batch, seq, 2, 2] that reveals two heads. */
    TinyBert withHeadReshape() {
        headReshape = true;
        return this;
    }

    TinyBert queryAsInt64() {
        queryAsInt64 = true;
        return this;
    }

    TinyBert queryInConstantNode() {
        queryInConstantNode = true;
        return this;
    }

    TinyBert unnamedNodes() {
        unnamedNodes = true;
        return this;
    }

    byte[] model() {
        OnnxModels model = new OnnxModels();
        vector(model, "embeddings.word_embeddings.weight", VOCAB, HIDDEN);
        vector(model, "embeddings.position_embeddings.weight", POSITIONS, HIDDEN);
        vector(model, "embeddings.token_type_embeddings.weight", 2, HIDDEN);
        vector(model, "embeddings.LayerNorm.weight", HIDDEN);
        vector(model, "embeddings.LayerNorm.bias", HIDDEN);
        model.initializer(OnnxModels.int64Tensor("embeddings.position_ids", new long[] {1, 3}, 0, 1, 2));
        int anonymous = 700;
        for (String[] linear : LINEARS) {
            String module = "encoder.layer.0." + linear[0];
            int in = Integer.parseInt(linear[1]);
            int out = Integer.parseInt(linear[2]);
            String weight = "onnx::MatMul_" + anonymous++;
            boolean query = linear[0].equals("attention.self.query");
            if (query && queryAsInt64) {
                model.initializer(OnnxModels.int64Tensor(weight, new long[] {in, out}, new long[in * out]));
            } else if (query && queryInConstantNode) {
                Proto value = OnnxModels.floatTensor("", new long[] {in, out}, matrix(in, out));
                model.node(OnnxModels.constant(weight, value));
            } else if (!omitted.contains(module + ".weight")) {
                model.initializer(OnnxModels.floatTensor(weight, new long[] {in, out}, matrix(in, out)));
            }
            String path = "/encoder/layer.0/" + linear[0].replace('.', '/') + "/MatMul";
            model.node(OnnxModels.node(unnamedNodes ? "" : path, "MatMul", List.of("/x", weight),
                    List.of(path + "_output_0")));
            vector(model, module + ".bias", out);
        }
        for (String norm : new String[] {"attention.output.LayerNorm", "output.LayerNorm"}) {
            vector(model, "encoder.layer.0." + norm + ".weight", HIDDEN);
            vector(model, "encoder.layer.0." + norm + ".bias", HIDDEN);
        }
        if (headReshape) {
            addHeadReshape(model);
        }
        return model.model();
    }

    /** [batch, seq, 2, 2] as PyTorch exports it: Concat(Unsqueeze(batch), Unsqueeze(seq), [2], [2]). */
    private static void addHeadReshape(OnnxModels model) {
        String self = "/encoder/layer.0/attention/self/";
        model.node(OnnxModels.node(self + "Unsqueeze", "Unsqueeze", List.of("/batch"), List.of("/u0")));
        model.node(OnnxModels.node(self + "Unsqueeze_1", "Unsqueeze", List.of("/seq"), List.of("/u1")));
        model.node(OnnxModels.constant("/heads", OnnxModels.int64Tensor("", new long[] {1}, 2)));
        model.node(OnnxModels.constant("/head_size", OnnxModels.int64Tensor("", new long[] {1}, 2)));
        model.node(OnnxModels.node(self + "Concat", "Concat", List.of("/u0", "/u1", "/heads", "/head_size"),
                List.of("/shape")));
        model.node(OnnxModels.node(self + "Reshape", "Reshape", List.of("/q", "/shape"), List.of("/q_heads")));
    }

    private void vector(OnnxModels model, String name, long... dims) {
        if (omitted.contains(name)) {
            return;
        }
        int count = 1;
        for (long dim : dims) {
            count *= (int) dim;
        }
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = i * 0.5f;
        }
        model.initializer(OnnxModels.floatTensor(name, dims, values));
    }

    static float[] matrix(int in, int out) {
        float[] values = new float[in * out];
        for (int i = 0; i < in; i++) {
            for (int o = 0; o < out; o++) {
                values[i * out + o] = 100 * i + o;
            }
        }
        return values;
    }
}
