package dev.adapterloop.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.adapterloop.events.AdapterManifest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The only code that knows the bucket's layout:
 * <pre>
 * models/&lt;model-id&gt;/          config.json, model.safetensors, tokenizer.json
 * datasets/&lt;task&gt;/&lt;id&gt;.jsonl
 * adapters/&lt;task&gt;/&lt;version&gt;/   adapter_config.json, adapter_model.safetensors, manifest.json
 * </pre>
 * Multi-file objects are written payload first and their marker file last (a model's {@code config.json}, an
 * adapter's {@code manifest.json}), so a reader that finds the marker finds everything.
 */
public final class AdapterRegistry {

    public static final List<String> MODEL_FILES = List.of("model.safetensors", "tokenizer.json", "config.json");
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .enable(SerializationFeature.INDENT_OUTPUT);

    private final ObjectStore store;

    public AdapterRegistry(ObjectStore store) {
        this.store = store;
    }

    public ObjectStore store() {
        return store;
    }

    public static String modelPrefix(String modelId) {
        requireName("model id", modelId);
        return "models/" + modelId + "/";
    }

    public static String datasetPrefix(String task) {
        requireName("task", task);
        return "datasets/" + task + "/";
    }

    public static String adapterPrefix(String task, String version) {
        requireName("task", task);
        requireName("adapter version", version);
        return "adapters/" + task + "/" + version + "/";
    }

    /** A model is present once its marker ({@code config.json}, written last) is. */
    public boolean hasModel(String modelId) {
        return store.exists(modelPrefix(modelId) + "config.json");
    }

    public void putModel(String modelId, Path folder) {
        for (String file : MODEL_FILES) {
            store.putFile(modelPrefix(modelId) + file, folder.resolve(file));
        }
    }

    /**
     * Copies a model into {@code cacheRoot/<id>/}, skipping files already there with the same size. Returns the folder.
     */
    public Path fetchModel(String modelId, Path cacheRoot) throws IOException {
        if (!hasModel(modelId)) {
            throw new IOException("base model '" + modelId + "' is not in the bucket (expected "
                    + modelPrefix(modelId) + "config.json)");
        }
        Path dir = cacheRoot.resolve(modelId);
        Files.createDirectories(dir);
        for (String file : MODEL_FILES) {
            String key = modelPrefix(modelId) + file;
            long size = store.stat(key).orElseThrow(() -> new IOException("missing " + key)).size();
            Path local = dir.resolve(file);
            if (!Files.exists(local) || Files.size(local) != size) {
                Path partial = dir.resolve(file + ".part");
                store.download(key, partial);
                Files.move(partial, local, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
        }
        return dir;
    }

    /** Validates that {@code key} is a dataset of {@code task} and opens it. */
    public InputStream openDataset(String task, String key) {
        return store.open(ObjectKeys.validate(key, datasetPrefix(task)));
    }

    public Optional<ObjectInfo> statDataset(String task, String key) {
        return store.stat(ObjectKeys.validate(key, datasetPrefix(task)));
    }

    public void putDataset(String task, String key, byte[] jsonl) {
        store.put(ObjectKeys.validate(key, datasetPrefix(task)), jsonl, "application/x-ndjson");
    }

    public boolean hasAdapter(String task, String version) {
        return store.exists(adapterPrefix(task, version) + AdapterManifest.FILE);
    }

    /** Uploads every file of {@code folder}, then the manifest, which makes the version visible. */
    public void publishAdapter(String task, String version, Path folder, AdapterManifest manifest)
            throws IOException {
        String prefix = adapterPrefix(task, version);
        try (var files = Files.list(folder)) {
            for (Path file : files.sorted().toList()) {
                if (!file.getFileName().toString().equals(AdapterManifest.FILE)) {
                    store.putFile(prefix + file.getFileName(), file);
                }
            }
        }
        store.put(prefix + AdapterManifest.FILE, JSON.writeValueAsBytes(manifest), "application/json");
    }

    public Optional<AdapterManifest> manifest(String task, String version) throws IOException {
        String key = adapterPrefix(task, version) + AdapterManifest.FILE;
        if (!store.exists(key)) {
            return Optional.empty();
        }
        try (InputStream in = store.open(key)) {
            return Optional.of(JSON.readValue(in, AdapterManifest.class));
        }
    }

    /** Downloads an adapter version's files into {@code dir}. */
    public void fetchAdapter(String task, String version, Path dir) throws IOException {
        Files.createDirectories(dir);
        String prefix = adapterPrefix(task, version);
        for (String key : store.list(prefix)) {
            store.download(key, dir.resolve(key.substring(prefix.length())));
        }
    }

    private static void requireName(String what, String value) {
        if (value == null || !value.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
            throw new IllegalArgumentException(what + " must be 1-128 letters, digits, '.', '_' or '-' and start"
                    + " with a letter or digit, got '" + value + "'");
        }
    }
}
