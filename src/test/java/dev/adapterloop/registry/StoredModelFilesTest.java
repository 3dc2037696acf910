package dev.adapterloop.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import dev.adapterloop.model.PretrainedModel;
import dev.adapterloop.model.decoder.DecoderModel;
import dev.adapterloop.testing.ShardedFolders;
import dev.adapterloop.testing.TinyDecoders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Base models in the bucket, over a real S3 server: every file of a sharded decoder folder goes and comes back. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StoredModelFilesTest {

    @TempDir
    static Path dir;
    private static RegistryS3 s3;

    @BeforeAll
    static void start() {
        s3 = new RegistryS3(dir.resolve("s3"), "models-test");
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    @Test
    void aShardedDecoderWithTokenizerFilesIsStoredAndFetchedWhole() throws Exception {
        Path folder = ShardedFolders.shard(TinyDecoders.folder("llama-tiny", dir.resolve("source")));
        Files.writeString(folder.resolve("tokenizer_config.json"), "{\"add_bos_token\": false}");
        Files.writeString(folder.resolve("generation_config.json"), "{\"max_new_tokens\": 8}");
        s3.registry.putModel("llama-tiny", folder);
        assertThat(s3.registry.hasModel("llama-tiny")).isTrue();

        Path fetched = s3.registry.fetchModel("llama-tiny", dir.resolve("cache"));
        try (var files = Files.list(fetched)) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted()).containsExactly("config.json",
                    "generation_config.json", "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors",
                    "model.safetensors.index.json", "tokenizer.json", "tokenizer_config.json");
        }
        try (PretrainedModel model = PretrainedModel.load(fetched, Device.cpu())) {
            assertThat(model.backbone()).isInstanceOf(DecoderModel.class);
        }
    }

    @Test
    void aStrayObjectUnderAModelIsRefusedNotCopied() throws Exception {
        s3.registry.putModel("stray", TinyDecoders.folder("qwen2-tiny", dir.resolve("stray")));
        s3.store.put("models/stray/notes/x.txt", "x".getBytes(StandardCharsets.UTF_8), null);
        assertThatThrownBy(() -> s3.registry.fetchModel("stray", dir.resolve("cache2")))
                .hasMessageContaining("unexpected object models/stray/notes/x.txt");
    }
}
