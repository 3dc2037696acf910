package dev.adapterloop.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.adapterloop.events.AdapterManifest;
import dev.adapterloop.events.TrainingCurve;
import dev.adapterloop.model.CheckpointTensors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The only code that knows the bucket's layout:
 * <pre>
 * models/&lt;model-id&gt;/          config.json, model.safetensors, tokenizer.json
 * datasets/&lt;task&gt;/&lt;id&gt;.jsonl
 * adapters/&lt;task&gt;/&lt;version&gt;/   adapter_config.json, adapter_model.safetensors, training-curve.json, manifest.json
 * tasks/&lt;task&gt;/                 aliases.json, alias-history/ (see {@link AliasStore})
 * </pre>
 * Multi-file objects are written payload first and their marker file last (a model's {@code config.json}, an
 * adapter's {@code manifest.json}), so a reader that finds the marker finds everything.
 */
public final class AdapterRegistry {

    /** A lineage longer than this is treated as broken: content-derived ids cannot loop, so a loop means corruption. */
    static final int MAX_LINEAGE = 10_000;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
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

    /** Where a task's own state lives (aliases and their history). */
    public static String taskPrefix(String task) {
        requireName("task", task);
        return "tasks/" + task + "/";
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

    /**
     * Uploads a model folder: its weights (one file or shards and their index), tokenizer files and, last, its
     * {@code config.json}, which marks the model present ({@link CheckpointTensors#modelFiles}).
     */
    public void putModel(String modelId, Path folder) throws IOException {
        for (String file : CheckpointTensors.modelFiles(folder)) {
            store.putFile(modelPrefix(modelId) + file, folder.resolve(file));
        }
    }

    /**
     * Copies a model into {@code cacheRoot/<id>/}, skipping files already there with the same size. Returns the folder.
     */
    public Path fetchModel(String modelId, Path cacheRoot) throws IOException {
        if (!hasModel(modelId)) {
            throw new BaseModelMissingException(modelId, "base model '" + modelId + "' is not in the bucket (expected "
                    + modelPrefix(modelId) + "config.json)");
        }
        Path dir = cacheRoot.resolve(modelId);
        Files.createDirectories(dir);
        for (String file : storedModelFiles(modelId)) {
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

    /**
     * The files stored under a model's prefix; a name that is not a model file (a path, a stray object) is an error
     * rather than something to write into the local cache.
     */
    private List<String> storedModelFiles(String modelId) throws IOException {
        String prefix = modelPrefix(modelId);
        List<String> files = new ArrayList<>();
        for (String key : store.list(prefix)) {
            String name = key.substring(prefix.length());
            if (!CheckpointTensors.isModelFileName(name)) {
                throw new IOException("model '" + modelId + "' has an unexpected object " + key);
            }
            files.add(name);
        }
        return files;
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
        // Every file at any depth (the own-format copy sits in native/); the manifest, which marks the version
        // complete, goes last.
        try (var files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String relative = folder.relativize(file).toString().replace(folder.getFileSystem().getSeparator(),
                        "/");
                if (!relative.equals(AdapterManifest.FILE)) {
                    store.putFile(prefix + relative, file);
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
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new CorruptObjectException(key, "not a manifest: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Tasks that have adapters or aliases in the bucket, sorted. Folders whose names are not valid task names (put
     * there by hand) are skipped rather than failing the listing.
     */
    /** The version's {@code training-curve.json}; empty for versions stored before it was written, or incomplete. */
    public Optional<TrainingCurve> trainingCurve(String task, String version) throws IOException {
        String key = adapterPrefix(task, version) + TrainingCurve.FILE;
        if (!hasAdapter(task, version) || !store.exists(key)) {
            return Optional.empty();
        }
        try (InputStream in = store.open(key)) {
            return Optional.of(JSON.readValue(in, TrainingCurve.class));
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new CorruptObjectException(key, "not a training curve: " + e.getOriginalMessage(), e);
        }
    }

    public SortedSet<String> listTasks() {
        SortedSet<String> tasks = new TreeSet<>();
        for (String root : List.of("adapters/", "tasks/")) {
            store.listFolders(root).stream().filter(AdapterRegistry::isName).forEach(tasks::add);
        }
        return tasks;
    }

    /**
     * The complete versions of a task (their {@code manifest.json} exists), sorted by id. A version still uploading
     * has files but no manifest yet, and is left out.
     */
    public List<String> listVersions(String task) {
        String prefix = "adapters/" + requireName("task", task) + "/";
        String suffix = "/" + AdapterManifest.FILE;
        List<String> versions = new ArrayList<>();
        for (String key : store.list(prefix)) {
            if (key.endsWith(suffix)) {
                String version = key.substring(prefix.length(), key.length() - suffix.length());
                if (isName(version)) { // also drops deeper keys: a version id has no '/'
                    versions.add(version);
                }
            }
        }
        versions.sort(null);
        return versions;
    }

    /**
     * The version's manifest and its ancestors' (newest first), following {@code parentVersion} within the task.
     * Empty when the version itself has no manifest. A missing or corrupt ancestor, an invalid parent id or a loop
     * ends the walk with {@link Lineage#problem()} set.
     */
    public Optional<Lineage> lineage(String task, String version) throws IOException {
        Optional<AdapterManifest> start = manifest(task, version);
        if (start.isEmpty()) {
            return Optional.empty();
        }
        List<AdapterManifest> chain = new ArrayList<>(List.of(start.get()));
        Set<String> seen = new HashSet<>(Set.of(version));
        String child = version;
        for (String parent = start.get().parentVersion(); parent != null; ) {
            Optional<String> problem = parentProblem(task, child, parent, seen, chain.size());
            Optional<AdapterManifest> next = Optional.empty();
            if (problem.isEmpty()) {
                try {
                    next = manifest(task, parent);
                } catch (CorruptObjectException e) {
                    problem = Optional.of(e.getMessage());
                }
            }
            if (problem.isEmpty() && next.isEmpty()) {
                problem = Optional.of("parent version '" + parent + "' of '" + child + "' has no manifest ("
                        + adapterPrefix(task, parent) + AdapterManifest.FILE + ")");
            }
            if (problem.isPresent()) {
                return Optional.of(new Lineage(task, chain, problem));
            }
            seen.add(parent);
            chain.add(next.get());
            child = parent;
            parent = next.get().parentVersion();
        }
        return Optional.of(new Lineage(task, chain, Optional.empty()));
    }

    private static Optional<String> parentProblem(String task, String child, String parent, Set<String> seen,
            int length) {
        if (!isName(parent)) {
            return Optional.of("version '" + child + "' names an invalid parent version '" + parent + "'");
        }
        if (seen.contains(parent)) {
            return Optional.of("lineage of task '" + task + "' loops: '" + child + "' names '" + parent
                    + "', which is already in the chain");
        }
        if (length >= MAX_LINEAGE) {
            return Optional.of("lineage is longer than " + MAX_LINEAGE + " versions; stopped at '" + child + "'");
        }
        return Optional.empty();
    }

    /** Downloads an adapter version's files into {@code dir}. */
    public void fetchAdapter(String task, String version, Path dir) throws IOException {
        Files.createDirectories(dir);
        String prefix = adapterPrefix(task, version);
        for (String key : store.list(prefix)) {
            store.download(key, dir.resolve(key.substring(prefix.length())));
        }
    }

    /**
     * Returns {@code value} if it can be one segment of a key: 1-128 letters, digits, '.', '_' or '-', starting with a
     * letter or digit (so never '..', '/' or empty); else throws {@link InvalidNameException} naming {@code what}.
     */
    public static String requireName(String what, String value) {
        if (!isName(value)) {
            throw new InvalidNameException(what + " must be 1-128 letters, digits, '.', '_' or '-' and start"
                    + " with a letter or digit, got " + (value == null ? "null" : ObjectKeys.quote(value)));
        }
        return value;
    }

    public static boolean isName(String value) {
        return value != null && NAME.matcher(value).matches();
    }
}
