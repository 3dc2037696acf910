package dev.adapterloop.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.model.TokenizerSettings.ModelTokenIds;
import dev.adapterloop.model.TokenizerSettings.SpecialToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TokenizerSettings} on the real Llama-2-layout and Qwen3 files, and on small hand-written files for each rule
 * and each malformed input. Only JSON is read here: no native tokenizer is loaded.
 */
class TokenizerSettingsTest {

    /** BPE with three added specials, a vocab-only {@code <pad>} and a template that adds {@code <s>} in front. */
    private static final String TOKENIZER_JSON = """
            {"version": "1.0", "truncation": null, "padding": null,
             "added_tokens": [{"id": 0, "content": "<unk>", "special": true},
                              {"id": 1, "content": "<s>", "special": true},
                              {"id": 2, "content": "</s>", "special": true}],
             "normalizer": null, "pre_tokenizer": null,
             "post_processor": {"type": "TemplateProcessing",
                                "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}},
                                           {"Sequence": {"id": "A", "type_id": 0}}],
                                "pair": [], "special_tokens": {}},
             "decoder": null,
             "model": {"type": "BPE", "vocab": {"<unk>": 0, "<s>": 1, "</s>": 2, "<pad>": 3, "a": 4, "<S>": 9},
                       "merges": []}}
            """;

    @TempDir
    Path dir;

    @Test
    void llamaFile() throws IOException {
        TokenizerSettings settings = TokenizerSettings.read(TestTokenizers.tokenizerJson(TestTokenizers.LLAMA2),
                ModelTokenIds.NONE);
        assertThat(settings.bos()).contains(new SpecialToken("<s>", 1));
        assertThat(settings.eos()).contains(new SpecialToken("</s>", 2));
        assertThat(settings.unk()).contains(new SpecialToken("<unk>", 0));
        assertThat(settings.pad()).isEmpty();
        assertThat(settings.addBosToken()).isTrue();
        assertThat(settings.addEosToken()).isFalse();
        assertThat(settings.hasChatTemplate()).isFalse();
        assertThat(settings.chatTemplate()).isEmpty();
        // no pad_token: the model config's pad_token_id, else EOS
        assertThat(settings.batchPadId()).isEqualTo(OptionalLong.of(2));
        assertThat(withModelIds(settings, new ModelTokenIds(OptionalLong.of(1), List.of(2L), OptionalLong.of(0)))
                .batchPadId()).isEqualTo(OptionalLong.of(0));
        assertThat(settings.stopIds()).containsExactly(2L);
    }

    @Test
    void qwenFile() throws IOException {
        Path file = TestTokenizers.tokenizerJson(TestTokenizers.QWEN3);
        ModelTokenIds config = new ModelTokenIds(OptionalLong.empty(), List.of(151_643L), OptionalLong.of(151_643));
        TokenizerSettings settings = TokenizerSettings.read(file, config);
        assertThat(settings.bos()).isEmpty();
        assertThat(settings.eos()).contains(new SpecialToken("<|im_end|>", 151_645));
        assertThat(settings.pad()).contains(new SpecialToken("<|endoftext|>", 151_643));
        assertThat(settings.unk()).isEmpty();
        assertThat(settings.addBosToken()).isFalse();
        assertThat(settings.addEosToken()).isFalse();
        assertThat(settings.batchPadId()).isEqualTo(OptionalLong.of(151_643));
        assertThat(settings.stopIds()).containsExactly(151_645L, 151_643L);

        String template = new ObjectMapper().readTree(file.resolveSibling("tokenizer_config.json").toFile())
                .get("chat_template").textValue();
        assertThat(settings.hasChatTemplate()).isTrue();
        assertThat(settings.chatTemplate()).contains(template);
        assertThat(template).contains("<|im_start|>").contains("<|im_end|>");
        assertThat(settings.chatTemplates()).containsOnlyKeys(TokenizerSettings.DEFAULT_TEMPLATE);
    }

    @Test
    void padIsTheTokenizersPadElseTheConfigsElseEos() throws IOException {
        ModelTokenIds configPad = new ModelTokenIds(OptionalLong.empty(), List.of(7L, 8L), OptionalLong.of(5));
        ModelTokenIds configEos = new ModelTokenIds(OptionalLong.empty(), List.of(7L, 8L), OptionalLong.empty());

        assertThat(settings("{\"pad_token\": \"<pad>\", \"eos_token\": \"</s>\"}", configPad).batchPadId())
                .isEqualTo(OptionalLong.of(3));
        assertThat(settings("{\"eos_token\": \"</s>\"}", configPad).batchPadId()).isEqualTo(OptionalLong.of(5));
        assertThat(settings("{\"eos_token\": \"</s>\"}", configEos).batchPadId()).isEqualTo(OptionalLong.of(2));
        assertThat(settings("{}", configEos).batchPadId()).isEqualTo(OptionalLong.of(7));
        assertThat(settings("{}", ModelTokenIds.NONE).batchPadId()).isEmpty();
        assertThat(settings("{\"eos_token\": \"</s>\"}", new ModelTokenIds(OptionalLong.empty(), List.of(8L, 2L),
                OptionalLong.empty())).stopIds()).containsExactly(2L, 8L);
    }

    @Test
    void tokensAreStringsOrAddedTokenObjectsAndResolveAddedTokensFirst() throws IOException {
        TokenizerSettings settings = settings("""
                {"bos_token": {"__type": "AddedToken", "content": "<s>", "lstrip": false, "normalized": true},
                 "unk_token": null, "pad_token": "<pad>", "eos_token": "<S>"}""", ModelTokenIds.NONE);
        assertThat(settings.bos()).contains(new SpecialToken("<s>", 1));
        assertThat(settings.unk()).isEmpty();
        assertThat(settings.pad()).contains(new SpecialToken("<pad>", 3));
        assertThat(settings.eos()).contains(new SpecialToken("<S>", 9));
        // without add_bos_token the post-processor decides: it puts <s> first
        assertThat(settings.addBosToken()).isTrue();
        assertThat(settings.addEosToken()).isFalse();

        // the vocab says 6, the added token 1: added tokens win, wherever they sit in the file
        String shadowed = """
                {"model": {"type": "BPE", "vocab": {"<s>": 6, "a": 4}, "merges": []},
                 "post_processor": null, "added_tokens": [{"id": 1, "content": "<s>", "special": true}]}""";
        assertThat(TokenizerSettings.read(folder(shadowed, "{\"bos_token\": \"<s>\"}"), ModelTokenIds.NONE).bos())
                .contains(new SpecialToken("<s>", 1));
    }

    @Test
    void unigramVocabularyIdsAreListPositions() throws IOException {
        String unigram = """
                {"added_tokens": [], "post_processor": null,
                 "model": {"type": "Unigram", "unk_id": 0,
                           "vocab": [["<unk>", 0.0], ["<s>", 0.0], ["</s>", 0.0], ["▁a", -1.5], ["<pad>", 0.0]]}}""";
        TokenizerSettings settings = TokenizerSettings.read(folder(unigram, "{\"pad_token\": \"<pad>\", \"eos_token\": "
                + "\"</s>\"}"), ModelTokenIds.NONE);
        assertThat(settings.pad()).contains(new SpecialToken("<pad>", 4));
        assertThat(settings.eos()).contains(new SpecialToken("</s>", 2));
    }

    @Test
    void chatTemplateMayBeAListOfNamedTemplates() throws IOException {
        TokenizerSettings named = settings("""
                {"chat_template": [{"name": "default", "template": "{{ messages }}"},
                                   {"name": "tool_use", "template": "{{ tools }}"}]}""", ModelTokenIds.NONE);
        assertThat(named.chatTemplate()).contains("{{ messages }}");
        assertThat(named.chatTemplates()).containsEntry("tool_use", "{{ tools }}").hasSize(2);

        TokenizerSettings noDefault = settings("{\"chat_template\": [{\"name\": \"rag\", \"template\": \"R\"}]}",
                ModelTokenIds.NONE);
        assertThat(noDefault.hasChatTemplate()).isTrue();
        assertThat(noDefault.chatTemplate()).isEmpty();
    }

    @Test
    void withoutTokenizerConfigNothingIsKnown() throws IOException {
        Path tokenizer = dir.resolve("tokenizer.json");
        Files.writeString(tokenizer, TOKENIZER_JSON);
        TokenizerSettings settings = TokenizerSettings.read(tokenizer,
                new ModelTokenIds(OptionalLong.of(1), List.of(2L), OptionalLong.empty()));
        assertThat(settings.bos()).isEmpty();
        assertThat(settings.eos()).isEmpty();
        assertThat(settings.addBosToken()).isFalse();
        assertThat(settings.hasChatTemplate()).isFalse();
        assertThat(settings.batchPadId()).isEqualTo(OptionalLong.of(2));
    }

    @Test
    void malformedTokenizerConfigsAreRefusedWithTheFieldNamed() {
        assertRefused("{\"bos_token\": \"<s>\",", "tokenizer_config.json is not valid JSON");
        assertRefused("[\"<s>\"]", "tokenizer_config.json must hold a JSON object, got ARRAY");
        assertRefused("{\"add_bos_token\": \"yes\", \"bos_token\": \"<s>\"}",
                "add_bos_token must be a boolean, got \"yes\"");
        assertRefused("{\"bos_token\": 5}", "bos_token must be a string or an AddedToken object");
        assertRefused("{\"eos_token\": {\"id\": 2}}", "eos_token must be a string or an AddedToken object");
        assertRefused("{\"chat_template\": 5}",
                "chat_template must be a string or a list of {name, template}, got NUMBER");
        assertRefused("{\"chat_template\": [{\"name\": \"default\"}]}",
                "must have a string 'name' and a string 'template'");
        assertRefused("""
                {"chat_template": [{"name": "a", "template": "x"}, {"name": "a", "template": "y"}]}""",
                "chat_template names 'a' twice");
        assertRefused("{\"eos_token\": \"<|im_end|>\"}", "eos_token '<|im_end|>' is not a token of tokenizer.json");
    }

    @Test
    void addFlagsThatTheTokenizerFileWouldNotHonourAreRefused() {
        assertRefused("{\"bos_token\": \"<s>\", \"add_bos_token\": false}",
                "add_bos_token is false but tokenizer.json's post_processor does start with <s>");
        assertRefused("{\"eos_token\": \"</s>\", \"add_eos_token\": true}",
                "add_eos_token is true but tokenizer.json's post_processor does not end with </s>");
        assertRefused("{\"add_bos_token\": true}", "add_bos_token is true but there is no bos_token");
    }

    @Test
    void malformedTokenizerJsonIsRefused() throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"), "{\"added_tokens\": [");
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"bos_token\": \"<s>\"}");
        assertThatThrownBy(() -> TokenizerSettings.read(dir.resolve("tokenizer.json"), ModelTokenIds.NONE))
                .isInstanceOf(IOException.class).hasMessageContaining("tokenizer.json is not valid JSON");
        Files.writeString(dir.resolve("tokenizer.json"), "{\"added_tokens\": [{\"id\": \"1\", \"content\": \"<s>\"}]}");
        assertThatThrownBy(() -> TokenizerSettings.read(dir.resolve("tokenizer.json"), ModelTokenIds.NONE))
                .isInstanceOf(IOException.class).hasMessageContaining("an added token needs a string 'content' and an "
                        + "integer 'id'");
    }

    @Test
    void modelIdsAreReadFromConfigJson() throws IOException {
        assertThat(modelIds("{\"bos_token_id\": 1, \"eos_token_id\": [128001, 128008], \"pad_token_id\": null}"))
                .isEqualTo(new ModelTokenIds(OptionalLong.of(1), List.of(128_001L, 128_008L), OptionalLong.empty()));
        assertThat(modelIds("{\"eos_token_id\": 2, \"pad_token_id\": 0, \"vocab_size\": 32000}"))
                .isEqualTo(new ModelTokenIds(OptionalLong.empty(), List.of(2L), OptionalLong.of(0)));
        assertThat(modelIds("{}")).isEqualTo(ModelTokenIds.NONE);
    }

    @Test
    void malformedModelIdsAreRefusedWithTheFieldNamed() {
        String eosMessage = "config.json: eos_token_id must be an integer or a list of integers";
        assertModelIdsRefused("{\"eos_token_id\": \"2\"}", eosMessage);
        assertModelIdsRefused("{\"eos_token_id\": [2, \"x\"]}", eosMessage);
        assertModelIdsRefused("{\"eos_token_id\": {\"id\": 2}}", eosMessage);
        assertModelIdsRefused("{\"bos_token_id\": 1.5}", "config.json: bos_token_id must be an integer, got 1.5");
        assertModelIdsRefused("{\"pad_token_id\": -1}", "config.json: pad_token_id must be >= 0, got -1");
        assertModelIdsRefused("{\"pad_token_id\": 0", "config.json is not valid JSON");
    }

    private TokenizerSettings settings(String tokenizerConfig, ModelTokenIds modelIds) throws IOException {
        return TokenizerSettings.read(folder(TOKENIZER_JSON, tokenizerConfig), modelIds);
    }

    private Path folder(String tokenizerJson, String tokenizerConfig) throws IOException {
        Files.writeString(dir.resolve("tokenizer.json"), tokenizerJson);
        Files.writeString(dir.resolve("tokenizer_config.json"), tokenizerConfig);
        return dir.resolve("tokenizer.json");
    }

    private void assertRefused(String tokenizerConfig, String message) {
        assertThatThrownBy(() -> settings(tokenizerConfig, ModelTokenIds.NONE))
                .isInstanceOf(IOException.class).hasMessageContaining(message);
    }

    private ModelTokenIds modelIds(String configJson) throws IOException {
        Path file = dir.resolve("config.json");
        Files.writeString(file, configJson);
        return ModelTokenIds.read(file);
    }

    private void assertModelIdsRefused(String configJson, String message) {
        assertThatThrownBy(() -> modelIds(configJson)).isInstanceOf(IOException.class).hasMessageContaining(message);
    }

    private static TokenizerSettings withModelIds(TokenizerSettings settings, ModelTokenIds modelIds) {
        return new TokenizerSettings(settings.bos(), settings.eos(), settings.pad(), settings.unk(),
                settings.addBosToken(), settings.addEosToken(), settings.chatTemplates(), modelIds);
    }
}
