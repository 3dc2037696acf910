package dev.adapterloop.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.adapterloop.model.PretrainedModel;
import dev.adapterloop.model.safetensors.DType;
import dev.adapterloop.model.safetensors.SafetensorsFile;
import dev.adapterloop.model.safetensors.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The benchmark's inputs, written once so that our side and the PyTorch peer read the same bytes: a Hugging Face
 * folder ({@code config.json} + {@code model.safetensors}, fp32) of a {@link DecoderShape} with random weights drawn
 * as transformers' {@code _init_weights} draws them for Llama (normal, std 0.02; norms at 1), and a file of random
 * token ids. Every tensor draws from its own generator seeded by the seed and its name, so a file is the same on
 * every machine and for every JVM.
 */
final class RandomDecoder {

    static final double INIT_STD = 0.02;
    static final String IDS_TENSOR = "input_ids";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RandomDecoder() {
    }

    /**
     * Writes the model folder unless {@code folder} already holds this shape's config and weights of this seed.
     *
     * @return whether it wrote the files
     */
    static boolean writeFolder(DecoderShape shape, long seed, Path folder) throws IOException {
        Path config = folder.resolve(PretrainedModel.CONFIG);
        Path weights = folder.resolve(PretrainedModel.WEIGHTS);
        String configText = JSON.writeValueAsString(shape.configJson(JSON));
        if (Files.isRegularFile(weights) && Files.isRegularFile(config) && Files.readString(config).equals(configText)
                && String.valueOf(seed).equals(SafetensorsFile.metadata(weights).get("seed"))) {
            return false;
        }
        Files.createDirectories(folder);
        SafetensorsFile.write(weights, tensors(shape, seed), Map.of("format", "pt", "seed", String.valueOf(seed)));
        Files.writeString(config, configText);
        return true;
    }

    /** Every tensor of the checkpoint, with {@code LlamaForCausalLM}'s names. */
    static List<Tensor> tensors(DecoderShape shape, long seed) {
        long h = shape.hidden();
        List<Tensor> tensors = new ArrayList<>();
        tensors.add(normal("model.embed_tokens.weight", seed, shape.vocab(), h));
        for (int i = 0; i < shape.layers(); i++) {
            String layer = "model.layers." + i + ".";
            tensors.add(normal(layer + "self_attn.q_proj.weight", seed, h, h));
            tensors.add(normal(layer + "self_attn.k_proj.weight", seed, shape.kvDim(), h));
            tensors.add(normal(layer + "self_attn.v_proj.weight", seed, shape.kvDim(), h));
            tensors.add(normal(layer + "self_attn.o_proj.weight", seed, h, h));
            tensors.add(normal(layer + "mlp.gate_proj.weight", seed, shape.intermediate(), h));
            tensors.add(normal(layer + "mlp.up_proj.weight", seed, shape.intermediate(), h));
            tensors.add(normal(layer + "mlp.down_proj.weight", seed, h, shape.intermediate()));
            tensors.add(ones(layer + "input_layernorm.weight", h));
            tensors.add(ones(layer + "post_attention_layernorm.weight", h));
        }
        tensors.add(ones("model.norm.weight", h));
        if (!shape.tiedHead()) {
            tensors.add(normal("lm_head.weight", seed, shape.vocab(), h));
        }
        return tensors;
    }

    /** {@code rows} × {@code length} token ids, uniform in [0, vocab), as one I64 tensor. */
    static void writeIds(Path file, int rows, int length, int vocab, long seed) throws IOException {
        Random random = new Random(seed);
        ByteBuffer data = ByteBuffer.allocate(rows * length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < rows * length; i++) {
            data.putLong(random.nextInt(vocab));
        }
        SafetensorsFile.write(file, List.of(new Tensor(IDS_TENSOR, DType.I64, new long[] {rows, length},
                data.flip())), Map.of("seed", String.valueOf(seed)));
    }

    /** The ids {@link #writeIds} wrote, one array per row. */
    static long[][] readIds(Path file) throws IOException {
        Tensor tensor = SafetensorsFile.read(file).get(IDS_TENSOR);
        if (tensor == null || tensor.dtype() != DType.I64 || tensor.shape().length != 2) {
            throw new IOException(file + " holds no (rows, length) I64 tensor '" + IDS_TENSOR + "'");
        }
        int rows = (int) tensor.shape()[0];
        int length = (int) tensor.shape()[1];
        ByteBuffer data = tensor.data();
        long[][] ids = new long[rows][length];
        for (long[] row : ids) {
            for (int t = 0; t < length; t++) {
                row[t] = data.getLong();
            }
        }
        return ids;
    }

    private static Tensor normal(String name, long seed, long rows, long columns) {
        Random random = new Random(seed * 1_000_003L + name.hashCode());
        float[] values = new float[Math.toIntExact(rows * columns)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * INIT_STD);
        }
        return Tensor.ofFloats(name, new long[] {rows, columns}, values);
    }

    private static Tensor ones(String name, long size) {
        float[] values = new float[Math.toIntExact(size)];
        Arrays.fill(values, 1f);
        return Tensor.ofFloats(name, new long[] {size}, values);
    }
}
