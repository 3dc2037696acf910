package dev.adapterloop.training;

import dev.adapterloop.engine.EngineConfig;
import dev.adapterloop.engine.BaseModels;
import dev.adapterloop.engine.CpuAllocator;
import dev.adapterloop.engine.NativeHeap;
import dev.adapterloop.config.AdapterSettings;
import dev.adapterloop.config.TasksConfig;
import dev.adapterloop.adapters.AdaptedClassifier;
import dev.adapterloop.adapters.AdapterMethod;
import dev.adapterloop.adapters.StoredVersionFiles;
import dev.adapterloop.dataset.LabeledExample;
import dev.adapterloop.evaluation.CandidateGate;
import dev.adapterloop.evaluation.EvaluationEvents;
import dev.adapterloop.evaluation.EvaluationReport;
import dev.adapterloop.evaluation.Evaluator;
import dev.adapterloop.evaluation.HeldOutOutcomes;
import dev.adapterloop.events.AdapterEvaluatedEvent;
import dev.adapterloop.events.AdapterManifest;
import dev.adapterloop.model.PretrainedEncoder;
import dev.adapterloop.registry.AdapterRegistry;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Instance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs one training job end to end: base model and data from the bucket, a warm start from the job's base (the
 * champion) with a replay sample of earlier data, training, evaluation on the task's held-out set, the adapter version
 * stored (manifest last) and the result published.
 */
@ApplicationScoped
public class TrainingJobRunner {

    private static final long PROGRESS_EVENT_NANOS = 10_000_000_000L;
    private static final int EVALUATION_BATCH = 64;

    private final TasksConfig tasks;
    private final EngineConfig engine;
    private final BaseModels baseModels;
    private final AdapterRegistry registry;
    private final TrainingEvents trainingEvents;
    private final EvaluationEvents evaluationEvents;
    private final Event<JobStarted> startObservers;
    private final Event<TrainingProgress> progressObservers;
    private final Event<JobOutcome> outcomeObservers;
    private final Event<JobStopped> stopObservers;
    private final Instance<CandidateGate> gate;

    public TrainingJobRunner(TasksConfig tasks, EngineConfig engine, BaseModels baseModels, AdapterRegistry registry,
                             TrainingEvents trainingEvents, EvaluationEvents evaluationEvents,
                             Event<JobStarted> startObservers, Event<TrainingProgress> progressObservers,
                             Event<JobOutcome> outcomeObservers, Event<JobStopped> stopObservers,
                             Instance<CandidateGate> gate) {
        this.tasks = tasks;
        this.engine = engine;
        this.baseModels = baseModels;
        this.registry = registry;
        this.trainingEvents = trainingEvents;
        this.evaluationEvents = evaluationEvents;
        this.startObservers = startObservers;
        this.progressObservers = progressObservers;
        this.outcomeObservers = outcomeObservers;
        this.stopObservers = stopObservers;
        this.gate = gate;
    }

    /** How the scheduler steers a running job. */
    public interface Control {
        /** Polled at every step: true stops the job with a {@link JobCancelledException}. */
        boolean stopRequested();

        /**
         * Asked once, just before the version is published: false when another replica has taken the job over
         * since (this one was cut off from the group but not from S3), so that only one of them publishes.
         */
        default boolean stillOwned() {
            return true;
        }
    }

    public JobOutcome run(TrainingJob job) {
        return run(job, 1, () -> false);
    }

    /** @param attempt 1 for a first run; more when the job's record shows it was interrupted before */
    public JobOutcome run(TrainingJob job, int attempt, Control control) {
        long started = System.nanoTime();
        String method = methodName(job);
        if (attempt > 1) {
            Log.infof("job %s: attempt %d (the previous one was interrupted)", job.jobId(), attempt);
        }
        trainingEvents.started(job, method);
        startObservers.fire(new JobStarted(job.jobId(), job.task()));
        try (JobLogContext logContext = JobLogContext.open(job.jobId(), job.task())) {
            JobOutcome outcome = train(job, started, control);
            trainingEvents.completed(job, method, outcome.version());
            outcomeObservers.fire(outcome);
            return outcome;
        } catch (JobCancelledException e) {
            stopObservers.fire(new JobStopped(job.jobId(), job.task(), e.getMessage()));
            throw e;
        } catch (Exception | OutOfMemoryError e) {
            FailureKind kind = FailureKind.of(e);
            String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
            Log.errorf(e, "job %s (task %s) failed (%s): %s", job.jobId(), job.task(), kind.wireName(), reason);
            trainingEvents.failed(job, method, kind, reason);
            JobOutcome failed = JobOutcome.failed(job, kind, reason);
            outcomeObservers.fire(failed);
            return failed;
        }
    }

    private JobOutcome train(TrainingJob job, long started, Control control) throws IOException {
        TasksConfig.Task task = tasks.tasks().get(job.task());
        if (task == null) {
            throw new TrainingFailedException("task '" + job.task() + "' is not configured");
        }
        TrainingConfig config = trainingConfig(task.training());
        TasksConfig.Adapter settings = task.adapter();
        AdapterMethod method = AdapterSettings.method(settings);
        PretrainedEncoder base = baseModels.get(task.baseModel());
        DatasetLoader loader = new DatasetLoader(registry);
        List<LabeledExample> fresh = loader.readAll(job.task(), job.datasets(), task.labels());
        List<LabeledExample> heldOut = loader.read(job.task(), job.heldOut(), task.labels());
        if (task.training().maxHeldOutExamples() > 0 && heldOut.size() > task.training().maxHeldOutExamples()) {
            heldOut = heldOut.subList(0, task.training().maxHeldOutExamples());
        }
        String baseModelId = AdapterRegistry.modelPrefix(task.baseModel());

        Path dir = engine.workDir().resolve(job.jobId());
        Path baseVersionDir = engine.workDir().resolve(job.jobId() + "-base");
        try (AdaptedClassifier model = AdaptedClassifier.create(base, task.labels(), method, config.seed())) {
            IncrementalStart.Plan plan = new IncrementalStart(registry, loader).prepare(model, job, task, fresh,
                    baseModelId, baseVersionDir);
            List<LabeledExample> train = plan.examples();
            Log.infof("job %s: training %s (r=%d, alpha=%s, targets %s) for task %s on %d examples, %d steps, "
                            + "device %s", job.jobId(), method.name(), settings.rank(), settings.alpha(),
                    method.targets(), job.task(), train.size(), config.totalSteps(train.size()), base.device());
            ValidationSplit split = ValidationSplit.of(task.training(), train, config.seed());
            Checkpointing checkpointing = checkpointing(job, task.training());
            TrainingResult result = new AdapterTrainer(progressReporter(job, method.name(), control)).train(model,
                    split.fitOn(), config, split.stopping(), checkpointing);
            long evaluationStarted = System.nanoTime();
            EvaluationReport report = new Evaluator(EVALUATION_BATCH, config.maxSequenceLength())
                    .evaluate(model, heldOut);
            long evaluationMillis = (System.nanoTime() - evaluationStarted) / 1_000_000;
            Log.infof("job %s: held-out accuracy %.4f (majority baseline %.4f, %d examples), macro-F1 %.4f",
                    job.jobId(), report.accuracy(), report.majorityBaseline(), report.examples(), report.macroF1());

            // Servers load the PEFT LoRA folder at the top level; native/ keeps the raw factors the next job's warm
            // start needs (LoRMA_π, with no LoRA form, has only its own format, at the top level).
            StoredVersionFiles.write(model, baseModelId, dir);
            String version = AdapterVersions.of(dir);
            AdapterEvaluatedEvent.Metrics metrics = EvaluationEvents.metrics(report);
            long durationMillis = (System.nanoTime() - started) / 1_000_000;
            AdapterManifest manifest = new AdapterManifest(AdapterManifest.SCHEMA_VERSION, job.task(), version,
                    plan.parentVersion(), method.name(), task.baseModel(), baseModels.digest(task.baseModel()),
                    job.datasets(), job.heldOut(), model.labels(), hyperparameters(method, settings, config), metrics,
                    trainingSummary(result, plan, evaluationMillis), codeVersion(), base.device().toString(),
                    durationMillis, Instant.now().toString(), job.jobId(), job.sourceEventId());
            // The version id derives from the adapter's bytes: a job run again after a crash that produced the same
            // bytes finds its version complete and leaves it (and its first manifest) as it is.
            if (!control.stillOwned()) {
                throw new JobCancelledException("not publishing " + version + ": another replica has taken the job"
                        + " over since this run started");
            }
            if (registry.hasAdapter(job.task(), version)) {
                Log.infof("job %s: adapter %s is already stored, not written again", job.jobId(), version);
            } else {
                registry.publishAdapter(job.task(), version, dir, manifest);
            }
            String prefix = AdapterRegistry.adapterPrefix(job.task(), version);
            List<LabeledExample> scoredOn = heldOut;
            CandidateGate.Verdict verdict = judge(job, version, report,
                    champion -> scoreChampion(job.task(), champion, base, scoredOn, config.maxSequenceLength()));
            evaluationEvents.publish(new AdapterEvaluatedEvent(AdapterEvaluatedEvent.SCHEMA_VERSION, job.jobId(),
                    job.task(), job.sourceEventId(), new AdapterEvaluatedEvent.AdapterRef(version, method.name(),
                    prefix), championRef(job.task(), verdict.champion()), metrics, verdict.verdict(),
                    verdict.evidence()));
            Log.infof("job %s: stored adapter %s in %s (%d ms in all)", job.jobId(), version, prefix, durationMillis);
            deleteQuietly(checkpointDir(job));
            if (checkpointing.bucket() != null) {
                deleteQuietly(checkpointing.bucket());
            }
            return JobOutcome.succeeded(job, version, prefix, report, result);
        } finally {
            deleteQuietly(dir);
            deleteQuietly(baseVersionDir);
            CpuAllocator.releaseCache();
            NativeHeap.trim();
        }
    }

    /**
     * The offline gate's verdict; "ungated" when no gate is installed or it failed: the version is stored by now, so a
     * gate that cannot decide (the bucket unreachable, the champion unreadable) must not fail the job. The version
     * then stays out of the aliases until someone decides on it.
     */
    private CandidateGate.Verdict judge(TrainingJob job, String version, EvaluationReport report,
                                        java.util.function.Function<String, HeldOutOutcomes> scoreChampion) {
        if (!gate.isResolvable()) {
            return new CandidateGate.Verdict("ungated", null, null);
        }
        try {
            CandidateGate.Verdict verdict = gate.get().judge(job.task(), version, report.outcomes(), scoreChampion);
            Log.infof("job %s: offline gate: %s (champion %s)", job.jobId(), verdict.verdict(), verdict.champion());
            return verdict;
        } catch (RuntimeException e) {
            Log.errorf(e, "job %s: the offline gate could not judge %s: %s", job.jobId(), version, e.getMessage());
            return new CandidateGate.Verdict("ungated", null, Map.of("error", String.valueOf(e.getMessage())));
        }
    }

    /** Loads a stored version with the configuration it was trained with and scores it on {@code heldOut}. */
    private HeldOutOutcomes scoreChampion(String task, String champion, PretrainedEncoder base,
                                          List<LabeledExample> heldOut, int maxSequenceLength) {
        Path dir = engine.workDir().resolve("champion-" + champion);
        try {
            registry.fetchAdapter(task, champion, dir);
            try (AdaptedClassifier model = StoredVersionFiles.load(base, dir)) {
                return new Evaluator(EVALUATION_BATCH, maxSequenceLength).evaluate(model, heldOut).outcomes();
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot score champion " + champion + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(dir);
        }
    }

    private AdapterEvaluatedEvent.AdapterRef championRef(String task, String champion) {
        if (champion == null) {
            return null;
        }
        String method;
        try {
            method = registry.manifest(task, champion).map(AdapterManifest::method).orElse(null);
        } catch (IOException | RuntimeException e) {
            method = null; // the reference still names the version; its method is in its manifest
        }
        return new AdapterEvaluatedEvent.AdapterRef(champion, method, AdapterRegistry.adapterPrefix(task, champion));
    }

    /**
     * Checkpoints are keyed by the event that asked for the job (a redelivered event gets a new job id, not a new
     * event id), hashed because an event id is free text.
     */
    private Checkpointing checkpointing(TrainingJob job, TasksConfig.Training training) {
        return training.checkpointEverySteps() <= 0 ? Checkpointing.NONE
                : new Checkpointing(checkpointDir(job), training.checkpointEverySteps(),
                        new BucketCheckpoints(registry.store(), job.task(), checkpointKey(job)));
    }

    private Path checkpointDir(TrainingJob job) {
        return engine.workDir().resolve("checkpoints").resolve(checkpointKey(job));
    }

    private static String checkpointKey(TrainingJob job) {
        String key = job.task() + "/" + (job.sourceEventId() != null ? job.sourceEventId() : job.jobId());
        return CheckpointStore.sha256(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 24);
    }

    private static void deleteQuietly(BucketCheckpoints checkpoints) {
        try {
            checkpoints.deleteAll();
        } catch (RuntimeException e) {
            Log.warnf("could not remove the finished job's checkpoints from %s: %s", checkpoints, e.getMessage());
        }
    }

    private java.util.function.Consumer<TrainingProgress> progressReporter(TrainingJob job, String method,
                                                                          Control control) {
        long[] lastEvent = {System.nanoTime()};
        return progress -> {
            if (control.stopRequested()) {
                throw new JobCancelledException("stopped at step " + progress.step() + " of "
                        + progress.totalSteps() + ": its partition moved to another replica");
            }
            progressObservers.fire(progress);
            long now = System.nanoTime();
            if (now - lastEvent[0] >= PROGRESS_EVENT_NANOS || progress.step() == progress.totalSteps()) {
                lastEvent[0] = now;
                Log.infof("job %s: step %d/%d loss %.4f lr %.2e %.1f examples/s %.0f tokens/s ETA %ds",
                        job.jobId(), progress.step(), progress.totalSteps(), progress.loss(),
                        progress.learningRate(), progress.examplesPerSecond(), progress.tokensPerSecond(),
                        progress.eta().toSeconds());
                trainingEvents.progress(job, method, progress);
            }
        };
    }

    static TrainingConfig trainingConfig(TasksConfig.Training t) {
        return new TrainingConfig(t.epochs(), t.batchSize(), t.maxSequenceLength(), t.learningRate(),
                t.weightDecay(), t.warmupRatio(), t.maxGradNorm(), t.maxSteps(), t.seed(),
                TrainingConfig.Decay.parse(t.decay()));
    }

    private String methodName(TrainingJob job) {
        TasksConfig.Task task = tasks.tasks().get(job.task());
        return task == null ? "unknown" : task.adapter().method();
    }

    private static Map<String, Object> hyperparameters(AdapterMethod method, TasksConfig.Adapter adapter,
                                                       TrainingConfig config) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("method", method.name());
        h.put("rank", adapter.rank());
        h.put("alpha", adapter.alpha());
        h.put("dropout", adapter.dropout());
        h.put("targetModules", method.targets().toString());
        h.put("options", method.options());
        h.put("epochs", config.epochs());
        h.put("batchSize", config.batchSize());
        h.put("maxSequenceLength", config.maxSequenceLength());
        h.put("learningRate", config.learningRate());
        h.put("weightDecay", config.weightDecay());
        h.put("warmupRatio", config.warmupRatio());
        h.put("decay", config.decay().name().toLowerCase(java.util.Locale.ROOT));
        h.put("maxGradNorm", config.maxGradNorm());
        h.put("maxSteps", config.maxSteps());
        h.put("seed", config.seed());
        return h;
    }

    private static Map<String, Object> trainingSummary(TrainingResult result, IncrementalStart.Plan plan,
                                                       long evaluationMillis) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("incremental", plan.summary());
        t.put("steps", result.steps());
        t.put("examples", result.examples());
        t.put("finalLoss", result.finalLoss(20));
        t.put("examplesPerSecond", result.examplesPerSecond());
        t.put("tokensPerSecond", result.tokensPerSecond());
        t.put("trainingMillis", result.duration().toMillis());
        t.put("evaluationMillis", evaluationMillis);
        if (result.bestStep() > 0) {
            t.put("stoppedEarly", result.stoppedEarly());
            t.put("bestStep", result.bestStep());
            t.put("bestValidationLoss", result.bestValidationLoss());
        }
        return t;
    }

    private static String codeVersion() {
        String version = TrainingJobRunner.class.getPackage().getImplementationVersion();
        return version != null ? version : "dev";
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            Log.debugf("could not delete %s: %s", dir, e.getMessage());
        }
    }
}
