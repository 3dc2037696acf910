package dev.adapterloop.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.adapters.AdaptedClassifier;
import dev.adapterloop.adapters.AdapterMethod;
import dev.adapterloop.adapters.StoredVersionFiles;
import dev.adapterloop.config.TaskKind;
import dev.adapterloop.config.TaskCatalogue;
import dev.adapterloop.config.TasksConfig;
import dev.adapterloop.dataset.LabeledExample;
import dev.adapterloop.engine.BaseModels;
import dev.adapterloop.engine.CpuAllocator;
import dev.adapterloop.engine.EngineConfig;
import dev.adapterloop.engine.NativeHeap;
import dev.adapterloop.evaluation.CandidateGate;
import dev.adapterloop.evaluation.EvaluationEvents;
import dev.adapterloop.evaluation.EvaluationReport;
import dev.adapterloop.evaluation.Evaluator;
import dev.adapterloop.evaluation.HeldOutOutcomes;
import dev.adapterloop.events.AdapterEvaluatedEvent;
import dev.adapterloop.events.AdapterManifest;
import dev.adapterloop.events.TrainingCurve;
import dev.adapterloop.model.PretrainedModel;
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
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TaskCatalogue tasks;
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

    public TrainingJobRunner(TaskCatalogue tasks, EngineConfig engine, BaseModels baseModels, AdapterRegistry registry,
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

        /** Told at every optimiser step (the scheduler records it for the console, throttled). */
        default void progressed(TrainingProgress progress) {
        }
    }

    /** Runs {@code job} with its task's configured settings. */
    public JobOutcome run(TrainingJob job) {
        return run(job, 1, () -> false);
    }

    /** @param attempt 1 for a first run; more when the job's record shows it was interrupted before */
    public JobOutcome run(TrainingJob job, int attempt, Control control) {
        return run(job, null, attempt, control);
    }

    /** Runs {@code job} with {@code settings} as given (the command line's), not the task's configured ones. */
    public JobOutcome run(TrainingJob job, JobSettings settings) {
        return run(job, settings, 1, () -> false);
    }

    private JobOutcome run(TrainingJob job, JobSettings given, int attempt, Control control) {
        long started = System.nanoTime();
        String method = given != null ? given.method().name() : configuredMethodName(job);
        if (attempt > 1) {
            Log.infof("job %s: attempt %d (the previous one was interrupted, or failed and was retried)", job.jobId(),
                    attempt);
        }
        trainingEvents.started(job, method);
        startObservers.fire(new JobStarted(job.jobId(), job.task()));
        try (JobLogContext logContext = JobLogContext.open(job.jobId(), job.task())) {
            JobSettings settings = given != null ? given : resolve(job);
            JobOutcome outcome = settings.kind() == TaskKind.GENERATION
                    ? trainGeneration(job, settings, started, control)
                    : train(job, settings, started, control);
            trainingEvents.completed(job, method, outcome.version());
            outcomeObservers.fire(outcome);
            return outcome;
        } catch (JobCancelledException e) {
            stopObservers.fire(new JobStopped(job.jobId(), job.task(), e.getMessage()));
            throw e;
        } catch (Exception | OutOfMemoryError e) {
            FailureKind kind = FailureKind.of(e);
            String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (kind == FailureKind.BASE_MODEL_MISSING) {
                reason += ": import it with `adapterloop import-model`, then retry the job (`adapterloop retry --task "
                        + job.task() + " --job " + job.jobId() + "`)";
            }
            Log.errorf(e, "job %s (task %s) failed (%s): %s", job.jobId(), job.task(), kind.wireName(), reason);
            trainingEvents.failed(job, method, kind, reason);
            JobOutcome failed = JobOutcome.failed(job, kind, reason);
            outcomeObservers.fire(failed);
            return failed;
        }
    }

    /** The task's settings now (configuration or the bucket's definition); an unknown or invalid task fails the job. */
    private JobSettings resolve(TrainingJob job) {
        TasksConfig.Task task = tasks.tasks().get(job.task());
        if (task == null) {
            throw new TrainingFailedException("task '" + job.task() + "' is neither configured nor defined in the "
                    + "bucket");
        }
        try {
            return JobSettings.of(task);
        } catch (IllegalArgumentException e) {
            throw new TrainingFailedException("task '" + job.task() + "' is configured wrongly: " + e.getMessage());
        }
    }

    /**
     * The job's steps, in order: load the base model and the data, start from the champion (warm start and
     * replay), train, evaluate on the held-out set, store the version, judge it against the champion (the offline
     * gate), publish the result. Each step is one method below.
     */
    private JobOutcome train(TrainingJob job, JobSettings settings, long started, Control control)
            throws IOException {
        PretrainedModel base = baseModels.get(settings.baseModel());
        JobData data = loadData(job, settings);
        String baseModelId = AdapterRegistry.modelPrefix(settings.baseModel());
        Path dir = engine.workDir().resolve(job.jobId());
        Path baseVersionDir = engine.workDir().resolve(job.jobId() + "-base");
        Checkpointing checkpointing = checkpointing(job, settings);
        try (AdaptedClassifier model = AdaptedClassifier.create(base, settings.labels(), settings.method(),
                settings.training().seed())) {
            IncrementalStart.Plan plan = new IncrementalStart(registry, data.loader()).prepare(model, job, settings,
                    data.fresh(), baseModelId, baseVersionDir);
            TrainingResult result = fit(job, settings, model, plan, checkpointing, control, base);
            Evaluation evaluation = evaluate(job, settings, model, data.heldOut());
            Stored stored = store(job, settings, model, plan, result, evaluation, baseModelId, dir, started, control);
            CandidateGate.Verdict verdict = judge(job, stored.version(), evaluation.report(),
                    champion -> scoreChampion(job.task(), champion, base, data.heldOut(),
                            settings.training().maxSequenceLength()));
            publish(job, settings, stored, evaluation, verdict);
            deleteQuietly(checkpointDir(job));
            if (checkpointing.bucket() != null) {
                deleteQuietly(checkpointing.bucket());
            }
            return JobOutcome.succeeded(job, stored.version(), stored.prefix(), evaluation.report(), result);
        } finally {
            deleteQuietly(dir);
            deleteQuietly(baseVersionDir);
            CpuAllocator.releaseCache();
            NativeHeap.trim();
        }
    }

    /** A generation task's job ({@link GenerationJobSteps}), its evaluation published as a classification job's. */
    private JobOutcome trainGeneration(TrainingJob job, JobSettings settings, long started, Control control)
            throws IOException {
        try {
            GenerationJobSteps.Finished done = new GenerationJobSteps(engine, baseModels, registry, gate).run(job,
                    settings, started, control, progressReporter(job, settings.method().name(), control));
            evaluationEvents.publish(new AdapterEvaluatedEvent(AdapterEvaluatedEvent.SCHEMA_VERSION, job.jobId(),
                    job.task(), job.sourceEventId(), new AdapterEvaluatedEvent.AdapterRef(done.version(),
                    settings.method().name(), done.prefix()), championRef(job.task(), done.verdict().champion()),
                    null, done.verdict().verdict(), done.verdict().evidence(), done.metrics()));
            Log.infof("job %s: stored adapter %s in %s", job.jobId(), done.version(), done.prefix());
            return JobOutcome.generated(job, done.version(), done.prefix(), done.metrics(), done.training());
        } finally {
            CpuAllocator.releaseCache();
            NativeHeap.trim();
        }
    }

    /** The job's new data and the held-out set, read and checked from the bucket. */
    private record JobData(DatasetLoader loader, List<LabeledExample> fresh, List<LabeledExample> heldOut) {
    }

    private JobData loadData(TrainingJob job, JobSettings settings) throws IOException {
        DatasetLoader loader = new DatasetLoader(registry,
                DataMemoryBudget.forJob(settings.training().maxSequenceLength()));
        List<LabeledExample> fresh = loader.readAll(job.task(), job.datasets(), settings.labels());
        List<LabeledExample> heldOut = loader.read(job.task(), job.heldOut(), settings.labels());
        if (settings.maxHeldOutExamples() > 0 && heldOut.size() > settings.maxHeldOutExamples()) {
            heldOut = heldOut.subList(0, settings.maxHeldOutExamples());
        }
        return new JobData(loader, fresh, heldOut);
    }

    /** Trains the adapter and head on the plan's examples, with early stopping and checkpoints as configured. */
    private TrainingResult fit(TrainingJob job, JobSettings settings, AdaptedClassifier model,
                               IncrementalStart.Plan plan, Checkpointing checkpointing, Control control,
                               PretrainedModel base) {
        TrainingConfig config = settings.training();
        AdapterMethod method = settings.method();
        List<LabeledExample> train = plan.examples();
        Log.infof("job %s: training %s (r=%d, alpha=%s, targets %s) for task %s on %d examples, %d steps, "
                        + "device %s", job.jobId(), method.name(), method.rank(), method.alpha(), method.targets(),
                job.task(), train.size(), config.totalSteps(train.size()), base.device());
        ValidationSplit split = ValidationSplit.of(settings, train, config.seed());
        return new AdapterTrainer(progressReporter(job, method.name(), control)).train(model, split.fitOn(), config,
                split.stopping(), checkpointing);
    }

    /** The held-out report and how long it took. */
    private record Evaluation(EvaluationReport report, long millis) {
    }

    private Evaluation evaluate(TrainingJob job, JobSettings settings, AdaptedClassifier model,
                                List<LabeledExample> heldOut) {
        long evaluationStarted = System.nanoTime();
        EvaluationReport report = new Evaluator(EVALUATION_BATCH, settings.training().maxSequenceLength())
                .evaluate(model, heldOut);
        long millis = (System.nanoTime() - evaluationStarted) / 1_000_000;
        Log.infof("job %s: held-out accuracy %.4f (majority baseline %.4f, %d examples), macro-F1 %.4f",
                job.jobId(), report.accuracy(), report.majorityBaseline(), report.examples(), report.macroF1());
        return new Evaluation(report, millis);
    }

    /** The stored version: its content-derived id, its prefix in the bucket, and how long the job took to store it. */
    private record Stored(String version, String prefix, long durationMillis) {
    }

    /**
     * Writes the version's files and publishes them with their manifest, unless another replica has taken the job
     * over or the same bytes are already stored (a job run again after a crash).
     */
    private Stored store(TrainingJob job, JobSettings settings, AdaptedClassifier model, IncrementalStart.Plan plan,
                         TrainingResult result, Evaluation evaluation, String baseModelId, Path dir, long started,
                         Control control) throws IOException {
        // Servers load the PEFT folder at the top level; native/ keeps the raw factors the next job's warm start
        // needs (a method without a PEFT form has only its own format, at the top level).
        StoredVersionFiles.write(model, baseModelId, dir);
        String version = AdapterVersions.of(dir);
        // After the id: the curve describes the run, not the adapter, and two runs to the same bytes are one version.
        JSON.writeValue(dir.resolve(TrainingCurve.FILE).toFile(), trainingCurve(settings.training(), result));
        long durationMillis = (System.nanoTime() - started) / 1_000_000;
        AdapterManifest manifest = new AdapterManifest(AdapterManifest.SCHEMA_VERSION, job.task(), version,
                plan.parentVersion(), settings.method().name(), settings.baseModel(),
                baseModels.digest(settings.baseModel()), job.datasets(), job.heldOut(), model.labels(),
                hyperparameters(settings), EvaluationEvents.metrics(evaluation.report()),
                trainingSummary(result, plan, evaluation.millis()), codeVersion(),
                model.base().device().toString(), durationMillis, Instant.now().toString(), job.jobId(),
                job.sourceEventId());
        publishVersion(registry, job, version, dir, manifest, control);
        return new Stored(version, AdapterRegistry.adapterPrefix(job.task(), version), durationMillis);
    }

    /**
     * Publishes a version's files with its manifest (last), unless another replica has taken the job over. The
     * version id derives from the adapter's bytes: a job run again after a crash that produced the same bytes finds
     * its version complete and leaves it (and its first manifest) as it is.
     */
    static void publishVersion(AdapterRegistry registry, TrainingJob job, String version, Path dir,
                               AdapterManifest manifest, Control control) throws IOException {
        if (!control.stillOwned()) {
            throw new JobCancelledException("not publishing " + version + ": another replica has taken the job"
                    + " over since this run started");
        }
        if (registry.hasAdapter(job.task(), version)) {
            Log.infof("job %s: adapter %s is already stored, not written again", job.jobId(), version);
        } else {
            registry.publishAdapter(job.task(), version, dir, manifest);
        }
    }

    /** The evaluation, with the gate's verdict, on {@code adapter-evaluations}. */
    private void publish(TrainingJob job, JobSettings settings, Stored stored, Evaluation evaluation,
                         CandidateGate.Verdict verdict) {
        evaluationEvents.publish(new AdapterEvaluatedEvent(AdapterEvaluatedEvent.SCHEMA_VERSION, job.jobId(),
                job.task(), job.sourceEventId(), new AdapterEvaluatedEvent.AdapterRef(stored.version(),
                settings.method().name(), stored.prefix()), championRef(job.task(), verdict.champion()),
                EvaluationEvents.metrics(evaluation.report()), verdict.verdict(), verdict.evidence()));
        Log.infof("job %s: stored adapter %s in %s (%d ms in all)", job.jobId(), stored.version(), stored.prefix(),
                stored.durationMillis());
    }

    /**
     * The offline gate's verdict; "ungated" when no gate is installed or it failed: the version is stored by now, so a
     * gate that cannot decide (the bucket unreachable, the champion unreadable) must not fail the job. The version
     * then stays out of the aliases until someone decides on it.
     */
    private CandidateGate.Verdict judge(TrainingJob job, String version, EvaluationReport report,
                                        java.util.function.Function<String, HeldOutOutcomes> scoreChampion) {
        return judged(job, version, gate,
                candidateGate -> candidateGate.judge(job.task(), version, report.outcomes(), scoreChampion));
    }

    /**
     * Runs {@code judge} on the installed gate, logging its verdict; "ungated" when no gate is installed or it
     * failed (classification and generation jobs alike).
     */
    static CandidateGate.Verdict judged(TrainingJob job, String version, Instance<CandidateGate> gate,
                                        java.util.function.Function<CandidateGate, CandidateGate.Verdict> judge) {
        if (!gate.isResolvable()) {
            return new CandidateGate.Verdict("ungated", null, null);
        }
        try {
            CandidateGate.Verdict verdict = judge.apply(gate.get());
            Log.infof("job %s: offline gate: %s (champion %s)", job.jobId(), verdict.verdict(), verdict.champion());
            return verdict;
        } catch (RuntimeException e) {
            Log.errorf(e, "job %s: the offline gate could not judge %s: %s", job.jobId(), version, e.getMessage());
            return new CandidateGate.Verdict("ungated", null, Map.of("error", String.valueOf(e.getMessage())));
        }
    }

    /** Loads a stored version with the configuration it was trained with and scores it on {@code heldOut}. */
    private HeldOutOutcomes scoreChampion(String task, String champion, PretrainedModel base,
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
    private Checkpointing checkpointing(TrainingJob job, JobSettings settings) {
        return settings.checkpointEverySteps() <= 0 ? Checkpointing.NONE
                : new Checkpointing(checkpointDir(job), settings.checkpointEverySteps(),
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
            control.progressed(progress);
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

    /** The configured method's name, for the started and failed events of a job whose settings did not resolve. */
    private String configuredMethodName(TrainingJob job) {
        TasksConfig.Task task = tasks.tasks().get(job.task());
        return task == null ? "unknown" : task.adapter().method();
    }

    static Map<String, Object> hyperparameters(JobSettings settings) {
        AdapterMethod method = settings.method();
        TrainingConfig config = settings.training();
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("method", method.name());
        h.put("rank", method.rank());
        h.put("alpha", method.alpha());
        h.put("dropout", method.dropout());
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

    /**
     * Each step's loss with the learning rate the schedule gave that step (the same schedule the trainer used) and the
     * step's throughput. Rates are rounded to 0.1: their noise is far above that, and the file stays small.
     */
    static TrainingCurve trainingCurve(TrainingConfig config, TrainingResult result) {
        LearningRateSchedule schedule = LearningRateSchedule.of(config, config.totalSteps(result.examples()));
        List<TrainingCurve.Point> points = new java.util.ArrayList<>(result.lossCurve().size());
        for (int i = 0; i < result.lossCurve().size(); i++) {
            StepRate rate = result.stepRates().get(i);
            points.add(new TrainingCurve.Point(i + 1, result.lossCurve().get(i), schedule.at(i + 1),
                    rate == null ? null : Math.round(rate.examplesPerSecond() * 10) / 10.0,
                    rate == null ? null : Math.round(rate.tokensPerSecond() * 10) / 10.0));
        }
        return new TrainingCurve(TrainingCurve.SCHEMA_VERSION, points);
    }

    private static Map<String, Object> trainingSummary(TrainingResult result, IncrementalStart.Plan plan,
                                                       long evaluationMillis) {
        Map<String, Object> t = runSummary(result, plan.summary());
        t.put("evaluationMillis", evaluationMillis);
        if (result.bestStep() > 0) {
            t.put("stoppedEarly", result.stoppedEarly());
            t.put("bestStep", result.bestStep());
            t.put("bestValidationLoss", result.bestValidationLoss());
        }
        return t;
    }

    /** The manifest's {@code training} entries every job records: how it built on earlier versions, and the run. */
    static Map<String, Object> runSummary(TrainingResult result, Map<String, Object> incremental) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("incremental", incremental);
        t.put("steps", result.steps());
        t.put("examples", result.examples());
        t.put("finalLoss", result.finalLoss(20));
        t.put("examplesPerSecond", result.examplesPerSecond());
        t.put("tokensPerSecond", result.tokensPerSecond());
        t.put("trainingMillis", result.duration().toMillis());
        return t;
    }

    static String codeVersion() {
        String version = TrainingJobRunner.class.getPackage().getImplementationVersion();
        return version != null ? version : "dev";
    }

    static void deleteQuietly(Path dir) {
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
