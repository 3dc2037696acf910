package dev.adapterloop.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.adapterloop.adapters.AdaptedClassifier;
import dev.adapterloop.config.TaskKind;
import dev.adapterloop.config.TaskCatalogue;
import dev.adapterloop.config.TasksConfig;
import dev.adapterloop.dataset.DatasetFormatException;
import dev.adapterloop.dataset.JsonlDatasetReader;
import dev.adapterloop.dataset.LabeledExample;
import dev.adapterloop.dataset.MalformedLinePolicy;
import dev.adapterloop.engine.BaseModels;
import dev.adapterloop.engine.EngineConfig;
import dev.adapterloop.evaluation.EvaluationEvents;
import dev.adapterloop.evaluation.EvaluationReport;
import dev.adapterloop.evaluation.Evaluator;
import dev.adapterloop.events.AdapterManifest;
import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.registry.AliasStore;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Evaluates an adapter (a registry version or alias, or a local folder) on labeled data with the service's
 * {@link Evaluator}: the same accuracy, macro-F1 and per-label figures a job reports.
 */
@Dependent
@Unremovable
@Command(name = "evaluate", sortOptions = false,
        description = {"Evaluates an adapter on labeled data and prints accuracy, macro-F1, the majority baseline and "
                + "per-label precision/recall/F1.",
                "The adapter: --version (a version id or an alias such as champion) of --task, or --adapter-dir "
                        + "(a folder written by 'export', or any PEFT LoRA folder of the task's base model).",
                "The data: --data (local JSONL), --data-key (in the bucket), or by default the held-out set the "
                        + "version was evaluated on when trained (else the task's held-out-key)."})
public class EvaluateCommand implements Callable<Integer> {

    @Mixin
    HelpOption help = new HelpOption();

    @Option(names = "--task", defaultValue = TrainCommand.DEFAULT_TASK, paramLabel = "TASK",
            description = "Task of the adapter; default: ${DEFAULT-VALUE}.")
    String task;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--version", paramLabel = "VERSION|ALIAS", description = "Version id (v-...) or alias of "
                + "the task in the registry.")
        String version;

        @Option(names = "--adapter-dir", paramLabel = "DIR", description = "A local adapter folder instead.")
        Path adapterDir;
    }

    @Option(names = "--data", paramLabel = "FILE", description = "Local JSONL to evaluate on (checked strictly).")
    Path dataFile;

    @Option(names = "--data-key", paramLabel = "KEY", description = "JSONL in the bucket to evaluate on.")
    String dataKey;

    @Option(names = "--max-seq-len", paramLabel = "TOKENS", description = "Longest input in tokens; default: what "
            + "the adapter was trained with (else the task's setting).")
    Integer maxSequenceLength;

    @Option(names = "--batch-size", defaultValue = "64", paramLabel = "N",
            description = "Examples per forward pass; default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--json", description = "Print one JSON object (the metrics of an adapter-evaluated event).")
    boolean json;

    @Inject
    AdapterRegistry registry;

    @Inject
    AliasStore aliases;

    /** Configured tasks and those defined in the bucket ('adapterloop task put'), as the service sees them. */
    @Inject
    TaskCatalogue tasks;

    @Inject
    BaseModels baseModels;

    @Inject
    EngineConfig engine;

    @Inject
    ObjectMapper mapper;

    @Override
    public Integer call() throws IOException {
        AdapterRegistry.requireName("task", task);
        if (dataFile != null && dataKey != null) {
            throw CliException.usage("give --data or --data-key, not both");
        }
        Optional<TasksConfig.Task> config = Optional.ofNullable(tasks.tasks().get(task));
        String version = source.version == null ? null : AdapterSource.resolve(registry, aliases, task,
                source.version);
        Path dir = source.adapterDir;
        Path scratch = null;
        try {
            if (version != null) {
                scratch = AdapterSource.tempDir(engine.workDir(), "evaluate-");
                registry.fetchAdapter(task, version, scratch);
                dir = scratch;
            } else if (!java.nio.file.Files.isDirectory(dir)) {
                throw CliException.notFound("no such adapter folder: " + dir);
            }
            Path folder = dir;
            Optional<AdapterManifest> manifest = AdapterSource.manifest(folder);
            if (manifest.map(AdapterManifest::generates).orElse(false)
                    || config.map(c -> c.kind() == TaskKind.GENERATION).orElse(false)) {
                throw CliException.usage("evaluate scores classification adapters; a generation version's held-out"
                        + " loss, perplexity and the base model's are in its manifest ('generation'), measured by the"
                        + " job that trained it (docs/generation.md)");
            }
            String baseModel = manifest.map(AdapterManifest::baseModel).or(() -> config.map(TasksConfig.Task::baseModel))
                    .orElseThrow(() -> CliException.notFound("task '" + task + "' is not configured and " + folder
                            + " has no manifest.json naming its base model"));
            List<String> labels = manifest.map(AdapterManifest::labels).or(() -> config.map(TasksConfig.Task::labels))
                    .orElseThrow();
            int maxLength = maxSequenceLength != null ? maxSequenceLength : manifest
                    .map(m -> m.hyperparameters().get("maxSequenceLength")).filter(Number.class::isInstance)
                    .map(n -> ((Number) n).intValue())
                    .or(() -> config.map(c -> c.training().maxSequenceLength())).orElse(128);
            List<LabeledExample> examples = examples(manifest, config, labels);
            if (!registry.hasModel(baseModel)) {
                throw CliException.notFound("base model '" + baseModel + "' is not in the bucket");
            }
            EvaluationReport report;
            try (AdaptedClassifier model = AdapterSource.load(dir, baseModels.get(baseModel), baseModel, labels)) {
                report = new Evaluator(batchSize, maxLength).evaluate(model, examples);
            }
            print(System.out, version != null ? version : dir.toString(), report);
            return ExitCodes.OK;
        } finally {
            AdapterSource.delete(scratch);
        }
    }

    private List<LabeledExample> examples(Optional<AdapterManifest> manifest, Optional<TasksConfig.Task> config,
                                          List<String> labels) throws IOException {
        if (dataFile != null) {
            return LocalDatasets.read(dataFile, labels);
        }
        String key = dataKey != null ? dataKey : manifest.map(AdapterManifest::heldOut).map(h -> h.key())
                .or(() -> config.flatMap(TasksConfig.Task::heldOutKey))
                .orElseThrow(() -> CliException.usage("no data to evaluate on: give --data FILE or --data-key KEY"));
        if (registry.statDataset(task, key).isEmpty()) {
            throw CliException.notFound("dataset " + key + " is not in the bucket");
        }
        try (InputStream in = registry.openDataset(task, key)) {
            List<LabeledExample> known = new JsonlDatasetReader(LocalDatasets.MAX_BYTES,
                    MalformedLinePolicy.SKIP_AND_COUNT).read(in).examples().stream()
                    .filter(e -> labels.contains(e.label())).toList();
            if (known.isEmpty()) {
                throw new DatasetFormatException(0, key + " has no example with one of the labels " + labels);
            }
            return known;
        }
    }

    private void print(PrintStream out, String adapter, EvaluationReport report) throws IOException {
        if (json) {
            ObjectNode node = mapper.createObjectNode();
            node.put("task", task).put("adapter", adapter);
            node.set("metrics", mapper.valueToTree(EvaluationEvents.metrics(report)));
            out.println(mapper.writeValueAsString(node));
            return;
        }
        out.printf("adapter      %s (task %s)%n", adapter, task);
        out.printf("accuracy     %.4f (majority baseline %.4f, '%s')%n", report.accuracy(),
                report.majorityBaseline(), report.majorityLabel());
        out.printf("macro-F1     %.4f over %d examples%n", report.macroF1(), report.examples());
        report.perLabel().forEach((label, m) -> out.printf("  %-12s precision %.4f recall %.4f F1 %.4f support %d%n",
                label, m.precision(), m.recall(), m.f1(), m.support()));
    }
}
