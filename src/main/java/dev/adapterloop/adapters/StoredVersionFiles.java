package dev.adapterloop.adapters;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.model.PretrainedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files of one stored adapter version (the folder published as {@code adapters/<task>/<version>/}, next to its
 * {@code manifest.json}):
 * <ul>
 *   <li>methods with a PEFT form ({@link AdapterMethod#peftSettings()}; all but LoRMA_π): the PEFT folder at the top
 *   level ({@link PeftAdapterFiles}, what servers load), and the project's own files ({@link NativeAdapterFiles}) in
 *   {@value #NATIVE}/. The PEFT form is not always enough to continue training (LoRMA₊ is exported as
 *   {@code B' = W0·B} pre, MiLoRA/PiSSA as a rank-2r LoRA relative to W0, both losing the raw factors), and no PEFT
 *   config records the labels or the base model's fingerprint;</li>
 *   <li>methods without one: the own format at the top level, and no {@value #NATIVE}/.</li>
 * </ul>
 * So every version written here carries what {@link WarmStart#load} needs for an exact warm start.
 */
public final class StoredVersionFiles {

    /** Subfolder holding the own-format files when the top level is PEFT. */
    public static final String NATIVE = "native";

    private StoredVersionFiles() {
    }

    /**
     * Writes {@code model}'s version files into {@code dir} (created if missing): PEFT at the top level plus
     * {@value #NATIVE}/ when the method has a PEFT form, else the own format at the top level.
     *
     * @param baseModel the base model's id as recorded in the files, e.g. {@code models/all-minilm-l6-v2/}; loading
     *                  must give the same id
     * @return the written files relative to {@code dir}, in a stable order (see {@link #files})
     */
    public static List<Path> write(AdaptedClassifier model, String baseModel, Path dir) throws IOException {
        if (model.method().peftSettings().isPresent()) {
            PeftAdapterFiles.write(model, baseModel, dir);
            NativeAdapterFiles.write(model, baseModel, dir.resolve(NATIVE));
        } else {
            NativeAdapterFiles.write(model, baseModel, dir);
        }
        return files(dir);
    }

    /**
     * The stored version in {@code dir} as a model over {@code base}, built with the configuration the version was
     * trained with (method, rank, labels, ...) rather than the task's current one: for scoring or serving a version
     * as it is. The caller closes the model.
     *
     * @throws AdapterFormatException the folder has no complete own-format adapter, or it was built for another base
     */
    public static AdaptedClassifier load(PretrainedModel base, Path dir) throws IOException {
        NativeAdapterConfig config = NativeAdapterConfig.read(nativeDir(dir).resolve(NativeAdapterFiles.CONFIG));
        AdaptedClassifier model = AdaptedClassifier.create(base, config.labels(), config.method(), 0);
        try {
            WarmStart.load(model, dir, config.baseModel());
            return model;
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * Every regular file under {@code dir}, relative to it, sorted by path with '/' separators (e.g.
     * {@code adapter_config.json}, {@code adapter_model.safetensors}, {@code native/adapter_config.json}, ...): what
     * a publisher must upload and a content id must cover.
     */
    public static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).map(dir::relativize)
                    .sorted((a, b) -> slashed(a).compareTo(slashed(b))).toList();
        }
    }

    private static String slashed(Path relative) {
        return relative.toString().replace(relative.getFileSystem().getSeparator(), "/");
    }

    /**
     * The folder of {@code dir}'s own-format files: {@value #NATIVE}/ when present, else {@code dir} itself when its
     * {@code adapter_config.json} is the own format. A version with only PEFT files (written before versions carried
     * {@value #NATIVE}/) cannot be warm-started exactly and is refused with an {@link AdapterFormatException}.
     */
    public static Path nativeDir(Path dir) throws IOException {
        Path nested = dir.resolve(NATIVE);
        if (Files.isRegularFile(nested.resolve(NativeAdapterFiles.CONFIG))) {
            return nested;
        }
        Path config = dir.resolve(NativeAdapterFiles.CONFIG);
        if (!Files.isRegularFile(config)) {
            throw new AdapterFormatException("adapter folder " + dir + " has no " + NativeAdapterFiles.CONFIG);
        }
        JsonNode json;
        try {
            json = new ObjectMapper().readTree(config.toFile());
        } catch (JacksonException e) {
            throw new AdapterFormatException(config + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (json != null && NativeAdapterConfig.PEFT_TYPE.equals(json.path("peft_type").asText())) {
            return dir;
        }
        throw new AdapterFormatException("adapter folder " + dir + " has only the PEFT form (no " + NATIVE + "/"
                + NativeAdapterFiles.CONFIG + "): it lacks the raw factors, labels and base-model fingerprint an"
                + " exact warm start needs");
    }
}
