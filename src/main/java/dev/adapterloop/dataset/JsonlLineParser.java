package dev.adapterloop.dataset;

import dev.adapterloop.dataset.JsonlRecordReader.InvalidLine;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.Locale;

/** Turns one JSONL line into a {@link LabeledExample}, or says in a few words why it cannot. */
final class JsonlLineParser {
    // Trailing tokens and duplicate keys would otherwise pass silently ("{..} {..}", a second "label" winning).
    private static final ObjectReader READER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build()
            .reader();

    private JsonlLineParser() {
    }

    static LabeledExample parse(byte[] line) throws InvalidLine {
        JsonNode node = object(line);
        return new LabeledExample(requiredString(node, "text"), requiredString(node, "label"));
    }

    /** The line as a JSON object: strict about trailing tokens and duplicate keys. */
    static JsonNode object(byte[] line) throws InvalidLine {
        JsonNode node;
        try {
            node = READER.readTree(line);
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            throw new InvalidLine("malformed JSON" + (at == null ? "" : " at column " + at.getColumnNr()) + ": "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidLine("malformed JSON: " + e.getMessage());
        }
        if (!node.isObject()) {
            throw new InvalidLine("expected a JSON object, got " + typeOf(node));
        }
        return node;
    }

    static String requiredString(JsonNode object, String field) throws InvalidLine {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            throw new InvalidLine("`" + field + "` is missing");
        }
        if (!value.isTextual()) {
            throw new InvalidLine("`" + field + "` must be a string, got " + typeOf(value));
        }
        if (value.textValue().isBlank()) {
            throw new InvalidLine("`" + field + "` is empty or whitespace");
        }
        return value.textValue();
    }

    static String typeOf(JsonNode node) {
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
