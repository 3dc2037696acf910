package dev.adapterloop.serving;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.adapters.AdaptedClassifier;
import dev.adapterloop.adapters.AdaptedLanguageModel;
import dev.adapterloop.adapters.NativeAdapterConfig;
import dev.adapterloop.adapters.NativeAdapterFiles;
import dev.adapterloop.adapters.PeftAdapterFiles;
import dev.adapterloop.adapters.StoredVersionFiles;
import dev.adapterloop.events.AdapterManifest;
import dev.adapterloop.model.ChatFormat;
import dev.adapterloop.model.PretrainedModel;
import dev.adapterloop.model.TokenizerSettings;
import dev.adapterloop.model.decoder.DecoderModel;
import dev.adapterloop.model.decoder.TextGenerator;
import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.registry.ObjectStoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Builds a {@link ServedModel} from an adapter version in the bucket: the base model from {@code models/<id>/} (cached
 * locally), a fresh encoder over it, the version's adapter files (the project's own format when present, else PEFT
 * LoRA, which is what every method with a LoRA form publishes) and, in merged mode, the adapters folded into the
 * weights. Everything that can fail happens here, before the model is handed to a serving slot.
 */
public final class VersionLoader {

    public static final String MERGED = "merged";
    public static final String UNMERGED = "unmerged";
    /** Every version's adapters applied unmerged on one loaded copy of its base model per process. */
    public static final String SHARED = "shared";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AdapterRegistry registry;
    private final Path modelCache;
    private final Path workDir;
    private final Device device;
    private final DataType computeType;
    private final SharedBases sharedBases;

    public VersionLoader(AdapterRegistry registry, Path modelCache, Path workDir, Device device,
            DataType computeType) {
        this.registry = registry;
        this.modelCache = modelCache;
        this.workDir = workDir;
        this.device = device;
        this.computeType = computeType;
        this.sharedBases = new SharedBases(this::loadBase);
    }

    private PretrainedModel loadBase(String modelId) throws IOException {
        PretrainedModel base = PretrainedModel.load(registry.fetchModel(modelId, modelCache), device);
        base.backbone().setComputeType(computeType);
        return base;
    }

    /** Base models loaded for {@code shared} mode now (a served version holds each). */
    public int sharedBaseCount() {
        return sharedBases.size();
    }

    /** @throws VersionLoadException naming the task, the version and what is wrong with it */
    public ServedModel load(String task, String version, String mode) {
        if (!MERGED.equals(mode) && !UNMERGED.equals(mode) && !SHARED.equals(mode)) {
            throw new IllegalArgumentException("adapterloop.serving.mode must be shared, merged or unmerged, got "
                    + mode);
        }
        Engine.getEngine("PyTorch"); // loads libtorch when this is the process's first use of it (a fresh server)
        JniUtils.setGradMode(false);
        Path dir = workDir.resolve("serving").resolve(task).resolve(version + "-" + UUID.randomUUID());
        PretrainedModel encoder = null;
        try {
            AdapterManifest manifest = registry.manifest(task, version)
                    .orElseThrow(() -> VersionLoadException.missing(task, version, "no manifest at "
                            + AdapterRegistry.adapterPrefix(task, version) + AdapterManifest.FILE
                            + " (unknown or incomplete version)"));
            if (SHARED.equals(mode)) {
                return loadShared(task, version, manifest, dir);
            }
            Path modelDir = registry.fetchModel(manifest.baseModel(), modelCache);
            registry.fetchAdapter(task, version, dir);
            encoder = PretrainedModel.load(modelDir, device);
            encoder.backbone().setComputeType(computeType);
            if (manifest.generates()) {
                return generating(task, version, dir, encoder);
            }
            AdaptedClassifier model = adapter(dir, encoder, manifest);
            if (MERGED.equals(mode)) {
                model.merge();
            }
            return new ServedModel(task, version, mode, model.labels(), encoder, batch -> model.logits(batch, false),
                    model);
        } catch (VersionLoadException e) {
            closeQuietly(encoder);
            throw e;
        } catch (Exception e) { // corrupt files, missing tensors, a bucket that is away: all mean "not this one"
            closeQuietly(encoder);
            throw new VersionLoadException(task, version, reason(e), e);
        } finally {
            deleteQuietly(dir);
        }
    }

    /**
     * The version's adapters and head on the process's one copy of its base: reading a small adapter file, no model
     * load once the base is there. The adapters are built on the base, then detached from its layers
     * ({@link AdaptedClassifier#detach}), so that versions loaded later on the same base do not see them; requests
     * route their rows through them instead. The loader thread is the only one that installs anything on a shared
     * base, and routed passes ignore what is installed, so loading never disturbs requests in flight.
     */
    private ServedModel loadShared(String task, String version, AdapterManifest manifest, Path dir)
            throws IOException {
        SharedBases.Lease lease = sharedBases.acquire(manifest.baseModel());
        AutoCloseable adapters = null;
        try {
            registry.fetchAdapter(task, version, dir);
            PretrainedModel base = lease.model();
            if (manifest.generates()) {
                if (!(base.backbone() instanceof DecoderModel model)) {
                    throw new VersionLoadException(task, version, "a generation version needs a decoder base model,"
                            + " got a " + base.config().modelType() + " encoder");
                }
                AdaptedLanguageModel language = PeftAdapterFiles.readLanguageModel(dir, model, base.manager());
                adapters = language;
                language.detach();
                GenerationParts parts = generationParts(task, version, base, model);
                return ServedModel.generatingShared(task, version, base, parts.generator(), parts.chat(), language,
                        language::routed, lease);
            }
            AdaptedClassifier model = adapter(dir, base, manifest);
            adapters = model;
            model.detach();
            return ServedModel.shared(task, version, model, base, lease);
        } catch (IOException | RuntimeException e) {
            if (adapters != null) {
                try {
                    adapters.close();
                } catch (Exception closing) {
                    e.addSuppressed(closing);
                }
            }
            lease.close();
            throw e;
        }
    }

    private record GenerationParts(TextGenerator generator, ChatFormat chat) {
    }

    /** The generator over {@code model} that ends completions at the tokenizer's end-of-sequence ids, and its chat. */
    private static GenerationParts generationParts(String task, String version, PretrainedModel decoder,
            DecoderModel model) {
        TokenizerSettings settings = decoder.tokenizer().settings().orElseThrow(() -> new VersionLoadException(task,
                version, "the base model has no tokenizer settings"));
        List<Long> ends = settings.stopIds();
        if (ends.isEmpty()) {
            throw new VersionLoadException(task, version, "the base model names no end-of-sequence token");
        }
        TextGenerator generator = new TextGenerator(model, decoder.tokenizer(), ends,
                settings.batchPadId().orElse(ends.getFirst()));
        return new GenerationParts(generator, chatFormat(settings, task, version));
    }

    /**
     * A generation task's version: its PEFT {@code CAUSAL_LM} adapters on the decoder, unmerged whatever the serving
     * mode (folding them into the decoder's weights is not built yet), and a generator that ends completions at the
     * tokenizer's end-of-sequence ids.
     */
    private static ServedModel generating(String task, String version, Path dir, PretrainedModel decoder)
            throws IOException {
        if (!(decoder.backbone() instanceof DecoderModel model)) {
            throw new VersionLoadException(task, version, "a generation version needs a decoder base model, got a "
                    + decoder.config().modelType() + " encoder");
        }
        GenerationParts parts = generationParts(task, version, decoder, model);
        AdaptedLanguageModel adapters = PeftAdapterFiles.readLanguageModel(dir, model, decoder.manager());
        return ServedModel.generating(task, version, UNMERGED, decoder, parts.generator(), parts.chat(), adapters);
    }

    /** The chat template when the base model has one that compiles; a broken one only costs chat requests. */
    private static ChatFormat chatFormat(TokenizerSettings settings, String task, String version) {
        if (settings.chatTemplate().isEmpty()) {
            return null;
        }
        try {
            return ChatFormat.of(settings);
        } catch (IllegalArgumentException e) {
            org.jboss.logging.Logger.getLogger(VersionLoader.class).warnf("serving %s/%s: the base model's chat"
                    + " template does not compile (%s); requests with messages will be refused", task, version,
                    e.getMessage());
            return null;
        }
    }

    /**
     * The reason reaches no-champion answers and the unauthenticated {@code /q/health/ready}: an object store's
     * message names its address and bucket, so a store failure is told only by its kind; the cause, logged where the
     * load failure is, keeps the rest.
     */
    private static String reason(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ObjectStoreException store) {
                return (store.isRetriable() ? "the object store did not answer" : "the object store refused a request")
                        + store.errorCode().map(code -> " (" + code + ")").orElse("")
                        + "; the cause is in the service's log";
            }
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** The own format (exact for every method) when the version has it, else the PEFT LoRA folder. */
    private static AdaptedClassifier adapter(Path dir, PretrainedModel encoder, AdapterManifest manifest)
            throws IOException {
        Path nested = dir.resolve(StoredVersionFiles.NATIVE).resolve(NativeAdapterFiles.CONFIG);
        Path top = dir.resolve(PeftAdapterFiles.CONFIG);
        boolean ownFormat = Files.isRegularFile(nested) || (Files.isRegularFile(top)
                && NativeAdapterConfig.PEFT_TYPE.equals(JSON.readTree(top.toFile()).path("peft_type").asText()));
        if (!ownFormat) {
            return PeftAdapterFiles.read(dir, encoder, manifest.labels());
        }
        return StoredVersionFiles.load(encoder, dir);
    }

    private static void closeQuietly(PretrainedModel encoder) {
        if (encoder != null) {
            encoder.close();
        }
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a leftover scratch folder under the work dir; the next load uses another name
        }
    }
}
