package dev.adapterloop.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What a decoder needs to know about its tokenizer beyond {@code tokenizer.json}'s encode and decode: the special
 * tokens and their ids, whether encoding adds BOS/EOS, the id a batch pads with, the ids that end generation and the
 * chat template. Read from the optional {@code tokenizer_config.json} next to {@code tokenizer.json}, with token
 * strings resolved to ids through {@code tokenizer.json} (added tokens first, then the model's vocabulary, as
 * transformers' {@code convert_tokens_to_ids} does), plus the ids the model's {@code config.json} names.
 *
 * @param bos           tokenizer_config's {@code bos_token}
 * @param eos           tokenizer_config's {@code eos_token}
 * @param pad           tokenizer_config's {@code pad_token} (see {@link #batchPadId()} for the id a batch uses)
 * @param unk           tokenizer_config's {@code unk_token}
 * @param addBosToken   whether encoding with special tokens starts with {@code bos}
 * @param addEosToken   whether encoding with special tokens ends with {@code eos}
 * @param chatTemplates the chat templates by name; a single-string {@code chat_template} is named "default"
 * @param modelIds      the token ids of the model's config.json
 */
public record TokenizerSettings(
        Optional<SpecialToken> bos,
        Optional<SpecialToken> eos,
        Optional<SpecialToken> pad,
        Optional<SpecialToken> unk,
        boolean addBosToken,
        boolean addEosToken,
        Map<String, String> chatTemplates,
        ModelTokenIds modelIds) {

    public static final String TOKENIZER_CONFIG = "tokenizer_config.json";
    public static final String DEFAULT_TEMPLATE = "default";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A special token as tokenizer_config names it, and its id in tokenizer.json. */
    public record SpecialToken(String content, long id) {
        public SpecialToken {
            Objects.requireNonNull(content, "content");
        }
    }

    /**
     * The token ids a model's {@code config.json} names. {@code eos_token_id} may be a list (Llama 3.1 stops on
     * several ids); every id is >= 0.
     */
    public record ModelTokenIds(OptionalLong bos, List<Long> eos, OptionalLong pad) {
        public static final ModelTokenIds NONE =
                new ModelTokenIds(OptionalLong.empty(), List.of(), OptionalLong.empty());

        public ModelTokenIds {
            eos = List.copyOf(eos);
            for (Long id : eos) {
                if (id < 0) {
                    throw new IllegalArgumentException("eos_token_id must be >= 0, got " + id);
                }
            }
            requireNonNegative("bos_token_id", bos);
            requireNonNegative("pad_token_id", pad);
        }

        /** Reads {@code bos_token_id}, {@code eos_token_id} and {@code pad_token_id} (each may be absent or null). */
        public static ModelTokenIds read(Path configJson) throws IOException {
            JsonNode root = readJsonObject(configJson);
            String file = configJson.getFileName().toString();
            try {
                return new ModelTokenIds(optionalId(root, "bos_token_id"), idList(root, "eos_token_id"),
                        optionalId(root, "pad_token_id"));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": " + e.getMessage(), e);
            }
        }

        private static void requireNonNegative(String field, OptionalLong id) {
            if (id.isPresent() && id.getAsLong() < 0) {
                throw new IllegalArgumentException(field + " must be >= 0, got " + id.getAsLong());
            }
        }
    }

    public TokenizerSettings {
        Objects.requireNonNull(bos, "bos");
        Objects.requireNonNull(eos, "eos");
        Objects.requireNonNull(pad, "pad");
        Objects.requireNonNull(unk, "unk");
        Objects.requireNonNull(modelIds, "modelIds");
        if (addBosToken && bos.isEmpty()) {
            throw new IllegalArgumentException("add_bos_token is true but there is no bos_token");
        }
        if (addEosToken && eos.isEmpty()) {
            throw new IllegalArgumentException("add_eos_token is true but there is no eos_token");
        }
        chatTemplates = Collections.unmodifiableMap(new LinkedHashMap<>(chatTemplates));
    }

    /**
     * The id a decoder batch pads with: tokenizer_config's {@code pad_token}, else config.json's
     * {@code pad_token_id}, else the EOS id (tokenizer_config's, else config.json's first), as transformers users set
     * {@code tokenizer.pad_token = tokenizer.eos_token} for GPT-2 and Llama. Empty when none of them exists. Padded
     * positions are masked, so the choice does not change a correct model's outputs at real tokens.
     */
    public OptionalLong batchPadId() {
        if (pad.isPresent()) {
            return OptionalLong.of(pad.get().id());
        }
        if (modelIds.pad().isPresent()) {
            return modelIds.pad();
        }
        if (eos.isPresent()) {
            return OptionalLong.of(eos.get().id());
        }
        return modelIds.eos().isEmpty() ? OptionalLong.empty() : OptionalLong.of(modelIds.eos().getFirst());
    }

    /** The ids that end generation: tokenizer_config's EOS, then config.json's {@code eos_token_id}s, distinct. */
    public List<Long> stopIds() {
        Set<Long> ids = new LinkedHashSet<>();
        eos.ifPresent(token -> ids.add(token.id()));
        ids.addAll(modelIds.eos());
        return List.copyOf(ids);
    }

    /** The default chat template (the only one when tokenizer_config gives a single string). */
    public Optional<String> chatTemplate() {
        return Optional.ofNullable(chatTemplates.get(DEFAULT_TEMPLATE));
    }

    public boolean hasChatTemplate() {
        return !chatTemplates.isEmpty();
    }

    /**
     * Reads the settings for {@code tokenizerJson}: its {@code tokenizer_config.json} when the folder has one
     * (without it no special token is known, so the add flags are false and the pad id comes from {@code modelIds};
     * tokenizer.json's post-processor still adds what it adds), and {@code modelIds} from the model's config.json.
     * {@code add_bos_token}/{@code add_eos_token} default to what tokenizer.json's post-processor does; when
     * tokenizer_config states them and the post-processor disagrees, this refuses: transformers rebuilds a Llama
     * tokenizer's post-processor from these flags, DJL's tokenizer runs the file as it is, so the two would give
     * different ids.
     *
     * @throws IOException a file is missing or not JSON, a field has the wrong type, or a named token is not in
     *                     tokenizer.json
     */
    public static TokenizerSettings read(Path tokenizerJson, ModelTokenIds modelIds) throws IOException {
        Path configFile = tokenizerJson.resolveSibling(TOKENIZER_CONFIG);
        JsonNode config = Files.isRegularFile(configFile) ? readJsonObject(configFile) : JSON.createObjectNode();
        try {
            Map<String, String> contents = new LinkedHashMap<>();
            for (String field : List.of("bos_token", "eos_token", "pad_token", "unk_token")) {
                tokenContent(config, field).ifPresent(content -> contents.put(field, content));
            }
            TokenizerFile file = TokenizerFile.scan(tokenizerJson, new HashSet<>(contents.values()));
            Map<String, SpecialToken> tokens = new HashMap<>();
            for (Map.Entry<String, String> entry : contents.entrySet()) {
                Long id = file.ids().get(entry.getValue());
                if (id == null) {
                    throw new IllegalArgumentException(entry.getKey() + " '" + entry.getValue() + "' is not a token of "
                            + tokenizerJson.getFileName() + " (neither an added token nor in the model's vocab)");
                }
                tokens.put(entry.getKey(), new SpecialToken(entry.getValue(), id));
            }
            Optional<SpecialToken> bos = Optional.ofNullable(tokens.get("bos_token"));
            Optional<SpecialToken> eos = Optional.ofNullable(tokens.get("eos_token"));
            boolean addBos = addFlag(config, "bos_token", bos, file.prepended(), "start with");
            boolean addEos = addFlag(config, "eos_token", eos, file.appended(), "end with");
            return new TokenizerSettings(bos, eos, Optional.ofNullable(tokens.get("pad_token")),
                    Optional.ofNullable(tokens.get("unk_token")), addBos, addEos, chatTemplates(config), modelIds);
        } catch (IllegalArgumentException e) {
            throw new IOException(configFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@code add_<tokenField>} as tokenizer_config states it, checked against the post-processor, else what the
     * post-processor does.
     */
    private static boolean addFlag(JsonNode config, String tokenField, Optional<SpecialToken> token,
            Optional<String> postProcessorToken, String where) {
        String field = "add_" + tokenField;
        boolean does = token.isPresent() && postProcessorToken.equals(Optional.of(token.get().content()));
        JsonNode value = config.get(field);
        if (value == null || value.isNull()) {
            return does;
        }
        if (!value.isBoolean()) {
            throw new IllegalArgumentException(field + " must be a boolean, got " + value);
        }
        if (value.booleanValue() && token.isEmpty()) {
            throw new IllegalArgumentException(field + " is true but there is no " + tokenField);
        }
        if (value.booleanValue() != does) {
            throw new IllegalArgumentException(field + " is " + value.booleanValue() + " but tokenizer.json's "
                    + "post_processor does " + (does ? "" : "not ") + where + " " + token.get().content()
                    + "; DJL's tokenizer follows tokenizer.json, transformers the flag");
        }
        return does;
    }

    /** A token field: absent or null, a string, or an AddedToken object ({"content": ..., ...}). */
    private static Optional<String> tokenContent(JsonNode config, String field) {
        JsonNode value = config.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (value.isTextual()) {
            return Optional.of(value.textValue());
        }
        if (value.isObject() && value.path("content").isTextual()) {
            return Optional.of(value.get("content").textValue());
        }
        throw new IllegalArgumentException(field + " must be a string or an AddedToken object with a string "
                + "'content', got " + value);
    }

    /** {@code chat_template}: absent or null, one string, or a list of {"name": ..., "template": ...}. */
    private static Map<String, String> chatTemplates(JsonNode config) {
        JsonNode value = config.get("chat_template");
        Map<String, String> templates = new LinkedHashMap<>();
        if (value == null || value.isNull()) {
            return templates;
        }
        if (value.isTextual()) {
            templates.put(DEFAULT_TEMPLATE, value.textValue());
            return templates;
        }
        if (!value.isArray()) {
            throw new IllegalArgumentException("chat_template must be a string or a list of {name, template}, got "
                    + value.getNodeType());
        }
        for (JsonNode entry : value) {
            if (!entry.path("name").isTextual() || !entry.path("template").isTextual()) {
                throw new IllegalArgumentException("chat_template list entries must have a string 'name' and a "
                        + "string 'template', got " + abbreviate(entry.toString()));
            }
            if (templates.put(entry.get("name").textValue(), entry.get("template").textValue()) != null) {
                throw new IllegalArgumentException("chat_template names '" + entry.get("name").textValue() + "' twice");
            }
        }
        return templates;
    }

    private static OptionalLong optionalId(JsonNode root, String field) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return OptionalLong.empty();
        }
        if (!isId(value)) {
            throw new IllegalArgumentException(field + " must be an integer, got " + value);
        }
        return OptionalLong.of(value.longValue());
    }

    private static List<Long> idList(JsonNode root, String field) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (isId(value)) {
            return List.of(value.longValue());
        }
        List<Long> ids = new ArrayList<>();
        for (JsonNode id : value) {
            if (!isId(id)) {
                break;
            }
            ids.add(id.longValue());
        }
        if (!value.isArray() || ids.size() != value.size()) {
            throw new IllegalArgumentException(field + " must be an integer or a list of integers, got " + value);
        }
        return ids;
    }

    private static boolean isId(JsonNode value) {
        return value.isIntegralNumber() && value.canConvertToLong();
    }

    private static JsonNode readJsonObject(Path file) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new IOException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IOException(file + " must hold a JSON object, got "
                    + (root == null ? "nothing" : root.getNodeType()));
        }
        return root;
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }

    /**
     * What {@link #read} needs from tokenizer.json, read as a stream (Qwen's file is 11 MB): the ids of the wanted
     * token strings and the special tokens the post-processor puts first and last in a single sequence.
     */
    private record TokenizerFile(Map<String, Long> ids, Optional<String> prepended, Optional<String> appended) {

        static TokenizerFile scan(Path tokenizerJson, Set<String> wanted) throws IOException {
            Map<String, Long> added = new HashMap<>();
            Map<String, Long> vocab = new HashMap<>();
            JsonNode postProcessor = null;
            boolean sawAdded = false;
            boolean sawPostProcessor = false;
            try (InputStream in = Files.newInputStream(tokenizerJson); JsonParser parser = JSON.createParser(in)) {
                if (parser.nextToken() != JsonToken.START_OBJECT) {
                    throw new IOException(tokenizerJson + " must hold a JSON object");
                }
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String field = parser.currentName();
                    parser.nextToken();
                    switch (field) {
                        case "added_tokens" -> {
                            readAddedTokens(tokenizerJson, parser.readValueAsTree(), wanted, added);
                            sawAdded = true;
                        }
                        case "post_processor" -> {
                            postProcessor = parser.readValueAsTree();
                            sawPostProcessor = true;
                        }
                        case "model" -> readModelVocab(parser, wanted, vocab);
                        default -> parser.skipChildren();
                    }
                    if (sawAdded && sawPostProcessor && added.keySet().containsAll(wanted)) {
                        break; // the rest (the model's vocab and merges) cannot change the answer
                    }
                }
            } catch (JsonProcessingException e) {
                throw new IOException(tokenizerJson + " is not valid JSON: " + e.getOriginalMessage(), e);
            }
            Map<String, Long> ids = new HashMap<>(vocab);
            ids.putAll(added);
            return new TokenizerFile(ids, specialAt(postProcessor, true), specialAt(postProcessor, false));
        }

        private static void readAddedTokens(Path file, JsonNode tokens, Set<String> wanted, Map<String, Long> out)
                throws IOException {
            if (!tokens.isArray()) {
                throw new IOException(file + ": added_tokens must be a list, got " + tokens.getNodeType());
            }
            for (JsonNode token : tokens) {
                if (!token.path("content").isTextual() || !isId(token.path("id"))) {
                    throw new IOException(file + ": an added token needs a string 'content' and an integer 'id', got "
                            + abbreviate(token.toString()));
                }
                if (wanted.contains(token.get("content").textValue())) {
                    out.put(token.get("content").textValue(), token.get("id").longValue());
                }
            }
        }

        /** BPE/WordPiece/WordLevel vocab: {"token": id, ...}; Unigram: [["piece", score], ...], id = index. */
        private static void readModelVocab(JsonParser parser, Set<String> wanted, Map<String, Long> out)
                throws IOException {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                parser.skipChildren();
                return;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (!field.equals("vocab")) {
                    parser.skipChildren();
                } else if (value == JsonToken.START_OBJECT) {
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String token = parser.currentName();
                        parser.nextToken();
                        if (wanted.contains(token) && parser.currentToken().isNumeric()) {
                            out.put(token, parser.getLongValue());
                        }
                    }
                } else if (value == JsonToken.START_ARRAY) {
                    long index = 0;
                    while (parser.nextToken() == JsonToken.START_ARRAY) {
                        if (parser.nextToken() == JsonToken.VALUE_STRING && wanted.contains(parser.getText())) {
                            out.put(parser.getText(), index);
                        }
                        while (parser.currentToken() != JsonToken.END_ARRAY) {
                            parser.nextToken();
                        }
                        index++;
                    }
                } else {
                    parser.skipChildren();
                }
            }
        }

        /**
         * The special token a post-processor puts first ({@code first}) or last in a single sequence:
         * TemplateProcessing's {@code single}, Bert/RobertaProcessing's {@code cls}/{@code sep}, the first that
         * does so in a Sequence. Other processors (ByteLevel) add none.
         */
        private static Optional<String> specialAt(JsonNode processor, boolean first) {
            if (processor == null || processor.isNull()) {
                return Optional.empty();
            }
            switch (processor.path("type").asText()) {
                case "TemplateProcessing" -> {
                    JsonNode single = processor.path("single");
                    if (!single.isArray() || single.isEmpty()) {
                        return Optional.empty();
                    }
                    JsonNode piece = single.get(first ? 0 : single.size() - 1).path("SpecialToken").path("id");
                    return piece.isTextual() ? Optional.of(piece.textValue()) : Optional.empty();
                }
                case "BertProcessing", "RobertaProcessing" -> {
                    JsonNode pair = processor.path(first ? "cls" : "sep");
                    return pair.path(0).isTextual() ? Optional.of(pair.get(0).textValue()) : Optional.empty();
                }
                case "Sequence" -> {
                    for (JsonNode inner : processor.path("processors")) {
                        Optional<String> token = specialAt(inner, first);
                        if (token.isPresent()) {
                            return token;
                        }
                    }
                    return Optional.empty();
                }
                default -> {
                    return Optional.empty();
                }
            }
        }
    }
}
