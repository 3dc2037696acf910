package dev.adapterloop.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.adapterloop.dataset.LabeledExample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Model folders made from the reference oracle's tiny decoders ({@code src/test/resources/reference-models/}) plus a
 * word-level {@code tokenizer.json} whose words are {@code t0 … t<vocab-1>} (the oracle has no tokenizer: its ids
 * are random), so the whole text pipeline (tokenize, collate, classify) runs on a real decoder; and a labeled task
 * such a model can learn: whether a text's last word has an even id.
 */
public final class TinyDecoders {

    public static final Path REFERENCE = Path.of("src/test/resources/reference-models");
    private static final ObjectMapper JSON = new ObjectMapper();

    private TinyDecoders() {
    }

    /** {@code dir} with the fixture's config.json and model.safetensors and a word-level tokenizer.json. */
    public static Path folder(String fixture, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path source = REFERENCE.resolve(fixture);
        Files.copy(source.resolve("config.json"), dir.resolve("config.json"));
        Files.copy(source.resolve("model.safetensors"), dir.resolve("model.safetensors"));
        int vocab = JSON.readTree(source.resolve("config.json").toFile()).path("vocab_size").asInt();
        wordLevelTokenizer(vocab, dir.resolve("tokenizer.json"));
        return dir;
    }

    /** A word-level {@code tokenizer.json} whose words {@code t0 … t<vocab−1>} are their ids, split on whitespace. */
    public static void wordLevelTokenizer(int vocab, Path file) throws IOException {
        ObjectNode tokenizer = JSON.createObjectNode();
        tokenizer.put("version", "1.0");
        tokenizer.putNull("truncation");
        tokenizer.putNull("padding");
        tokenizer.putArray("added_tokens");
        tokenizer.putNull("normalizer");
        tokenizer.putObject("pre_tokenizer").put("type", "WhitespaceSplit");
        tokenizer.putNull("post_processor");
        tokenizer.putNull("decoder");
        ObjectNode model = tokenizer.putObject("model");
        model.put("type", "WordLevel");
        ObjectNode words = model.putObject("vocab");
        for (int i = 0; i < vocab; i++) {
            words.put("t" + i, i);
        }
        model.put("unk_token", "t0");
        JSON.writeValue(file.toFile(), tokenizer);
    }

    /**
     * {@code n} texts of 4–10 words: random words from {@code t17 … t<maxId>}, then a last word from {@code t1 … t8}
     * (label {@code a}) or {@code t9 … t16} (label {@code b}). The head reads the last token, so a model learns this
     * in a few steps.
     */
    public static List<LabeledExample> lastWordClass(int n, int maxId, long seed) {
        Random random = new Random(seed);
        List<LabeledExample> examples = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int length = 3 + random.nextInt(7);
            StringBuilder text = new StringBuilder();
            for (int w = 0; w < length; w++) {
                text.append('t').append(17 + random.nextInt(maxId - 16)).append(' ');
            }
            boolean a = random.nextBoolean();
            text.append('t').append((a ? 1 : 9) + random.nextInt(8));
            examples.add(new LabeledExample(text.toString(), a ? "a" : "b"));
        }
        return examples;
    }
}
