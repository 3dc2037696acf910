package dev.adapterloop.training;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.adapters.AdaptedLanguageModel;
import dev.adapterloop.adapters.PeftAdapterFiles;
import dev.adapterloop.dataset.CompletionExample;
import dev.adapterloop.dataset.CompletionRecord;
import dev.adapterloop.engine.BaseModels;
import dev.adapterloop.engine.EngineConfig;
import dev.adapterloop.evaluation.CandidateGate;
import dev.adapterloop.evaluation.CompletionEvaluator;
import dev.adapterloop.evaluation.CompletionOutcomes;
import dev.adapterloop.evaluation.CompletionReport;
import dev.adapterloop.events.AdapterManifest;
import dev.adapterloop.events.CompletionMetrics;
import dev.adapterloop.events.DatasetRef;
import dev.adapterloop.events.TrainingCurve;
import dev.adapterloop.model.PretrainedModel;
import dev.adapterloop.model.TextTokenizer;
import dev.adapterloop.model.TokenizerSettings;
import dev.adapterloop.model.decoder.DecoderModel;
import dev.adapterloop.model.decoder.TokenizedCompletion;
import dev.adapterloop.registry.AdapterRegistry;
import io.quarkus.logging.Log;
import jakarta.enterprise.inject.Instance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A generation task's job, in the order {@link TrainingJobRunner} runs a classification job: the decoder and the
 * records from the bucket, chat records rendered with the base model's chat template, every example tokenized within
 * the task's sequence budget, the adapters trained on the completions' tokens only ({@link CausalLmTrainer}), the
 * version stored as PEFT's {@code CAUSAL_LM} folder (manifest last), the candidate, the base model and the champion
 * scored on the same held-out examples, and the offline gate's verdict ({@link CandidateGate#judgeCompletions}).
 *
 * <p>Incremental as classification jobs are ({@link GenerationIncrementalStart}: warm start from the champion where
 * its PEFT folder holds what this configuration trains, replay of the lineage's records). Not yet for generation
 * tasks: early stopping and checkpoints, and methods without a PEFT form (LoRMA_π).
 */
final class GenerationJobSteps {

    private static final int EVALUATION_BATCH = 16;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the runner publishes for a finished generation job. */
    record Finished(String version, String prefix, CompletionMetrics metrics, TrainingResult training,
                    CandidateGate.Verdict verdict) {
    }

    private final EngineConfig engine;
    private final BaseModels baseModels;
    private final AdapterRegistry registry;
    private final Instance<CandidateGate> gate;

    GenerationJobSteps(EngineConfig engine, BaseModels baseModels, AdapterRegistry registry,
                       Instance<CandidateGate> gate) {
        this.engine = engine;
        this.baseModels = baseModels;
        this.registry = registry;
        this.gate = gate;
    }

    Finished run(TrainingJob job, JobSettings settings, long started, TrainingJobRunner.Control control,
                 Consumer<TrainingProgress> progress) throws IOException {
        if (settings.method().peftSettings().isEmpty()) {
            throw new TrainingFailedException(settings.method().name() + " has no PEFT form, and generation tasks"
                    + " store their adapters as PEFT CAUSAL_LM folders: use lora, dora, lorma-plus, milora or pissa");
        }
        PretrainedModel base = baseModels.get(settings.baseModel());
        if (!(base.backbone() instanceof DecoderModel decoder)) {
            throw new TrainingFailedException("a generation task needs a decoder base model; " + settings.baseModel()
                    + " is a " + base.config().modelType() + " encoder");
        }
        SpecialIds ids = SpecialIds.of(base, settings.baseModel());
        int maxLength = settings.training().maxSequenceLength();
        DatasetLoader loader = new DatasetLoader(registry, DataMemoryBudget.forJob(maxLength));
        List<CompletionRecord> freshRecords = new ArrayList<>();
        for (DatasetRef ref : job.datasets()) {
            freshRecords.addAll(loader.readCompletions(job.task(), ref).records());
        }
        GenerationIncrementalStart incremental = new GenerationIncrementalStart(registry, loader);
        GenerationIncrementalStart.Plan plan = incremental.records(job, settings, freshRecords);
        TextTokenizer tokenizer = base.tokenizer();
        ExampleBudget train = ExampleBudget.fit(tokenizer, examples(plan.records(), tokenizer), maxLength, ids.end(),
                "training data");
        DatasetLoader.Completions heldOutRead = loader.readCompletions(job.task(), job.heldOut());
        List<CompletionRecord> heldOutRecords = heldOutRead.records();
        if (settings.maxHeldOutExamples() > 0 && heldOutRecords.size() > settings.maxHeldOutExamples()) {
            heldOutRecords = heldOutRecords.subList(0, settings.maxHeldOutExamples());
        }
        ExampleBudget heldOut = ExampleBudget.fit(tokenizer, examples(heldOutRecords, tokenizer), maxLength,
                ids.end(), "held-out set");
        String evaluationSet = evaluationSetId(heldOutRead.sha256(), heldOutRecords.size(), maxLength, heldOut);

        String baseModelId = AdapterRegistry.modelPrefix(settings.baseModel());
        Path dir = engine.workDir().resolve(job.jobId());
        Path baseVersionDir = engine.workDir().resolve(job.jobId() + "-base");
        TrainingResult result;
        CompletionOutcomes candidate;
        try (AdaptedLanguageModel model = AdaptedLanguageModel.create(decoder, settings.method(), base.manager(),
                settings.training().seed())) {
            plan = incremental.warmStart(plan, job, model, baseVersionDir);
            Log.infof("job %s: training %s (r=%d, alpha=%s, targets %s) for generation task %s on %d examples,"
                            + " %d steps, device %s", job.jobId(), settings.method().name(), settings.method().rank(),
                    settings.method().alpha(), settings.method().targets(), job.task(), train.sequences().size(),
                    settings.training().totalSteps(train.sequences().size()), base.device());
            result = new CausalLmTrainer(progress).train(model, train.sequences(), settings.training(), ids.pad());
            PeftAdapterFiles.writeLanguageModel(model, baseModelId, dir);
            candidate = score(decoder, tokenizer, heldOut.examples(), ids, maxLength, settings.exactMatch(),
                    base.manager(), evaluationSet);
        }
        try {
            String version = AdapterVersions.of(dir);
            // After the id: the curve describes the run, not the adapter.
            JSON.writeValue(dir.resolve(TrainingCurve.FILE).toFile(),
                    TrainingJobRunner.trainingCurve(settings.training(), result));
            CompletionOutcomes baseline = score(decoder, tokenizer, heldOut.examples(), ids, maxLength,
                    settings.exactMatch(), base.manager(), evaluationSet);
            CompletionMetrics metrics = new CompletionMetrics(candidate.examples(), candidate.tokens(),
                    candidate.meanLoss(), candidate.perplexity(), candidate.exactMatch(), baseline.meanLoss(),
                    baseline.perplexity());
            Log.infof("job %s: held-out loss %.4f (perplexity %.2f), base model %.4f (%.2f), %d examples%s",
                    job.jobId(), metrics.meanLoss(), metrics.perplexity(), metrics.baseMeanLoss(),
                    metrics.basePerplexity(), metrics.examples(),
                    metrics.exactMatch() == null ? "" : ", exact match " + metrics.exactMatch());
            long durationMillis = (System.nanoTime() - started) / 1_000_000;
            AdapterManifest manifest = new AdapterManifest(AdapterManifest.SCHEMA_VERSION, job.task(), version,
                    plan.parentVersion(),
                    settings.method().name(), settings.baseModel(), baseModels.digest(settings.baseModel()),
                    job.datasets(), job.heldOut(), List.of(), TrainingJobRunner.hyperparameters(settings), null,
                    summary(result, plan, train, heldOut), TrainingJobRunner.codeVersion(), base.device().toString(),
                    durationMillis, Instant.now().toString(), job.jobId(), job.sourceEventId(), "generation",
                    metrics);
            TrainingJobRunner.publishVersion(registry, job, version, dir, manifest, control);
            CandidateGate.Verdict verdict = judge(job, version, candidate, baseline,
                    champion -> scoreStored(job.task(), champion, decoder, tokenizer, heldOut.examples(), ids,
                            maxLength, settings.exactMatch(), base.manager(), evaluationSet));
            return new Finished(version, AdapterRegistry.adapterPrefix(job.task(), version), metrics, result,
                    verdict);
        } finally {
            TrainingJobRunner.deleteQuietly(dir);
            TrainingJobRunner.deleteQuietly(baseVersionDir);
        }
    }

    /** The ids a generation task needs from its base model: the end of a completion, and what batches pad with. */
    private record SpecialIds(List<Long> ends, long pad) {
        long end() {
            return ends.getFirst();
        }

        static SpecialIds of(PretrainedModel base, String baseModel) {
            TokenizerSettings settings = base.tokenizer().settings().orElseThrow(() -> new TrainingFailedException(
                    "base model " + baseModel + " has no tokenizer settings"));
            List<Long> ends = settings.stopIds();
            if (ends.isEmpty()) {
                throw new TrainingFailedException("base model " + baseModel + " names no end-of-sequence token"
                        + " (eos_token_id in config.json or eos_token in tokenizer_config.json): a generation task"
                        + " needs one, or its completions would never learn to end");
            }
            return new SpecialIds(ends, settings.batchPadId().orElse(ends.getFirst()));
        }
    }

    /** The examples that fit the sequence budget, tokenized; those whose prompt leaves no room are counted out. */
    private record ExampleBudget(List<CompletionExample> examples, List<TokenizedCompletion> sequences,
                                 int promptTooLong, int completionTruncated) {

        static ExampleBudget fit(TextTokenizer tokenizer, List<CompletionExample> examples, int maxLength, long endId,
                                 String what) {
            List<CompletionExample> kept = new ArrayList<>(examples.size());
            List<TokenizedCompletion> sequences = new ArrayList<>(examples.size());
            int tooLong = 0;
            int truncated = 0;
            String firstRefusal = null;
            for (CompletionExample example : examples) {
                try {
                    TokenizedCompletion sequence = TokenizedCompletion.of(tokenizer, List.of(example), maxLength,
                            endId).getFirst();
                    sequences.add(sequence);
                    kept.add(example);
                    if (sequence.ids()[sequence.ids().length - 1] != endId) {
                        truncated++;
                    }
                } catch (IllegalArgumentException e) {
                    tooLong++;
                    firstRefusal = firstRefusal == null ? e.getMessage() : firstRefusal;
                }
            }
            if (kept.isEmpty()) {
                throw new BadDataException(what + ": no example fits max-sequence-length " + maxLength + " (first: "
                        + firstRefusal + ")");
            }
            if (tooLong > 0 || truncated > 0) {
                Log.warnf("%s: %d examples left out (prompt too long for max-sequence-length %d), %d completions"
                        + " cut at the budget", what, tooLong, maxLength, truncated);
            }
            return new ExampleBudget(kept, sequences, tooLong, truncated);
        }
    }

    /** Prompt/completion records as they are; chat records through the base model's chat template. */
    private static List<CompletionExample> examples(List<CompletionRecord> records, TextTokenizer tokenizer) {
        ChatExamples chat = new ChatExamples(tokenizer);
        List<CompletionExample> examples = new ArrayList<>(records.size());
        for (CompletionRecord record : records) {
            examples.add(chat.of(record));
        }
        return examples;
    }

    private static CompletionOutcomes score(DecoderModel decoder, TextTokenizer tokenizer,
                                            List<CompletionExample> examples, SpecialIds ids, int maxLength,
                                            boolean exactMatch, NDManager parent, String evaluationSet) {
        try (NDManager scope = parent.newSubManager()) {
            CompletionReport report = new CompletionEvaluator(EVALUATION_BATCH, maxLength).evaluate(decoder,
                    tokenizer, examples, ids.end(), ids.pad(), scope, exactMatch);
            return CompletionOutcomes.of(evaluationSet, report);
        }
    }

    /** A stored version's adapters put on the decoder for as long as it takes to score them. */
    private CompletionOutcomes scoreStored(String task, String version, DecoderModel decoder, TextTokenizer tokenizer,
                                           List<CompletionExample> examples, SpecialIds ids, int maxLength,
                                           boolean exactMatch, NDManager parent, String evaluationSet) {
        Path dir = engine.workDir().resolve("champion-" + version);
        try {
            registry.fetchAdapter(task, version, dir);
            try (AdaptedLanguageModel stored = PeftAdapterFiles.readLanguageModel(dir, decoder, parent)) {
                return score(decoder, tokenizer, examples, ids, maxLength, exactMatch, parent, evaluationSet);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot score champion " + version + ": " + e.getMessage(), e);
        } finally {
            TrainingJobRunner.deleteQuietly(dir);
        }
    }

    /** As the classification job does: a gate that cannot decide leaves the version stored and ungated. */
    private CandidateGate.Verdict judge(TrainingJob job, String version, CompletionOutcomes candidate,
                                        CompletionOutcomes baseline,
                                        java.util.function.Function<String, CompletionOutcomes> scoreChampion) {
        return TrainingJobRunner.judged(job, version, gate, candidateGate -> candidateGate.judgeCompletions(
                job.task(), version, candidate, baseline, scoreChampion));
    }

    /**
     * Names the exact examples scored: the held-out object, how many records were read, and the budget that decided
     * which fit. Stored outcomes are keyed by it, so a champion scored under another budget is scored again.
     */
    private static String evaluationSetId(String heldOutSha256, int records, int maxLength, ExampleBudget fitted) {
        String id = heldOutSha256 + "|" + records + "|" + maxLength + "|" + fitted.examples().size();
        return CheckpointStore.sha256(id.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, Object> summary(TrainingResult result, GenerationIncrementalStart.Plan plan,
                                               ExampleBudget train, ExampleBudget heldOut) {
        Map<String, Object> t = TrainingJobRunner.runSummary(result, plan.summary());
        t.put("promptTooLong", train.promptTooLong());
        t.put("completionsTruncated", train.completionTruncated());
        t.put("heldOutPromptTooLong", heldOut.promptTooLong());
        return t;
    }
}
