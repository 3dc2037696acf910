package dev.adapterloop.adapters;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code adapter_config.json} of the project's own adapter format ({@link NativeAdapterFiles}): which method and
 * hyperparameters built the adapter, on which base model, for which labels and layers. Field names follow PEFT's where
 * PEFT has one ({@code r}, {@code lora_alpha}, {@code lora_dropout}, {@code use_rslora}, {@code target_modules},
 * {@code base_model_name_or_path}, {@code modules_to_save}); {@code peft_type} is {@value #PEFT_TYPE} so that PEFT and
 * servers that load LoRA refuse the folder instead of misreading it.
 *
 * <pre>
 * peft_type               "ADAPTERLOOP"
 * format_version          2
 * method                  a registered method's name (AdapterMethods.names())
 * r, lora_alpha           rank and alpha
 * lora_dropout            adapter dropout (used only when training further)
 * target_modules          list of module names, or one regex string (PEFT semantics)
 * base_model_name_or_path the base model's id, compared on loading
 * base_model_fingerprint  "sha256:..." of the base's frozen tensors (see BaseModelFingerprint), compared on loading
 * labels                  the head's classes, in output order
 * modules_to_save         ["classifier"]
 * layers                  module paths of the adapted layers, in model order
 * &lt;option&gt;                each of the method's own options ({@link AdapterMethod#options()}), e.g. use_rslora,
 *                         placement
 * </pre>
 * Reading is strict: a missing, unknown or mistyped field is an {@link AdapterFormatException} naming it. Format 1
 * wrote {@code placement} and {@code use_rslora} for every method; it is still read, those two fields accepted for a
 * method without such an option only at the values that meant "none" ({@code "pre"}, {@code false}).
 */
public record NativeAdapterConfig(AdapterMethod method, List<String> labels, String baseModel,
                                  String baseModelFingerprint, List<String> layers) {

    public static final String PEFT_TYPE = "ADAPTERLOOP";
    public static final int FORMAT_VERSION = 2;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Set<String> COMMON_FIELDS = Set.of("peft_type", "format_version", "method", "r",
            "lora_alpha", "lora_dropout", "target_modules", "base_model_name_or_path", "base_model_fingerprint",
            "labels", "modules_to_save", "layers");
    /** What format 1 wrote for every method, at the values a method without the option got. */
    private static final Map<String, JsonNode> FORMAT_1_NEUTRAL = Map.of(
            "placement", JsonNodeFactory.instance.textNode("pre"),
            "use_rslora", JsonNodeFactory.instance.booleanNode(false));

    public NativeAdapterConfig {
        labels = List.copyOf(labels);
        layers = List.copyOf(layers);
    }

    public void write(Path file) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("peft_type", PEFT_TYPE);
        json.put("format_version", FORMAT_VERSION);
        json.put("method", method.name());
        json.put("r", method.rank());
        json.put("lora_alpha", method.alpha());
        json.put("lora_dropout", method.dropout());
        json.putAll(method.options());
        json.put("target_modules", method.targets().toPeftValue());
        json.put("base_model_name_or_path", baseModel);
        json.put("base_model_fingerprint", baseModelFingerprint);
        json.put("labels", labels);
        json.put("modules_to_save", List.of(AdaptedClassifier.HEAD));
        json.put("layers", layers);
        JSON.writeValue(file.toFile(), json);
    }

    public static NativeAdapterConfig read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new AdapterFormatException("adapter folder " + file.getParent() + " has no " + file.getFileName());
        }
        JsonNode json;
        try {
            json = JSON.readTree(file.toFile());
        } catch (JacksonException e) {
            throw new AdapterFormatException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        return new Parser(file, json).parse();
    }

    /** Reads one document, every error naming the file and the field. */
    private record Parser(Path file, JsonNode json) {

        NativeAdapterConfig parse() throws AdapterFormatException {
            if (json == null || !json.isObject()) {
                throw error("must be a JSON object");
            }
            String type = text("peft_type");
            if (!type.equals(PEFT_TYPE)) {
                throw error("peft_type must be " + PEFT_TYPE + ", got '" + type + "'"
                        + (type.equals("LORA") ? " (a PEFT LoRA folder: read it with PeftAdapterFiles)" : ""));
            }
            int version = integer("format_version");
            if (version != FORMAT_VERSION && version != 1) {
                throw error("format_version " + version + " is not supported (this reader knows 1 and "
                        + FORMAT_VERSION + ")");
            }
            String name = text("method");
            AdapterMethodProvider provider;
            try {
                provider = AdapterMethods.provider(name);
            } catch (IllegalArgumentException e) {
                throw error("method must be one of " + AdapterMethods.names() + ", got '" + name + "'");
            }
            Map<String, MethodOption> options = new LinkedHashMap<>();
            provider.options().forEach(option -> options.put(option.fieldName(), option));
            for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
                String field = names.next();
                if (COMMON_FIELDS.contains(field) || options.containsKey(field)) {
                    continue;
                }
                if (version == 1 && FORMAT_1_NEUTRAL.containsKey(field)) {
                    if (!json.get(field).equals(FORMAT_1_NEUTRAL.get(field))) {
                        throw error(field + " " + json.get(field) + " is not an option of method '" + name + "'");
                    }
                    continue;
                }
                List<String> known = new ArrayList<>(COMMON_FIELDS);
                known.addAll(options.keySet());
                throw error("unknown field '" + field + "' (this reader knows " + known.stream().sorted().toList()
                        + " for method " + name + ")");
            }
            List<String> modulesToSave = strings("modules_to_save");
            if (!modulesToSave.equals(List.of(AdaptedClassifier.HEAD))) {
                throw error("modules_to_save must be [\"" + AdaptedClassifier.HEAD + "\"], got " + modulesToSave);
            }
            Map<String, String> given = new LinkedHashMap<>();
            for (MethodOption option : options.values()) {
                JsonNode node = json.get(option.fieldName());
                if (node == null || node.isNull()) {
                    if (version == 1) {
                        continue;
                    }
                    throw error("field '" + option.fieldName() + "' is missing (an option of method " + name + ")");
                }
                if (option.isFlag() ? !node.isBoolean() : !node.isTextual()) {
                    throw error("field '" + option.fieldName() + "' must be " + (option.isFlag() ? "true or false"
                            : "one of " + option.choices()) + ", got " + node);
                }
                given.put(option.name(), node.asText());
            }
            AdapterMethod built;
            try {
                built = AdapterMethods.create(name, new SharedHyperparameters(integer("r"), number("lora_alpha"),
                        number("lora_dropout"), targets()), given);
            } catch (IllegalArgumentException e) {
                throw error(e.getMessage());
            }
            List<String> labels = strings("labels");
            if (labels.size() < 2 || new HashSet<>(labels).size() != labels.size()) {
                throw error("labels must be at least 2 distinct names, got " + labels);
            }
            List<String> layers = strings("layers");
            if (layers.isEmpty()) {
                throw error("layers must name at least one adapted layer");
            }
            return new NativeAdapterConfig(built, labels, text("base_model_name_or_path"),
                    text("base_model_fingerprint"), layers);
        }

        private TargetModules targets() throws AdapterFormatException {
            JsonNode node = required("target_modules");
            try {
                if (node.isTextual()) {
                    return TargetModules.parse("re:" + node.asText());
                }
                return new TargetModules(strings("target_modules"), null);
            } catch (IllegalArgumentException e) {
                throw error(e.getMessage());
            }
        }

        private JsonNode required(String field) throws AdapterFormatException {
            JsonNode node = json.get(field);
            if (node == null || node.isNull()) {
                throw error("field '" + field + "' is missing");
            }
            return node;
        }

        private String text(String field) throws AdapterFormatException {
            JsonNode node = required(field);
            if (!node.isTextual() || node.asText().isBlank()) {
                throw error("field '" + field + "' must be a non-empty string, got " + node);
            }
            return node.asText();
        }

        private int integer(String field) throws AdapterFormatException {
            JsonNode node = required(field);
            if (!node.isIntegralNumber() || !node.canConvertToInt()) {
                throw error("field '" + field + "' must be an integer, got " + node);
            }
            return node.asInt();
        }

        private double number(String field) throws AdapterFormatException {
            JsonNode node = required(field);
            if (!node.isNumber()) {
                throw error("field '" + field + "' must be a number, got " + node);
            }
            return node.asDouble();
        }

        private boolean bool(String field) throws AdapterFormatException {
            JsonNode node = required(field);
            if (!node.isBoolean()) {
                throw error("field '" + field + "' must be true or false, got " + node);
            }
            return node.asBoolean();
        }

        private List<String> strings(String field) throws AdapterFormatException {
            JsonNode node = required(field);
            if (!node.isArray()) {
                throw error("field '" + field + "' must be a list of strings, got " + node);
            }
            List<String> values = new ArrayList<>();
            for (JsonNode element : node) {
                if (!element.isTextual()) {
                    throw error("field '" + field + "' must be a list of strings, got element " + element);
                }
                values.add(element.asText());
            }
            return values;
        }

        private AdapterFormatException error(String message) {
            return new AdapterFormatException(file + ": " + message);
        }
    }
}
