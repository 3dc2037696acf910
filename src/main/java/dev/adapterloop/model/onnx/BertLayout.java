package dev.adapterloop.model.onnx;

import dev.adapterloop.model.BertConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/** The tensors of a Hugging Face {@code BertModel} state dict (pooler excluded), Linear weights as [out, in]. */
final class BertLayout {

    private BertLayout() {}

    static Map<String, long[]> shapes(BertConfig config) {
        long hidden = config.hiddenSize();
        long intermediate = config.intermediateSize();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put("embeddings.word_embeddings.weight", new long[] {config.vocabSize(), hidden});
        shapes.put("embeddings.position_embeddings.weight", new long[] {config.maxPositionEmbeddings(), hidden});
        shapes.put("embeddings.token_type_embeddings.weight", new long[] {config.typeVocabSize(), hidden});
        layerNorm(shapes, "embeddings.LayerNorm", hidden);
        for (int layer = 0; layer < config.numHiddenLayers(); layer++) {
            String prefix = "encoder.layer." + layer + ".";
            for (String projection : new String[] {"attention.self.query", "attention.self.key",
                    "attention.self.value", "attention.output.dense"}) {
                linear(shapes, prefix + projection, hidden, hidden);
            }
            layerNorm(shapes, prefix + "attention.output.LayerNorm", hidden);
            linear(shapes, prefix + "intermediate.dense", hidden, intermediate);
            linear(shapes, prefix + "output.dense", intermediate, hidden);
            layerNorm(shapes, prefix + "output.LayerNorm", hidden);
        }
        return shapes;
    }

    private static void linear(Map<String, long[]> shapes, String module, long in, long out) {
        shapes.put(module + ".weight", new long[] {out, in});
        shapes.put(module + ".bias", new long[] {out});
    }

    private static void layerNorm(Map<String, long[]> shapes, String module, long size) {
        shapes.put(module + ".weight", new long[] {size});
        shapes.put(module + ".bias", new long[] {size});
    }
}
