package dev.adapterloop.cli;

import ai.djl.Device;
import dev.adapterloop.dataset.DatasetDigest;
import dev.adapterloop.engine.EngineConfig;
import dev.adapterloop.model.CheckpointTensors;
import dev.adapterloop.model.PretrainedModel;
import dev.adapterloop.model.onnx.OnnxBertImporter;
import dev.adapterloop.model.onnx.OnnxFormatException;
import dev.adapterloop.registry.AdapterRegistry;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Puts a base model into the registry ({@code models/<id>/}: config.json, model.safetensors, tokenizer.json), from a
 * Hugging Face folder or a BERT-family ONNX file (converted by {@link OnnxBertImporter}, as the bundled model is).
 * The model is loaded once before it is stored, so a folder the engine cannot use never reaches the bucket.
 */
@Dependent
@Unremovable
@Command(name = "import-model", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Imports a base model into the registry under models/<id>/, from a Hugging Face folder "
                + "(config.json, model.safetensors, tokenizer.json of a BERT-family encoder), an fp32 ONNX file "
                + "with its tokenizer.json, or the bundled all-MiniLM-L6-v2.",
                "The model is loaded once to check it. An id already in the bucket with the same weights is left "
                        + "as it is (exit 0); with other weights the import is refused (exit 6): adapters record the "
                        + "weights they were trained on."})
public class ImportModelCommand implements Callable<Integer> {

    @Option(names = "--id", required = true, paramLabel = "MODEL_ID",
            description = "Model id: tasks name it in adapterloop.tasks.<task>.base-model.")
    String id;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--hf", paramLabel = "DIR", description = "A Hugging Face model folder.")
        Path huggingFace;

        @Option(names = "--onnx", paramLabel = "FILE", description = "An fp32 ONNX file of a BERT-family encoder "
                + "(needs --tokenizer).")
        Path onnx;

        @Option(names = "--bundled", description = "The bundled all-MiniLM-L6-v2.")
        boolean bundled;
    }

    @Option(names = "--tokenizer", paramLabel = "FILE", description = "tokenizer.json for --onnx.")
    Path tokenizer;

    @Inject
    AdapterRegistry registry;

    @Inject
    EngineConfig engine;

    @Override
    public Integer call() throws IOException {
        AdapterRegistry.requireName("model id", id);
        Path scratch = null;
        try {
            Path folder;
            if (source.huggingFace != null) {
                folder = requireExists(source.huggingFace);
            } else {
                scratch = AdapterSource.tempDir(engine.workDir(), "import-model-");
                folder = scratch;
                try {
                    if (source.bundled) {
                        new OnnxBertImporter().writeBundledMiniLm(folder);
                    } else {
                        if (tokenizer == null) {
                            throw CliException.usage("--onnx needs --tokenizer FILE (the model's tokenizer.json)");
                        }
                        new OnnxBertImporter().writeHuggingFaceFolder(requireExists(source.onnx),
                                requireExists(tokenizer), folder);
                    }
                } catch (OnnxFormatException e) {
                    throw CliException.badInput("cannot import " + source.onnx + ": " + e.getMessage());
                }
            }
            check(folder);
            // One file's digest stands for the weights: model.safetensors, or the shard index of a sharded folder.
            String weightsFile = CheckpointTensors.modelFiles(folder).contains(PretrainedModel.WEIGHTS)
                    ? PretrainedModel.WEIGHTS : CheckpointTensors.SHARD_INDEX;
            String weights = DatasetDigest.sha256Hex(folder.resolve(weightsFile));
            String prefix = AdapterRegistry.modelPrefix(id);
            if (registry.hasModel(id)) {
                String stored = registry.store().sha256(prefix + weightsFile);
                if (!stored.equalsIgnoreCase(weights)) {
                    throw new CliException(ExitCodes.CONFLICT, "model '" + id + "' is already in the bucket with "
                            + "other weights (sha256 " + stored + "); choose another --id");
                }
                System.out.printf("model %s is already in the bucket at %s (same weights, sha256 %s)%n", id, prefix,
                        weights);
                return ExitCodes.OK;
            }
            registry.putModel(id, folder);
            System.out.printf("imported model %s to %s (weights sha256 %s)%n", id, prefix, weights);
            return ExitCodes.OK;
        } finally {
            AdapterSource.delete(scratch);
        }
    }

    private static Path requireExists(Path path) {
        if (!Files.exists(path)) {
            throw CliException.notFound("no such file or folder: " + path);
        }
        return path;
    }

    /** Loads the folder on the CPU: what the engine cannot load is refused here, not in a training job. */
    private static void check(Path folder) {
        try (PretrainedModel ignored = PretrainedModel.load(folder, Device.cpu())) {
            // loading is the check
        } catch (IOException | RuntimeException e) {
            throw CliException.badInput("not a usable model folder " + folder + ": " + e.getMessage());
        }
    }
}
