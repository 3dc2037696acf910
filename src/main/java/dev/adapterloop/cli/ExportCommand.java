package dev.adapterloop.cli;

import dev.adapterloop.adapters.AdaptedClassifier;
import dev.adapterloop.adapters.MergedModelFiles;
import dev.adapterloop.adapters.PeftAdapterFiles;
import dev.adapterloop.engine.BaseModels;
import dev.adapterloop.engine.EngineConfig;
import dev.adapterloop.events.AdapterManifest;
import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.registry.AliasStore;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Writes a version to a local folder: as a PEFT LoRA folder (what the registry stores for every method with a PEFT
 * form, loadable by Hugging Face PEFT) or, with {@code --merged}, as a full model with the adapter merged in
 * ({@link MergedModelFiles}). A method without a PEFT form (LoRMA_π) is exported only with {@code --merged}.
 */
@Dependent
@Unremovable
@Command(name = "export", sortOptions = false,
        description = {"Writes an adapter version to a local folder: a PEFT LoRA folder (adapter_config.json, "
                + "adapter_model.safetensors, plus manifest.json), or with --merged a Hugging Face model folder "
                + "with the adapter merged into the base weights (config.json, model.safetensors, tokenizer.json, "
                + "classifier.safetensors).",
                "Versions of a method without a PEFT form (LoRMA_π: they exist only in adapterloop's own format) "
                        + "are exported with --merged."})
public class ExportCommand implements Callable<Integer> {

    @Mixin
    HelpOption help = new HelpOption();

    @Option(names = "--task", defaultValue = TrainCommand.DEFAULT_TASK, paramLabel = "TASK",
            description = "Task; default: ${DEFAULT-VALUE}.")
    String task;

    @Option(names = "--version", required = true, paramLabel = "VERSION|ALIAS",
            description = "Version id or alias (champion, challenger).")
    String version;

    @Option(names = {"--output", "-o"}, required = true, paramLabel = "DIR",
            description = "Folder to write; must not exist or be empty.")
    Path output;

    @Option(names = "--merged", description = "Merge the adapter into the base model and write the full model.")
    boolean merged;

    @Inject
    AdapterRegistry registry;

    @Inject
    AliasStore aliases;

    @Inject
    BaseModels baseModels;

    @Inject
    EngineConfig engine;

    @Override
    public Integer call() throws IOException {
        String resolved = AdapterSource.resolve(registry, aliases, task, version);
        requireEmpty(output);
        Path scratch = AdapterSource.tempDir(engine.workDir(), "export-");
        try {
            registry.fetchAdapter(task, resolved, scratch);
            AdapterManifest manifest = AdapterSource.manifest(scratch).orElseThrow(() ->
                    CliException.notFound(resolved + " has no " + AdapterManifest.FILE));
            Files.createDirectories(output);
            if (merged) {
                Path baseFolder = registry.fetchModel(manifest.baseModel(), engine.modelCache());
                try (AdaptedClassifier model = AdapterSource.load(scratch, baseModels.get(manifest.baseModel()),
                        manifest.baseModel(), manifest.labels())) {
                    MergedModelFiles.write(model, baseFolder, output);
                }
            } else {
                if (!AdapterSource.isPeft(scratch)) {
                    throw CliException.badInput(resolved + " was trained with " + manifest.method() + ", which has "
                            + "no PEFT form: it exists only in adapterloop's own format, which PEFT cannot load. "
                            + "Export it with --merged.");
                }
                PeftAdapterFiles.readConfig(scratch); // a stored folder that PEFT could not read is not exported
                for (String file : List.of(PeftAdapterFiles.CONFIG, PeftAdapterFiles.WEIGHTS, AdapterManifest.FILE)) {
                    Files.copy(scratch.resolve(file), output.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            System.out.printf("exported %s of task %s (%s) to %s%s%n", resolved, task, manifest.method(), output,
                    merged ? " (merged model)" : " (PEFT LoRA)");
            return ExitCodes.OK;
        } finally {
            AdapterSource.delete(scratch);
        }
    }

    private static void requireEmpty(Path dir) throws IOException {
        if (Files.exists(dir)) {
            if (!Files.isDirectory(dir)) {
                throw CliException.usage("--output " + dir + " is a file");
            }
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw CliException.usage("--output " + dir + " is not empty; refusing to overwrite");
                }
            }
        }
    }
}
