package dev.adapterloop.testing;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.adapterloop.model.decoder.CausalLmLoss;
import dev.adapterloop.model.decoder.DecoderConfig;
import dev.adapterloop.model.decoder.DecoderModel;
import dev.adapterloop.model.safetensors.SafetensorsFile;
import dev.adapterloop.model.safetensors.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small Llama-shaped decoder pretrained from scratch on some text, written as a Hugging Face folder
 * ({@code config.json}, {@code model.safetensors}, a word-level {@code tokenizer.json} built from the text's most
 * frequent words): the decoder base model of end-to-end tests, since no pretrained decoder can be downloaded here.
 * Every weight trains (Adam, next-token loss); 223,552 parameters (2 layers, hidden 64, vocabulary 2,048, tied head).
 */
public final class TinyDecoderPretraining {

    public static final int VOCAB = 2048;
    public static final int SEQUENCE = 64;
    /** HF's {@code Whitespace} pre-tokenizer: runs of word characters, or of other non-space characters. */
    private static final Pattern WORDS = Pattern.compile("\\w+|[^\\w\\s]+", Pattern.UNICODE_CHARACTER_CLASS);
    private static final List<String> SPECIALS = List.of("<unk>", "<s>", "</s>");
    private static final ObjectMapper JSON = new ObjectMapper();

    private TinyDecoderPretraining() {
    }

    /** What pretraining did: the loss of the first and of the last steps, averaged over a few. */
    public record Result(Path folder, double firstLoss, double lastLoss, long parameters) {
    }

    public static Result pretrain(List<String> texts, Path dir, int steps, long seed) throws IOException {
        Files.createDirectories(dir);
        Map<String, Integer> vocabulary = vocabulary(texts);
        writeTokenizer(vocabulary, dir.resolve("tokenizer.json"));
        ObjectNode config = config();
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), config);
        List<long[]> rows = rows(texts, vocabulary);
        Random random = new Random(seed);
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            // In-place updates of leaves that require gradients need grad mode off outside the collector.
            JniUtils.setGradMode(false);
            DecoderModel model = new DecoderModel(DecoderConfig.read(config));
            Map<String, Parameter> named = model.namedParameters();
            long parameters = 0;
            for (Map.Entry<String, Parameter> entry : named.entrySet()) {
                Shape shape = shapeOf(entry.getKey(), model.config());
                float[] values = new float[(int) shape.size()];
                boolean norm = entry.getKey().endsWith("norm.weight");
                for (int i = 0; i < values.length; i++) {
                    values[i] = norm ? 1f : (float) (random.nextGaussian() * 0.02);
                }
                NDArray array = manager.create(values, shape);
                array.setRequiresGradient(true);
                entry.getValue().setArray(array);
                parameters += values.length;
            }
            List<Float> losses = train(model, manager, rows, steps, random);
            List<Tensor> tensors = new ArrayList<>();
            named.forEach((name, parameter) -> tensors.add(Tensor.ofFloats(name,
                    parameter.getArray().getShape().getShape(), parameter.getArray().toFloatArray())));
            SafetensorsFile.write(dir.resolve("model.safetensors"), tensors, Map.of("format", "pt"));
            return new Result(dir, mean(losses.subList(0, 5)), mean(losses.subList(losses.size() - 5, losses.size())),
                    parameters);
        }
    }

    private static List<Float> train(DecoderModel model, NDManager manager, List<long[]> rows, int steps,
                                     Random random) {
        ParameterStore store = new ParameterStore(manager, false);
        List<NDArray> weights = model.namedParameters().values().stream().map(Parameter::getArray).toList();
        List<NDArray> first = new ArrayList<>();
        List<NDArray> second = new ArrayList<>();
        for (NDArray w : weights) {
            first.add(w.zerosLike());
            second.add(w.zerosLike());
        }
        double rate = 3e-3;
        List<Float> losses = new ArrayList<>();
        int batch = 16;
        for (int step = 1; step <= steps; step++) {
            try (NDManager scratch = manager.newSubManager()) {
                long[] ids = new long[batch * SEQUENCE];
                for (int b = 0; b < batch; b++) {
                    System.arraycopy(rows.get(random.nextInt(rows.size())), 0, ids, b * SEQUENCE, SEQUENCE);
                }
                NDArray input = scratch.create(ids, new Shape(batch, SEQUENCE));
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray hidden = model.run(store, input, input.onesLike(), null, null, true, null);
                    NDArray loss = CausalLmLoss.mean(model.logits(store, hidden, true), input);
                    collector.backward(loss);
                    losses.add(loss.getFloat());
                }
                // Adam (β 0.9 / 0.999), bias-corrected, in place.
                double correction1 = 1 - Math.pow(0.9, step);
                double correction2 = 1 - Math.pow(0.999, step);
                for (int i = 0; i < weights.size(); i++) {
                    NDArray gradient = weights.get(i).getGradient();
                    gradient.attach(scratch);
                    first.get(i).muli(0.9f).addi(gradient.mul(0.1f));
                    second.get(i).muli(0.999f).addi(gradient.square().mul(0.001f));
                    NDArray update = first.get(i).div((float) correction1)
                            .div(second.get(i).div((float) correction2).sqrt().add(1e-8f)).mul((float) rate);
                    weights.get(i).subi(update);
                    gradient.subi(gradient);
                }
            }
        }
        return losses;
    }

    private static Shape shapeOf(String name, DecoderConfig c) {
        int h = c.hiddenSize();
        if (name.endsWith("embed_tokens.weight")) {
            return new Shape(c.vocabSize(), h);
        }
        if (name.endsWith("norm.weight")) {
            return new Shape(h);
        }
        int q = c.numHeads() * c.headDim();
        int kv = c.numKvHeads() * c.headDim();
        if (name.endsWith("q_proj.weight")) {
            return new Shape(q, h);
        }
        if (name.endsWith("k_proj.weight") || name.endsWith("v_proj.weight")) {
            return new Shape(kv, h);
        }
        if (name.endsWith("o_proj.weight")) {
            return new Shape(h, q);
        }
        if (name.endsWith("down_proj.weight")) {
            return new Shape(h, c.intermediateSize());
        }
        return new Shape(c.intermediateSize(), h);
    }

    private static ObjectNode config() {
        ObjectNode c = JSON.createObjectNode();
        c.putArray("architectures").add("LlamaForCausalLM");
        c.put("model_type", "llama");
        c.put("vocab_size", VOCAB);
        c.put("hidden_size", 64);
        c.put("intermediate_size", 176);
        c.put("num_hidden_layers", 2);
        c.put("num_attention_heads", 4);
        c.put("num_key_value_heads", 2);
        c.put("max_position_embeddings", 256);
        c.put("rms_norm_eps", 1e-5);
        c.put("rope_theta", 10000.0);
        c.put("hidden_act", "silu");
        c.put("tie_word_embeddings", true);
        c.put("bos_token_id", 1);
        c.put("eos_token_id", 2);
        c.put("torch_dtype", "float32");
        return c;
    }

    private static Map<String, Integer> vocabulary(List<String> texts) {
        Map<String, Integer> counts = new HashMap<>();
        for (String text : texts) {
            Matcher m = WORDS.matcher(text.toLowerCase(Locale.ROOT));
            while (m.find()) {
                counts.merge(m.group(), 1, Integer::sum);
            }
        }
        Map<String, Integer> vocabulary = new LinkedHashMap<>();
        SPECIALS.forEach(s -> vocabulary.put(s, vocabulary.size()));
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(VOCAB - SPECIALS.size())
                .forEach(e -> vocabulary.put(e.getKey(), vocabulary.size()));
        return vocabulary;
    }

    /** The texts as ids (unknown words → {@code <unk>}), joined by {@code </s>}, cut into rows of the sequence length. */
    private static List<long[]> rows(List<String> texts, Map<String, Integer> vocabulary) {
        List<Long> stream = new ArrayList<>();
        for (String text : texts) {
            Matcher m = WORDS.matcher(text.toLowerCase(Locale.ROOT));
            while (m.find()) {
                stream.add((long) vocabulary.getOrDefault(m.group(), 0));
            }
            stream.add(2L);
        }
        List<long[]> rows = new ArrayList<>();
        for (int from = 0; from + SEQUENCE <= stream.size(); from += SEQUENCE) {
            long[] row = new long[SEQUENCE];
            for (int i = 0; i < SEQUENCE; i++) {
                row[i] = stream.get(from + i);
            }
            rows.add(row);
        }
        return rows;
    }

    private static void writeTokenizer(Map<String, Integer> vocabulary, Path file) throws IOException {
        ObjectNode tokenizer = JSON.createObjectNode();
        tokenizer.put("version", "1.0");
        tokenizer.putNull("truncation");
        tokenizer.putNull("padding");
        ArrayNode added = tokenizer.putArray("added_tokens");
        for (String special : SPECIALS) {
            added.addObject().put("id", vocabulary.get(special)).put("content", special).put("single_word", false)
                    .put("lstrip", false).put("rstrip", false).put("normalized", false).put("special", true);
        }
        tokenizer.putObject("normalizer").put("type", "Lowercase");
        tokenizer.putObject("pre_tokenizer").put("type", "Whitespace");
        tokenizer.putNull("post_processor");
        tokenizer.putObject("decoder").put("type", "WordPiece").put("prefix", "##").put("cleanup", true);
        ObjectNode model = tokenizer.putObject("model");
        model.put("type", "WordLevel");
        ObjectNode words = model.putObject("vocab");
        vocabulary.forEach(words::put);
        model.put("unk_token", "<unk>");
        JSON.writeValue(file.toFile(), tokenizer);
    }

    private static double mean(List<Float> values) {
        return values.stream().mapToDouble(Float::doubleValue).average().orElse(Double.NaN);
    }
}
