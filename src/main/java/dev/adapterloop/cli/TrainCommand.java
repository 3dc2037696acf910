package dev.adapterloop.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.adapterloop.adapters.AdapterMethod;
import dev.adapterloop.adapters.AdapterMethods;
import dev.adapterloop.adapters.SharedHyperparameters;
import dev.adapterloop.adapters.TargetModules;
import dev.adapterloop.config.TaskKind;
import dev.adapterloop.config.TaskCatalogue;
import dev.adapterloop.config.TasksConfig;
import dev.adapterloop.events.CompletionMetrics;
import dev.adapterloop.dataset.CompletionRecord;
import dev.adapterloop.dataset.CompletionDatasetReader;
import dev.adapterloop.dataset.DigestedRead;
import dev.adapterloop.dataset.JsonlRecordReader;
import dev.adapterloop.dataset.JsonlDatasetReader;
import dev.adapterloop.dataset.MalformedLinePolicy;
import dev.adapterloop.events.DatasetRef;
import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.training.JobOutcome;
import dev.adapterloop.training.JobSettings;
import dev.adapterloop.training.TrainingConfig;
import dev.adapterloop.training.TrainingJob;
import dev.adapterloop.training.TrainingJobRunner;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Trains one adapter version with the service's own job runner ({@link TrainingJobRunner}): same data checks,
 * training, held-out evaluation, registry layout, manifest and events. The hyperparameter options replace the task's
 * configured values in the job's settings ({@link JobSettings}), which go to the runner directly.
 */
@Dependent
@Unremovable
@Command(name = TrainCommand.NAME, mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trains an adapter version for a task and stores it in the registry, like the service does for "
                + "a labeled-data event; prints the version.",
                "Data: dataset keys already in the bucket (--dataset-key) and/or local JSONL files (--data), one "
                        + "{\"text\": ..., \"label\": ...} object per line. Local files are checked strictly (the first "
                        + "bad line stops the command) and uploaded to datasets/<task>/cli-<sha256>.jsonl, so the "
                        + "version's manifest names data anyone can read again.",
                "Hyperparameter options override the task's configuration (adapterloop.tasks.<task>.*) for this run."})
public class TrainCommand implements Callable<Integer> {

    static final String NAME = "train";
    static final String TASK_OPTION = "--task";
    static final String DEFAULT_TASK = "spam";
    @Option(names = TASK_OPTION, defaultValue = DEFAULT_TASK, paramLabel = "TASK",
            description = "Task to train (configured under adapterloop.tasks.<task>); default: ${DEFAULT-VALUE}.")
    String task;

    @Option(names = "--dataset-key", paramLabel = "KEY", description = "A training dataset already in the bucket, "
            + "under datasets/<task>/ (repeatable).")
    List<String> datasetKeys = new ArrayList<>();

    @Option(names = "--data", paramLabel = "FILE", description = "A local training JSONL file (repeatable).")
    List<Path> dataFiles = new ArrayList<>();

    @Option(names = "--held-out-key", paramLabel = "KEY", description = "Held-out dataset in the bucket to evaluate "
            + "on; default: the task's held-out-key.")
    String heldOutKey;

    @Option(names = "--held-out", paramLabel = "FILE", description = "A local held-out JSONL file instead (uploaded "
            + "like --data).")
    Path heldOutFile;

    @Option(names = "--method", paramLabel = "METHOD", completionCandidates = MethodNames.class,
            description = "Adapter method: ${COMPLETION-CANDIDATES}.")
    String method;

    @Option(names = "--rank", paramLabel = "R", description = "Adapter rank r (> 0).")
    Integer rank;

    @Option(names = "--alpha", paramLabel = "A", description = "Scaling alpha (the update is scaled by alpha/r).")
    Double alpha;

    @Option(names = "--dropout", paramLabel = "P", description = "Dropout on the adapter's input, in [0, 1).")
    Double dropout;

    @Option(names = "--targets", paramLabel = "MODULES", description = "Target modules: names (query,value) or "
            + "re:<regex> over module paths.")
    String targets;

    @Option(names = "--option", paramLabel = "NAME=VALUE", description = "One of the method's own options "
            + "(repeatable), e.g. use-rslora=true, placement=post; replaces the task's adapter.options.")
    Map<String, String> methodOptions;

    @Option(names = "--epochs", paramLabel = "N", description = "Passes over the training data.")
    Integer epochs;

    @Option(names = "--max-steps", paramLabel = "N", description = "Stop after N optimizer steps (0: as many as the "
            + "epochs give).")
    Integer maxSteps;

    @Option(names = "--batch-size", paramLabel = "N", description = "Examples per step.")
    Integer batchSize;

    @Option(names = "--lr", paramLabel = "LR", description = "Peak learning rate (after warm-up).")
    Double learningRate;

    @Option(names = "--seed", paramLabel = "SEED", description = "Seed of initialisation, shuffling and dropout: the "
            + "same data, configuration and seed give the same version id.")
    Long seed;

    @Option(names = "--max-seq-len", paramLabel = "TOKENS", description = "Longest input in tokens (>= 8); longer "
            + "texts are truncated.")
    Integer maxSequenceLength;

    @Option(names = "--json", description = "Print the result as one JSON object instead of text.")
    boolean json;

    /** Configured tasks and those defined in the bucket ('adapterloop task put'), as the service sees them. */
    @Inject
    TaskCatalogue tasks;

    @Inject
    TrainingJobRunner runner;

    @Inject
    AdapterRegistry registry;

    @Inject
    ConsoleProgress progress;

    @Inject
    ObjectMapper mapper;

    static String configPrefix(String task) {
        return "adapterloop.tasks." + task + ".";
    }

    @Override
    public Integer call() throws IOException {
        AdapterRegistry.requireName("task", task);
        TasksConfig.Task config = Optional.ofNullable(tasks.tasks().get(task)).orElseThrow(() ->
                CliException.notFound("task '" + task + "' is neither defined in the bucket ('adapterloop task put') "
                        + "nor configured (no " + configPrefix(task) + "labels or " + configPrefix(task) + "kind)"));
        JobSettings settings = settings(config);
        if (datasetKeys.isEmpty() && dataFiles.isEmpty()) {
            throw CliException.usage("give training data: --data FILE and/or --dataset-key KEY");
        }
        List<DatasetRef> datasets = new ArrayList<>();
        for (Path file : dataFiles) {
            datasets.add(LocalDatasets.upload(registry, task, file, config.labels()));
        }
        for (String key : datasetKeys) {
            datasets.add(inBucket(key));
        }
        DatasetRef heldOut = heldOut(config);
        if (!registry.hasModel(config.baseModel())) {
            throw CliException.notFound("base model '" + config.baseModel() + "' is not in the bucket ("
                    + AdapterRegistry.modelPrefix(config.baseModel()) + "): import it with 'adapterloop import-model'");
        }
        PrintStream out = System.out;
        if (!json) {
            datasets.forEach(d -> out.printf("dataset      %s (%d examples, sha256 %s)%n", d.key(), d.records(),
                    d.sha256()));
            out.printf("held out     %s (%d examples)%n", heldOut.key(), heldOut.records());
        }
        String jobId = "cli-" + UUID.randomUUID();
        progress.enable();
        JobOutcome outcome;
        try {
            outcome = runner.run(new TrainingJob(jobId, task, jobId, datasets, heldOut), settings);
        } finally {
            progress.close();
        }
        if (!outcome.succeeded()) {
            throw new CliException(ExitCodes.of(outcome.failureKind()), "job " + jobId + " failed ("
                    + outcome.failureKind().wireName() + "): " + outcome.failure());
        }
        print(out, outcome);
        return ExitCodes.OK;
    }

    /** The task's configured settings with this run's options in their place; wrong values are a usage error. */
    private JobSettings settings(TasksConfig.Task config) {
        TasksConfig.Adapter a = config.adapter();
        TrainingConfig t;
        AdapterMethod adapter;
        try {
            JobSettings configured = JobSettings.of(config);
            t = configured.training();
            Map<String, String> options = methodOptions != null ? methodOptions
                    : method == null || method.equals(a.method()) ? a.options() : Map.of();
            adapter = AdapterMethods.create(orElse(method, a.method()), new SharedHyperparameters(
                    orElse(rank, a.rank()), orElse(alpha, a.alpha()), orElse(dropout, a.dropout()),
                    TargetModules.parse(orElse(targets, a.targetModules()))), options);
            t = new TrainingConfig(orElse(epochs, t.epochs()), orElse(batchSize, t.batchSize()),
                    orElse(maxSequenceLength, t.maxSequenceLength()), orElse(learningRate, t.learningRate()),
                    t.weightDecay(), t.warmupRatio(), t.maxGradNorm(), orElse(maxSteps, t.maxSteps()),
                    orElse(seed, t.seed()), t.decay());
            return configured.withMethod(adapter).withTraining(t);
        } catch (IllegalArgumentException e) {
            throw CliException.usage("invalid hyperparameters: " + e.getMessage());
        }
    }

    private static <T> T orElse(T given, T configured) {
        return given != null ? given : configured;
    }

    private DatasetRef inBucket(String key) throws IOException {
        if (registry.statDataset(task, key).isEmpty()) {
            throw CliException.notFound("dataset " + key + " is not in the bucket");
        }
        if (tasks.tasks().get(task).kind() == TaskKind.GENERATION) {
            DigestedRead.Digested<JsonlRecordReader.Result<CompletionRecord>> read = DigestedRead.digest(
                    registry.openDataset(task, key), new CompletionDatasetReader(LocalDatasets.MAX_BYTES,
                            MalformedLinePolicy.SKIP_AND_COUNT)::read);
            return new DatasetRef(key, (long) read.result().records().size(), read.sha256());
        }
        DigestedRead read = DigestedRead.of(registry.openDataset(task, key),
                new JsonlDatasetReader(LocalDatasets.MAX_BYTES, MalformedLinePolicy.SKIP_AND_COUNT));
        return new DatasetRef(key, (long) read.result().examples().size(), read.sha256());
    }

    private DatasetRef heldOut(TasksConfig.Task config) throws IOException {
        if (heldOutFile != null) {
            if (heldOutKey != null) {
                throw CliException.usage("give --held-out or --held-out-key, not both");
            }
            return LocalDatasets.upload(registry, task, heldOutFile, config.labels());
        }
        String key = heldOutKey != null ? heldOutKey : config.heldOutKey().orElseThrow(() -> CliException.usage(
                "task '" + task + "' has no held-out-key: give --held-out FILE or --held-out-key KEY"));
        return inBucket(key);
    }

    private void print(PrintStream out, JobOutcome outcome) throws IOException {
        if (json) {
            ObjectNode node = mapper.createObjectNode();
            node.put("task", task).put("version", outcome.version()).put("prefix", outcome.adapterPrefix())
                    .put("jobId", outcome.job().jobId());
            if (outcome.generation() != null) {
                node.set("generation", mapper.valueToTree(outcome.generation()));
            } else {
                node.set("metrics", mapper.valueToTree(dev.adapterloop.evaluation.EvaluationEvents.metrics(
                        outcome.report())));
            }
            node.put("steps", outcome.training().steps()).put("finalLoss", outcome.training().finalLoss(20));
            out.println(mapper.writeValueAsString(node));
            return;
        }
        out.printf("training     %d steps, %.1f examples/s, final loss %.4f, %.1f s%n", outcome.training().steps(),
                outcome.training().examplesPerSecond(), outcome.training().finalLoss(20),
                outcome.training().duration().toMillis() / 1000.0);
        if (outcome.generation() != null) {
            CompletionMetrics g = outcome.generation();
            out.printf("held-out     loss %.4f per completion token (perplexity %.2f; base model %.4f, %.2f), %d"
                    + " examples%s%n", g.meanLoss(), g.perplexity(), g.baseMeanLoss(), g.basePerplexity(),
                    g.examples(), g.exactMatch() == null ? "" : String.format(", exact match %.4f", g.exactMatch()));
        } else {
            out.printf("held-out     accuracy %.4f (majority baseline %.4f), macro-F1 %.4f, %d examples%n",
                    outcome.report().accuracy(), outcome.report().majorityBaseline(), outcome.report().macroF1(),
                    outcome.report().examples());
        }
        out.printf("adapter      %s%n", outcome.adapterPrefix());
        out.println(outcome.version());
    }

    /** For --help and shell completion. */
    static final class MethodNames extends ArrayList<String> {
        MethodNames() {
            super(AdapterMethods.names());
        }
    }
}
