package dev.adapterloop.serving;

import dev.adapterloop.config.TasksConfig;
import dev.adapterloop.events.PredictionId;
import dev.adapterloop.events.PredictionRecord;
import dev.adapterloop.model.decoder.TextGenerator;
import dev.adapterloop.model.decoder.TokenSampler;
import dev.adapterloop.serving.ServingProblem.Kind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Answers a generation request: checks it against the task's limits, routes by the sticky key as predictions are
 * routed (champion, or the challenger for its share), continues the prompt within the bounded inference concurrency,
 * signs a prediction id, and records metrics (latency, time to the first token) and a prediction record.
 */
@ApplicationScoped
public class GenerationService {

    private static final Logger LOG = Logger.getLogger(GenerationService.class);
    private static final long QUEUE_WAIT_SECONDS = 30;
    /** The label claim of a generation's prediction id: it names what was answered, a completion. */
    static final String COMPLETION = "completion";

    /** What a request asks for, as the resource parsed it; limits not checked yet. */
    public record Ask(String prompt, Integer maxTokens, double temperature, int topK, double topP, Long seed,
            List<String> stop, String key) {
    }

    /** One generation's answer. */
    public record Generation(String predictionId, String task, String text, String finishReason, int promptTokens,
            int completionTokens, String version, String variant) {
    }

    private final PredictionService routing;
    private final TasksConfig tasks;
    private final ServingConfig config;
    private final PredictionLog log;
    private final MeterRegistry meters;
    private final Semaphore generations;

    GenerationService(PredictionService routing, TasksConfig tasks, ServingConfig config, PredictionLog log,
            MeterRegistry meters) {
        this.routing = routing;
        this.tasks = tasks;
        this.config = config;
        this.log = log;
        this.meters = meters;
        this.generations = new Semaphore(config.maxConcurrentInferences(), true);
    }

    /** 404 unless the task is configured or has adapters or aliases in the bucket. */
    public void requireKnown(String task) {
        routing.requireKnown(task);
    }

    /**
     * @param onText receives the completion's text as it grows (for streaming); never text past a stop sequence
     */
    public Generation generate(String task, Ask ask, Consumer<String> onText) {
        long started = System.nanoTime();
        routing.requireKnown(task);
        TextGenerator.Request request = request(task, ask);
        PredictionService.Routed routed = routing.acquire(task, ask.key());
        ServedModel model = routed.model();
        try {
            if (!model.generates()) {
                throw new ServingProblem(Kind.WRONG_TASK_KIND, task, "task '" + task + "' classifies texts:"
                        + " POST /api/tasks/" + task + "/predictions with {\"text\": ...}");
            }
            long[] firstText = {0};
            TextGenerator.Completion completion = run(task, model, request, text -> {
                if (firstText[0] == 0) {
                    firstText[0] = System.nanoTime();
                }
                onText.accept(text);
            });
            return answer(task, routed, completion, started, firstText[0]);
        } catch (ServingProblem e) {
            failed(task, model, routed.variant(), e.kind().name().toLowerCase(Locale.ROOT) + ": " + e.getMessage(),
                    started);
            throw e;
        } catch (IllegalArgumentException e) { // the prompt and max_tokens do not fit the model's positions
            failed(task, model, routed.variant(), "text-too-long: " + e.getMessage(), started);
            throw new ServingProblem(Kind.TEXT_TOO_LONG, task, e.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf(e, "generation for task %s on %s failed", task, model);
            failed(task, model, routed.variant(), "inference-failed: " + e, started);
            throw new ServingProblem(Kind.INFERENCE_FAILED, task, "generation failed on " + model + ": " + e);
        } finally {
            model.release();
        }
    }

    /** The request within the task's limits; the seed is random when none is given (sampling then varies). */
    private TextGenerator.Request request(String task, Ask ask) {
        TasksConfig.Task configured = tasks.tasks().get(task);
        int maxPromptChars = configured == null ? 16_000 : configured.generation().maxPromptChars();
        int maxTokens = configured == null ? 512 : configured.generation().maxTokens();
        int defaultMaxTokens = configured == null ? 64 : configured.generation().defaultMaxTokens();
        if (ask.prompt() == null || ask.prompt().isEmpty()) {
            throw new ServingProblem(Kind.EMPTY_TEXT, task, "\"prompt\" is empty");
        }
        if (ask.prompt().length() > maxPromptChars) {
            throw new ServingProblem(Kind.TEXT_TOO_LONG, task, "prompt has " + ask.prompt().length()
                    + " characters, at most " + maxPromptChars + " allowed (adapterloop.tasks." + task
                    + ".generation.max-prompt-chars)");
        }
        int budget = ask.maxTokens() == null ? defaultMaxTokens : ask.maxTokens();
        if (budget < 1 || budget > maxTokens) {
            throw new ServingProblem(Kind.MALFORMED_REQUEST, task, "\"max_tokens\" must be within [1, " + maxTokens
                    + "] (adapterloop.tasks." + task + ".generation.max-tokens), got " + budget);
        }
        long seed = ask.seed() != null ? ask.seed() : ThreadLocalRandom.current().nextLong();
        try {
            TextGenerator.Request request = new TextGenerator.Request(ask.prompt(), budget, ask.temperature(),
                    ask.topK(), ask.topP(), seed, ask.stop());
            new TokenSampler(ask.temperature(), ask.topK(), ask.topP(), seed); // checks the sampling settings now
            return request;
        } catch (IllegalArgumentException e) {
            throw new ServingProblem(Kind.MALFORMED_REQUEST, task, e.getMessage());
        }
    }

    private TextGenerator.Completion run(String task, ServedModel model, TextGenerator.Request request,
            Consumer<String> onText) {
        try {
            if (!generations.tryAcquire(QUEUE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new ServingProblem(Kind.OVERLOADED, task, "no inference slot freed within "
                        + QUEUE_WAIT_SECONDS + " s (adapterloop.serving.max-concurrent-inferences="
                        + config.maxConcurrentInferences() + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServingProblem(Kind.OVERLOADED, task, "interrupted while waiting for an inference slot");
        }
        try {
            return model.generate(List.of(request), (row, text) -> onText.accept(text)).getFirst();
        } finally {
            generations.release();
        }
    }

    private Generation answer(String task, PredictionService.Routed routed, TextGenerator.Completion completion,
            long started, long firstText) {
        Instant now = Instant.now();
        String version = routed.model().version();
        String id = PredictionId.issue(config.predictionIdKey(), task, version, routed.variant(), COMPLETION, now);
        double latencyMs = (System.nanoTime() - started) / 1e6;
        log.offer(new PredictionRecord(PredictionRecord.SCHEMA_VERSION, id, task, version, routed.variant(),
                COMPLETION, null, latencyMs, false, null, now.toString()));
        Counter.builder("adapterloop.generations").tag("task", task).tag("variant", routed.variant())
                .tag("outcome", "ok").description("Generation requests").register(meters).increment();
        Timer.builder("adapterloop.generation.latency").tag("task", task).tag("variant", routed.variant())
                .description("Generation request latency, routing to the last token").publishPercentileHistogram()
                .register(meters).record(Duration.ofNanos(System.nanoTime() - started));
        if (firstText > 0) {
            Timer.builder("adapterloop.generation.first-text").tag("task", task).tag("variant", routed.variant())
                    .description("Time from routing to the first decoded text").publishPercentileHistogram()
                    .register(meters).record(Duration.ofNanos(firstText - started));
        }
        return new Generation(id, task, completion.text(), completion.finishReason(), completion.promptTokens(),
                completion.tokens().length, version, routed.variant());
    }

    private void failed(String task, ServedModel model, String variant, String reason, long started) {
        Counter.builder("adapterloop.generations").tag("task", task).tag("variant", variant == null ? "none" : variant)
                .tag("outcome", "error").description("Generation requests").register(meters).increment();
        log.offer(new PredictionRecord(PredictionRecord.SCHEMA_VERSION, null, task,
                model == null ? null : model.version(), variant, null, null, (System.nanoTime() - started) / 1e6,
                true, reason, Instant.now().toString()));
    }
}
