package dev.adapterloop.model.onnx;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.adapterloop.model.safetensors.SafetensorsFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes an {@link ImportedModel} as a folder that {@code transformers.BertModel.from_pretrained} loads. */
public final class HuggingFaceFolder {

    public static final String CONFIG_JSON = "config.json";
    public static final String WEIGHTS = "model.safetensors";
    public static final String TOKENIZER_JSON = "tokenizer.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private HuggingFaceFolder() {}

    /** Writes config.json, model.safetensors and tokenizer.json (a copy of {@code tokenizerJson}) into {@code dir}. */
    public static void write(ImportedModel model, InputStream tokenizerJson, Path dir) throws IOException {
        Files.createDirectories(dir);
        // transformers refuses safetensors weights whose metadata lacks format=pt
        SafetensorsFile.write(dir.resolve(WEIGHTS), model.tensors().values(), Map.of("format", "pt"));
        Files.write(dir.resolve(CONFIG_JSON), JSON.writeValueAsBytes(configJson(model)));
        Files.copy(tokenizerJson, dir.resolve(TOKENIZER_JSON), StandardCopyOption.REPLACE_EXISTING);
    }

    /** The config.json document: the model's BertConfig plus what transformers expects beside it. */
    static Map<String, Object> configJson(ImportedModel model) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("architectures", List.of("BertModel"));
        json.putAll(JSON.convertValue(model.config(), new TypeReference<Map<String, Object>>() {}));
        json.put("pad_token_id", 0);
        json.put("initializer_range", 0.02);
        json.put("position_embedding_type", "absolute");
        json.put("torch_dtype", "float32");
        return json;
    }
}
