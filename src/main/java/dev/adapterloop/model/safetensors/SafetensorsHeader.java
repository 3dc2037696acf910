package dev.adapterloop.model.safetensors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON header of a safetensors file: parsed and validated as strictly as the reference implementation (every
 * byte of the data section belongs to exactly one tensor), and written the way the reference writes it.
 */
record SafetensorsHeader(Map<String, String> metadata, List<Entry> entries) {

    /** The reference implementation refuses headers over 100 MB; so do we, before allocating anything. */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final String METADATA_KEY = "__metadata__";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One tensor's header entry; offsets are relative to the start of the data section. */
    record Entry(String name, DType dtype, long[] shape, long begin, long end) {}

    SafetensorsHeader {
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        entries = List.copyOf(entries);
    }

    /**
     * Parses {@code json} and checks it against a data section of {@code dataLength} bytes. Entries come back in
     * header order; {@code source} names the file in error messages.
     */
    static SafetensorsHeader parse(byte[] json, long dataLength, String source) throws SafetensorsFormatException {
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        try (JsonParser parser = JSON.createParser(json)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw error(source, "header is empty");
            }
            if (first != JsonToken.START_OBJECT) {
                throw error(source, "header must be a JSON object, starts with " + first);
            }
            // Streaming over the top level lets us name a duplicate key; a tree would keep the last one silently.
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                parser.nextToken();
                JsonNode value = parser.readValueAsTree();
                if (!seen.add(key)) {
                    throw error(source, "duplicate tensor name '" + key + "' in header");
                }
                if (key.equals(METADATA_KEY)) {
                    metadata.putAll(parseMetadata(value, source));
                } else {
                    entries.add(parseEntry(key, value, source));
                }
            }
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw error(source, "unexpected " + trailing + " after the header object");
            }
        } catch (JsonProcessingException e) {
            throw new SafetensorsFormatException(source + ": header is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (SafetensorsFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new SafetensorsFormatException(source + ": cannot read header: " + e.getMessage(), e);
        }
        checkCoverage(entries, dataLength, source);
        return new SafetensorsHeader(metadata, entries);
    }

    private static Map<String, String> parseMetadata(JsonNode value, String source) throws SafetensorsFormatException {
        if (!value.isObject()) {
            throw error(source, METADATA_KEY + " must be an object of strings, got " + value.getNodeType());
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : value.properties()) {
            if (!field.getValue().isTextual()) {
                throw error(source, METADATA_KEY + " value for '" + field.getKey() + "' must be a string, got "
                        + field.getValue());
            }
            metadata.put(field.getKey(), field.getValue().textValue());
        }
        return metadata;
    }

    private static Entry parseEntry(String name, JsonNode value, String source) throws SafetensorsFormatException {
        String where = "tensor '" + name + "'";
        if (!value.isObject()) {
            throw error(source, where + " must be an object, got " + value.getNodeType());
        }
        JsonNode dtypeNode = value.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw error(source, where + ": dtype must be a string, got " + dtypeNode);
        }
        DType dtype = DType.fromHeaderName(dtypeNode.textValue()).orElseThrow(() -> error(source, where
                + ": unknown dtype '" + dtypeNode.textValue() + "' (supported: " + Arrays.toString(DType.values())
                + ")"));
        long[] shape = longs(value.get("shape"), -1, where + ": shape", source);
        long[] offsets = longs(value.get("data_offsets"), 2, where + ": data_offsets", source);
        long expected;
        try {
            expected = Tensor.byteCount(shape, dtype);
        } catch (IllegalArgumentException e) {
            throw error(source, where + ": " + e.getMessage());
        }
        long begin = offsets[0];
        long end = offsets[1];
        if (begin > end) {
            throw error(source, where + ": data_offsets " + Arrays.toString(offsets) + " begin after they end");
        }
        if (end - begin != expected) {
            throw error(source, where + ": data_offsets " + Arrays.toString(offsets) + " hold " + (end - begin)
                    + " bytes but shape " + Arrays.toString(shape) + " of " + dtype + " needs " + expected);
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    /** A JSON array of non-negative integers; {@code length} -1 accepts any length. */
    private static long[] longs(JsonNode node, int length, String what, String source)
            throws SafetensorsFormatException {
        if (node == null || !node.isArray() || (length >= 0 && node.size() != length)) {
            String wanted = length >= 0 ? "an array of " + length + " integers" : "an array of integers";
            throw error(source, what + " must be " + wanted + ", got " + node);
        }
        long[] values = new long[node.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode element = node.get(i);
            if (!element.isIntegralNumber() || !element.canConvertToLong() || element.longValue() < 0) {
                throw error(source, what + " must hold non-negative integers, got " + element + " at index " + i);
            }
            values[i] = element.longValue();
        }
        return values;
    }

    /** Tensors must tile the data section exactly, as the reference requires: no overlap, no hole, nothing after. */
    private static void checkCoverage(List<Entry> entries, long dataLength, String source)
            throws SafetensorsFormatException {
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end).thenComparing(Entry::name));
        long covered = 0;
        String previous = null;
        for (Entry entry : byOffset) {
            if (entry.end() > dataLength) {
                throw error(source, "tensor '" + entry.name() + "': data_offsets end " + entry.end()
                        + " is beyond the data section of " + dataLength + " bytes");
            }
            if (entry.begin() < covered) {
                throw error(source, "tensor '" + entry.name() + "': data_offsets [" + entry.begin() + ", " + entry.end()
                        + "] overlap tensor '" + previous + "', which ends at " + covered);
            }
            if (entry.begin() > covered) {
                throw error(source, "data section bytes [" + covered + ", " + entry.begin()
                        + ") belong to no tensor (hole before tensor '" + entry.name() + "')");
            }
            covered = entry.end();
            previous = entry.name();
        }
        if (covered != dataLength) {
            throw error(source, "data section bytes [" + covered + ", " + dataLength + ") belong to no tensor");
        }
    }

    /** The header for {@code tensors} laid out back to back in the given order, padded with spaces to 8 bytes. */
    static byte[] serialize(List<Tensor> tensors, Map<String, String> metadata) {
        ObjectNode root = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(METADATA_KEY);
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Tensor tensor : tensors) {
            ObjectNode entry = root.putObject(tensor.name());
            entry.put("dtype", tensor.dtype().name());
            ArrayNode shape = entry.putArray("shape");
            for (long dim : tensor.shape()) {
                shape.add(dim);
            }
            long end = offset + tensor.data().remaining();
            entry.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = root.toString().getBytes(StandardCharsets.UTF_8);
        // The 8-byte length prefix plus a header padded to 8 keeps the data section 8-byte aligned for mmap readers.
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    private static SafetensorsFormatException error(String source, String message) {
        return new SafetensorsFormatException(source + ": " + message);
    }
}
