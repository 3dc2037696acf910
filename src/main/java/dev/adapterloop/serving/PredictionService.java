package dev.adapterloop.serving;

import dev.adapterloop.events.PredictionId;
import dev.adapterloop.events.PredictionRecord;
import dev.adapterloop.serving.ServingProblem.Kind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Answers a prediction request: checks the texts, routes by the sticky key (challenger share), takes a reference on
 * the routed model so that a concurrent swap cannot close it, runs the batch within the bounded inference
 * concurrency, signs a prediction id per text, and records metrics and a prediction record for every outcome.
 */
@ApplicationScoped
public class PredictionService {

    private static final Logger LOG = Logger.getLogger(PredictionService.class);
    private static final long QUEUE_WAIT_SECONDS = 30;

    /** One text's answer. */
    public record Prediction(String predictionId, String task, String label, Map<String, Double> scores,
            String version, String variant) {
    }

    private final ServedModels models;
    private final PredictionLog log;
    private final ServingConfig config;
    private final MeterRegistry meters;
    private final Semaphore inferences;
    private final PredictionBatcher batcher;

    PredictionService(ServedModels models, PredictionLog log, ServingConfig config, MeterRegistry meters) {
        this.models = models;
        this.log = log;
        this.config = config;
        this.meters = meters;
        this.inferences = new Semaphore(config.maxConcurrentInferences(), true);
        this.batcher = new PredictionBatcher(config.maxBatch(), config.maxSequenceLength(), this::withPermit, meters);
        challengerShare("default", config.challengerShare()); // fail at startup, not on the first request
    }

    public List<Prediction> predict(String task, String key, List<String> texts) {
        return predict(task, key, texts, null);
    }

    /**
     * @param version the adapter version to answer with ({@link PredictionId#REQUESTED}), loaded on demand into the
     *                serving cache; null routes {@code key} to the champion or the challenger
     */
    public List<Prediction> predict(String task, String key, List<String> texts, String version) {
        long started = System.nanoTime();
        requireKnown(task);
        String variant = null;
        ServedModel model = null;
        try {
            validate(task, texts);
            Routed routed = route(task, key, version);
            variant = routed.variant();
            model = routed.model();
            try {
                if (model.generates()) {
                    throw new ServingProblem(Kind.WRONG_TASK_KIND, task, "task '" + task + "' generates text:"
                            + " POST /api/tasks/" + task + "/generations with {\"prompt\": ...}");
                }
                List<ServedModel.Scores> scores = infer(task, model, texts);
                return answer(task, model.version(), variant, texts, scores, started);
            } finally {
                model.release();
            }
        } catch (ServingProblem e) {
            failed(task, model, variant, e.kind().name().toLowerCase(java.util.Locale.ROOT) + ": " + e.getMessage(),
                    started);
            throw e;
        } catch (RuntimeException e) {
            LOG.errorf(e, "prediction for task %s on %s failed", task, model);
            failed(task, model, variant, "inference-failed: " + e, started);
            throw new ServingProblem(Kind.INFERENCE_FAILED, task, "inference failed on " + model + ": " + e);
        }
    }

    /** A served model with a reference held for the caller (who releases it), and the variant it serves. */
    public record Routed(ServedModel model, String variant) {
    }

    /**
     * Routes {@code key} to the task's champion or, for its challenger share, its challenger, and takes a reference
     * on that model so that a concurrent swap cannot close it under the request.
     *
     * @throws ServingProblem NO_CHAMPION while the task has none loaded
     */
    public Routed acquire(String task, String key) {
        TaskSlots slots;
        ServedModel model;
        String variant;
        do { // a model closed between reading the slots and taking a reference: the slots are new, read again
            slots = models.slots(task);
            if (slots.champion() == null) {
                throw new ServingProblem(Kind.NO_CHAMPION, task, slots.problem() != null ? slots.problem()
                        : "task '" + task + "' has no champion loaded yet");
            }
            boolean challenger = slots.challenger() != null
                    && TrafficSplit.toChallenger(task, key, challengerShare(task, shareOf(task)));
            variant = challenger ? PredictionId.CHALLENGER : PredictionId.CHAMPION;
            model = challenger ? slots.challenger() : slots.champion();
        } while (!model.tryAcquire());
        return new Routed(model, variant);
    }

    /**
     * The version a request named ({@code version}, variant {@link PredictionId#REQUESTED}, loaded on demand into the
     * serving cache) or, without one, {@link #acquire routing by key}; a reference is held for the caller.
     */
    public Routed route(String task, String key, String version) {
        return version == null ? acquire(task, key)
                : new Routed(models.acquireVersion(task, version), PredictionId.REQUESTED);
    }

    /** 404 unless the task is configured or has adapters or aliases in the bucket. */
    public void requireKnown(String task) {
        if (!models.isKnown(task)) {
            throw new ServingProblem(Kind.UNKNOWN_TASK, task, "task '" + task + "' is neither configured"
                    + " (adapterloop.tasks." + task + ".*) nor in the bucket");
        }
    }

    /**
     * A version on a shared base goes through the batcher (its texts may share a pass with other versions'); one
     * with a base of its own runs its own pass. Either way a pass holds one of the inference permits.
     */
    private List<ServedModel.Scores> infer(String task, ServedModel model, List<String> texts) {
        try {
            if (PredictionBatcher.batches(model)) {
                return batcher.predict(model, texts);
            }
            return withPermit(() -> model.predict(texts, config.maxSequenceLength()));
        } catch (ServingProblem e) { // the permit's refusal does not know whose pass it was
            throw e.task() == null ? new ServingProblem(e.kind(), task, e.getMessage()) : e;
        }
    }

    private <T> T withPermit(java.util.function.Supplier<T> pass) {
        try {
            if (!inferences.tryAcquire(QUEUE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new ServingProblem(Kind.OVERLOADED, null, "no inference slot freed within "
                        + QUEUE_WAIT_SECONDS + " s (adapterloop.serving.max-concurrent-inferences="
                        + config.maxConcurrentInferences() + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServingProblem(Kind.OVERLOADED, null, "interrupted while waiting for an inference slot");
        }
        try {
            return pass.get();
        } finally {
            inferences.release();
        }
    }

    private void validate(String task, List<String> texts) {
        if (texts == null || texts.isEmpty()) {
            throw new ServingProblem(Kind.EMPTY_TEXT, task, "give \"text\" (one string) or \"texts\" (a list)");
        }
        if (texts.size() > config.maxBatch()) {
            throw new ServingProblem(Kind.TOO_MANY_TEXTS, task, texts.size() + " texts in one request, at most "
                    + config.maxBatch() + " allowed (adapterloop.serving.max-batch)");
        }
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            String which = texts.size() == 1 ? "text" : "text " + (i + 1);
            if (text == null || text.isBlank()) {
                throw new ServingProblem(Kind.EMPTY_TEXT, task, which + " is empty");
            }
            if (text.length() > config.maxTextChars()) {
                throw new ServingProblem(Kind.TEXT_TOO_LONG, task, which + " has " + text.length()
                        + " characters, at most " + config.maxTextChars() + " allowed"
                        + " (adapterloop.serving.max-text-chars)");
            }
        }
    }

    private List<Prediction> answer(String task, String version, String variant, List<String> texts,
            List<ServedModel.Scores> scores, long started) {
        Instant now = Instant.now();
        double latencyMs = (System.nanoTime() - started) / 1e6;
        List<Prediction> out = new ArrayList<>(scores.size());
        for (int row = 0; row < scores.size(); row++) {
            ServedModel.Scores one = scores.get(row);
            Map<String, Double> byLabel = new LinkedHashMap<>();
            for (int i = 0; i < one.labels().size(); i++) {
                byLabel.put(one.labels().get(i), (double) one.probabilities()[i]);
            }
            String label = one.labels().get(one.best());
            // Bound to its text: feedback that brings the text back as training data must bring this one.
            String id = PredictionId.issue(config.predictionIdKey(), task, version, variant, label, now,
                    texts.get(row));
            out.add(new Prediction(id, task, label, byLabel, version, variant));
            log.offer(new PredictionRecord(PredictionRecord.SCHEMA_VERSION, id, task, version, variant, label,
                    byLabel, latencyMs, false, null, now.toString()));
        }
        Counter.builder("adapterloop.predictions").tag("task", task).tag("variant", variant).tag("outcome", "ok")
                .description("Prediction requests").register(meters).increment();
        Timer.builder("adapterloop.prediction.latency").tag("task", task).tag("variant", variant)
                .description("Prediction request latency, routing to answer").publishPercentileHistogram()
                .register(meters).record(Duration.ofNanos(System.nanoTime() - started));
        return out;
    }

    /** Records a request of a known task refused before routing (a malformed body): metrics and the log. */
    public void refused(String task, ServingProblem problem) {
        failed(task, null, null, problem.kind().name().toLowerCase(java.util.Locale.ROOT) + ": "
                + problem.getMessage(), System.nanoTime());
    }

    private void failed(String task, ServedModel model, String variant, String reason, long started) {
        Counter.builder("adapterloop.predictions").tag("task", task).tag("variant", variant == null ? "none" : variant)
                .tag("outcome", "error").description("Prediction requests").register(meters).increment();
        log.offer(new PredictionRecord(PredictionRecord.SCHEMA_VERSION, null, task,
                model == null ? null : model.version(), variant, null, null,
                (System.nanoTime() - started) / 1e6, true, reason, Instant.now().toString()));
    }

    private double shareOf(String task) {
        ServingConfig.TaskServing own = config.tasks().get(task);
        return own != null && own.challengerShare().isPresent() ? own.challengerShare().getAsDouble()
                : config.challengerShare();
    }

    private static double challengerShare(String task, double share) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("challenger-share of " + task + " must be within [0, 1], got "
                    + share);
        }
        return share;
    }
}
