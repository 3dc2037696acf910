package dev.adapterloop.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.adapterloop.model.safetensors.SafetensorsFile;
import dev.adapterloop.model.safetensors.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Rewrites a model folder's {@code model.safetensors} as two shards and their index, as transformers saves them. */
public final class ShardedFolders {

    private ShardedFolders() {
    }

    public static Path shard(Path folder) throws IOException {
        Map<String, Tensor> tensors = SafetensorsFile.read(folder.resolve("model.safetensors"));
        List<Tensor> first = new ArrayList<>();
        List<Tensor> second = new ArrayList<>();
        ObjectNode index = new ObjectMapper().createObjectNode();
        index.putObject("metadata").put("total_size", Files.size(folder.resolve("model.safetensors")));
        ObjectNode map = index.putObject("weight_map");
        int i = 0;
        for (Tensor tensor : tensors.values()) {
            boolean early = i++ < tensors.size() / 2;
            (early ? first : second).add(tensor);
            map.put(tensor.name(), early ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors");
        }
        SafetensorsFile.write(folder.resolve("model-00001-of-00002.safetensors"), first, Map.of("format", "pt"));
        SafetensorsFile.write(folder.resolve("model-00002-of-00002.safetensors"), second, Map.of("format", "pt"));
        new ObjectMapper().writeValue(folder.resolve("model.safetensors.index.json").toFile(), index);
        Files.delete(folder.resolve("model.safetensors"));
        return folder;
    }
}
