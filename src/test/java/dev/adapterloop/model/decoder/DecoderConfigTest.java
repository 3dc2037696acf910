package dev.adapterloop.model.decoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.model.PretrainedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** config.json as transformers reads it: per-family defaults, both rope layouts, refusals that name the field. */
class DecoderConfigTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static DecoderConfig read(String json) throws Exception {
        return DecoderConfig.read(JSON.readTree(json));
    }

    @Test
    void absentKeysTakeEachFamilysDefaults() throws Exception {
        DecoderConfig llama = read("{\"model_type\":\"llama\",\"vocab_size\":100,\"hidden_size\":64,"
                + "\"num_hidden_layers\":1,\"num_attention_heads\":4,\"intermediate_size\":96}");
        assertThat(llama.numKvHeads()).isEqualTo(4);
        assertThat(llama.headDim()).isEqualTo(16);
        assertThat(llama.normEps()).isEqualTo(1e-6);
        assertThat(llama.ropeTheta()).isEqualTo(10000);
        assertThat(llama.tieWordEmbeddings()).isFalse();
        assertThat(llama.qkvBias()).isFalse();
        DecoderConfig qwen = read("{\"model_type\":\"qwen2\",\"vocab_size\":100,\"hidden_size\":64,"
                + "\"num_hidden_layers\":1,\"num_attention_heads\":4,\"num_key_value_heads\":2,"
                + "\"intermediate_size\":96,\"eos_token_id\":[7,8]}");
        assertThat(qwen.qkvBias()).isTrue();
        assertThat(qwen.outputBias()).isFalse();
        assertThat(qwen.eosTokenIds()).containsExactly(7, 8);
        assertThat(qwen.padIdOrFallback()).isEqualTo(7);
        DecoderConfig gpt2 = read("{\"model_type\":\"gpt2\",\"vocab_size\":100,\"n_embd\":32,\"n_layer\":1,"
                + "\"n_head\":2,\"n_positions\":16}");
        assertThat(gpt2.intermediateSize()).isEqualTo(128);
        assertThat(gpt2.tieWordEmbeddings()).isTrue();
        assertThat(gpt2.normEps()).isEqualTo(1e-5);
    }

    @Test
    void transformers5RopeParametersMeanTheSameAsTheTopLevelKeys() throws Exception {
        String base = "\"model_type\":\"llama\",\"vocab_size\":100,\"hidden_size\":64,\"num_hidden_layers\":1,"
                + "\"num_attention_heads\":4,\"intermediate_size\":96,";
        DecoderConfig v4 = read("{" + base + "\"rope_theta\":500000.0,\"rope_scaling\":{\"rope_type\":\"llama3\","
                + "\"factor\":8.0,\"low_freq_factor\":1.0,\"high_freq_factor\":4.0,"
                + "\"original_max_position_embeddings\":8192}}");
        DecoderConfig v5 = read("{" + base + "\"rope_parameters\":{\"rope_type\":\"llama3\",\"rope_theta\":500000.0,"
                + "\"factor\":8.0,\"low_freq_factor\":1.0,\"high_freq_factor\":4.0,"
                + "\"original_max_position_embeddings\":8192}}");
        assertThat(v5).isEqualTo(v4);
        assertThat(v5.ropeScaling().inverseFrequencies(16, 500000.0))
                .containsExactly(v4.ropeScaling().inverseFrequencies(16, 500000.0));
    }

    @Test
    void whatCannotBeComputedFaithfullyIsRefusedByName() {
        String base = "\"model_type\":\"qwen2\",\"vocab_size\":100,\"hidden_size\":64,\"num_hidden_layers\":1,"
                + "\"num_attention_heads\":4,\"intermediate_size\":96";
        assertThatThrownBy(() -> read("{" + base + ",\"use_sliding_window\":true}"))
                .hasMessageContaining("use_sliding_window");
        assertThatThrownBy(() -> read("{" + base + ",\"rope_scaling\":{\"type\":\"yarn\",\"factor\":4}}"))
                .hasMessageContaining("'yarn' is not supported");
        assertThatThrownBy(() -> read("{" + base + ",\"partial_rotary_factor\":0.5}"))
                .hasMessageContaining("partial_rotary_factor");
        assertThatThrownBy(() -> read("{" + base + ",\"hidden_act\":\"gelu\"}")).hasMessageContaining("hidden_act");
        assertThatThrownBy(() -> read("{" + base + ",\"num_key_value_heads\":3}"))
                .hasMessageContaining("not a multiple of num_key_value_heads 3");
        assertThatThrownBy(() -> read("{\"model_type\":\"llama\",\"hidden_size\":64}"))
                .hasMessageContaining("num_attention_heads must be an integer, got nothing");
    }

    @Test
    void anUnknownModelTypeNamesTheSupportedOnes(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("config.json"), "{\"model_type\":\"mamba\"}");
        assertThatThrownBy(() -> PretrainedModel.readConfig(dir.resolve("config.json")))
                .hasMessageContaining("model_type 'mamba' is not supported")
                .hasMessageContaining("gpt2").hasMessageContaining("llama").hasMessageContaining("qwen2")
                .hasMessageContaining("bert");
        Files.writeString(dir.resolve("config.json"), "{not json");
        assertThatThrownBy(() -> PretrainedModel.readConfig(dir.resolve("config.json")))
                .hasMessageContaining("not valid JSON");
        JsonNode ok = JSON.readTree("{\"model_type\":\"gpt2\",\"vocab_size\":100,\"n_embd\":32,\"n_layer\":1,"
                + "\"n_head\":2,\"n_positions\":16}");
        assertThat(List.of(DecoderConfig.read(ok).modelType())).containsExactly("gpt2");
    }
}
