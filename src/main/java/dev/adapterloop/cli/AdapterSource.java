package dev.adapterloop.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.adapters.AdaptedClassifier;
import dev.adapterloop.adapters.NativeAdapterConfig;
import dev.adapterloop.adapters.NativeAdapterFiles;
import dev.adapterloop.adapters.PeftAdapterFiles;
import dev.adapterloop.events.AdapterManifest;
import dev.adapterloop.model.PretrainedModel;
import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.registry.AliasStore;
import dev.adapterloop.registry.AliasTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where {@code evaluate} and {@code export} get an adapter: a version or alias of a task in the registry, or a local
 * folder (a PEFT folder as {@code export} writes it, or the project's own format). Either way the files are PEFT LoRA
 * ({@code peft_type LORA}) or the own format ({@code peft_type ADAPTERLOOP}, e.g. lorma-pi).
 */
final class AdapterSource {

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    private AdapterSource() {
    }

    /** {@code name} as an alias of the task if it is one, else as a version; the version must be complete. */
    static String resolve(AdapterRegistry registry, AliasStore aliases, String task, String name) {
        AdapterRegistry.requireName("task", task);
        Optional<AliasTarget> alias = aliases.read(task).alias(name);
        String version = alias.map(AliasTarget::version).orElse(name);
        AdapterRegistry.requireName("adapter version", version);
        if (!registry.hasAdapter(task, version)) {
            throw CliException.notFound(alias.isPresent()
                    ? "alias '" + name + "' of task '" + task + "' points at " + version + ", which is not complete"
                    : "task '" + task + "' has no version or alias '" + name + "' in the registry");
        }
        return version;
    }

    /** The folder's manifest.json, when it has one (registry versions and exported folders do). */
    static Optional<AdapterManifest> manifest(Path dir) throws IOException {
        Path file = dir.resolve(AdapterManifest.FILE);
        return Files.isRegularFile(file) ? Optional.of(JSON.readValue(file.toFile(), AdapterManifest.class))
                : Optional.empty();
    }

    /** True for PEFT LoRA files, false for the own format; a folder that is neither is bad input. */
    static boolean isPeft(Path dir) throws IOException {
        Path config = dir.resolve(PeftAdapterFiles.CONFIG);
        if (!Files.isRegularFile(config)) {
            throw CliException.notFound("adapter folder " + dir + " has no " + PeftAdapterFiles.CONFIG);
        }
        String type = JSON.readTree(config.toFile()).path("peft_type").asText("");
        return switch (type) {
            case "LORA" -> true;
            case NativeAdapterConfig.PEFT_TYPE -> false;
            default -> throw CliException.badInput(config + ": peft_type must be LORA or "
                    + NativeAdapterConfig.PEFT_TYPE + ", got '" + type + "'");
        };
    }

    /**
     * Loads the adapter in {@code dir} onto {@code base} (which must carry no other adapter); close the result to
     * take it off again.
     */
    static AdaptedClassifier load(Path dir, PretrainedModel base, String baseModelId, List<String> labels)
            throws IOException {
        return isPeft(dir) ? PeftAdapterFiles.read(dir, base, labels)
                : NativeAdapterFiles.read(dir, base, AdapterRegistry.modelPrefix(baseModelId));
    }

    /** A fresh temporary folder under {@code workDir}, removed by {@link #delete}. */
    static Path tempDir(Path workDir, String prefix) throws IOException {
        return Files.createTempDirectory(Files.createDirectories(workDir), prefix);
    }

    static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // scratch space only; the next run uses a fresh folder
        }
    }
}
