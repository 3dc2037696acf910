package dev.adapterloop.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.adapterloop.model.decoder.DecoderModel;
import dev.adapterloop.testing.ShardedFolders;
import dev.adapterloop.testing.TinyDecoders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sharded checkpoints (index + shards) load like one file; a lying or hostile index is refused by name. */
class ShardedCheckpointTest {

    @TempDir
    Path dir;

    @Test
    void aShardedFolderLoadsToTheSameModel() throws Exception {
        Path single = TinyDecoders.folder("qwen2-tiny", dir.resolve("single"));
        Path sharded = ShardedFolders.shard(TinyDecoders.folder("qwen2-tiny", dir.resolve("sharded")));
        assertThat(CheckpointTensors.modelFiles(sharded)).containsExactly("model-00001-of-00002.safetensors",
                "model-00002-of-00002.safetensors", CheckpointTensors.SHARD_INDEX, "tokenizer.json", "config.json");
        try (PretrainedModel a = PretrainedModel.load(single, Device.cpu());
             PretrainedModel b = PretrainedModel.load(sharded, Device.cpu());
             NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray ids = manager.create(new long[] {3, 17, 42, 5}, new Shape(1, 4));
            assertThat(logits(a, ids)).containsExactly(logits(b, ids));
        }
    }

    @Test
    void anIndexThatNamesAFileOutsideTheFolderIsRefused() throws Exception {
        Path sharded = ShardedFolders.shard(TinyDecoders.folder("qwen2-tiny", dir.resolve("hostile")));
        Path index = sharded.resolve(CheckpointTensors.SHARD_INDEX);
        Files.writeString(index, Files.readString(index).replaceFirst("model-00001-of-00002.safetensors",
                "../../etc/model.safetensors"));
        assertThatThrownBy(() -> CheckpointTensors.read(sharded)).hasMessageContaining("not a .safetensors file"
                + " of the same folder");
    }

    @Test
    void aShardThatHoldsOtherTensorsThanTheIndexSaysIsRefused() throws Exception {
        Path sharded = ShardedFolders.shard(TinyDecoders.folder("qwen2-tiny", dir.resolve("lying")));
        Files.copy(sharded.resolve("model-00002-of-00002.safetensors"),
                sharded.resolve("model-00001-of-00002.safetensors"), StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> CheckpointTensors.read(sharded)).hasMessageContaining("assigns it");
    }

    @Test
    void aMissingShardIsNamed() throws Exception {
        Path sharded = ShardedFolders.shard(TinyDecoders.folder("qwen2-tiny", dir.resolve("missing")));
        Files.delete(sharded.resolve("model-00002-of-00002.safetensors"));
        assertThatThrownBy(() -> CheckpointTensors.read(sharded))
                .hasMessageContaining("names shard model-00002-of-00002.safetensors");
        Files.writeString(sharded.resolve(CheckpointTensors.SHARD_INDEX), "{\"weight_map\": []}",
                StandardCharsets.UTF_8);
        assertThatThrownBy(() -> CheckpointTensors.read(sharded)).hasMessageContaining("weight_map must be");
    }

    private static float[] logits(PretrainedModel model, NDArray ids) {
        DecoderModel decoder = (DecoderModel) model.backbone();
        ParameterStore ps = new ParameterStore(ids.getManager(), false);
        return decoder.logits(ps, decoder.run(ps, ids, ids.onesLike(), null, null, false, null), false)
                .toFloatArray();
    }
}
