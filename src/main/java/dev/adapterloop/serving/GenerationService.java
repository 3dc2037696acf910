package dev.adapterloop.serving;

import dev.adapterloop.config.TaskCatalogue;
import dev.adapterloop.config.TasksConfig;
import dev.adapterloop.dataset.ChatTurn;
import dev.adapterloop.events.PredictionId;
import dev.adapterloop.events.PredictionRecord;
import dev.adapterloop.model.ChatFormat;
import dev.adapterloop.model.decoder.TextGenerator;
import dev.adapterloop.model.decoder.TokenSampler;
import dev.adapterloop.serving.ServingProblem.Kind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Answers a generation request: checks it against the task's limits, routes by the sticky key as predictions are
 * routed (champion, or the challenger for its share), continues the prompt in a batch with the other requests waiting
 * for the same version ({@link GenerationBatcher}),
 * signs a prediction id, and records metrics (latency, time to the first token) and a prediction record.
 */
@ApplicationScoped
public class GenerationService {

    private static final Logger LOG = Logger.getLogger(GenerationService.class);
    /** The label claim of a generation's prediction id: it names what was answered, a completion. */
    static final String COMPLETION = "completion";

    /** What a request asks for, as the resource parsed it; limits not checked yet. */
    public record Ask(String prompt, List<ChatTurn> messages, Integer maxTokens, double temperature, int topK,
            double topP, Long seed, List<String> stop, String key, String version) {
    }

    /** One generation's answer. */
    public record Generation(String predictionId, String task, String text, String finishReason, int promptTokens,
            int completionTokens, String version, String variant) {
    }

    private final PredictionService routing;
    private final TaskCatalogue tasks;
    private final ServingConfig config;
    private final PredictionLog log;
    private final MeterRegistry meters;
    private final GenerationBatcher batcher;

    GenerationService(PredictionService routing, TaskCatalogue tasks, ServingConfig config, PredictionLog log,
            MeterRegistry meters) {
        this.routing = routing;
        this.tasks = tasks;
        this.config = config;
        this.log = log;
        this.meters = meters;
        this.batcher = new GenerationBatcher(config.maxConcurrentInferences(), config.maxGenerationBatch(),
                config.maxQueuedGenerations(), meters);
    }

    /** How long a request waits for its generation (adapterloop.serving.generation-timeout). */
    public Duration timeout() {
        return config.generationTimeout();
    }

    /** 404 unless the task is configured or has adapters or aliases in the bucket. */
    public void requireKnown(String task) {
        routing.requireKnown(task);
    }

    /**
     * Generates and waits for the answer.
     *
     * @param onText receives the completion's text as it grows; never text past a stop sequence
     */
    public Generation generate(String task, Ask ask, Consumer<String> onText) {
        CompletableFuture<Generation> answer = start(task, ask, onText);
        try {
            return answer.get(config.generationTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(false);
            throw new ServingProblem(Kind.OVERLOADED, task, "no answer within " + config.generationTimeout()
                    + " (adapterloop.serving.generation-timeout): the decoding loops are busy");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServingProblem(Kind.OVERLOADED, task, "interrupted while waiting for the generation");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
        }
    }

    /**
     * Checks the request, routes it and queues it for decoding; what is wrong with the request or the task is thrown
     * here, before anything is generated (so a stream can still answer it as a problem). The future completes with
     * the answer, or with a {@link ServingProblem}; the routed model's reference is held until then.
     *
     * @param onText receives the completion's text as it grows, on a decoding thread
     */
    public CompletableFuture<Generation> start(String task, Ask ask, Consumer<String> onText) {
        long started = System.nanoTime();
        routing.requireKnown(task);
        PredictionService.Routed routed = routing.route(task, ask.key(), ask.version());
        ServedModel model = routed.model();
        CompletableFuture<TextGenerator.Completion> decoded;
        String prompt;
        long[] firstText = {0};
        try {
            if (!model.generates()) {
                throw new ServingProblem(Kind.WRONG_TASK_KIND, task, "task '" + task + "' classifies texts:"
                        + " POST /api/tasks/" + task + "/predictions with {\"text\": ...}");
            }
            prompt = prompt(task, model, ask);
            TextGenerator.Request request = request(task, ask, prompt);
            try {
                decoded = batcher.submit(model, request, text -> {
                    if (firstText[0] == 0) {
                        firstText[0] = System.nanoTime();
                    }
                    onText.accept(text);
                });
            } catch (GenerationBatcher.FullException e) {
                throw new ServingProblem(Kind.TOO_MANY_REQUESTS, task, e.getMessage());
            }
        } catch (ServingProblem e) {
            model.release();
            failed(task, model, routed.variant(), e.kind().name().toLowerCase(Locale.ROOT) + ": " + e.getMessage(),
                    started);
            throw e;
        }
        return decoded.handle((completion, error) -> {
            model.release();
            if (error == null) {
                return answer(task, routed, prompt, completion, started, firstText[0]);
            }
            Throwable cause = error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
            if (cause instanceof IllegalArgumentException) { // the prompt and max_tokens exceed the positions
                failed(task, model, routed.variant(), "text-too-long: " + cause.getMessage(), started);
                throw new ServingProblem(Kind.TEXT_TOO_LONG, task, cause.getMessage());
            }
            LOG.errorf(cause, "generation for task %s on %s failed", task, model);
            failed(task, model, routed.variant(), "inference-failed: " + cause, started);
            throw new ServingProblem(Kind.INFERENCE_FAILED, task, "generation failed on " + model + ": " + cause);
        });
    }

    /** The prompt as given, or the messages rendered with the served version's chat template. */
    private static String prompt(String task, ServedModel model, Ask ask) {
        if (ask.messages() == null) {
            return ask.prompt();
        }
        ChatFormat chat = model.chatFormat().orElseThrow(() -> new ServingProblem(Kind.MALFORMED_REQUEST, task,
                "the base model of task '" + task + "' has no chat template: send \"prompt\" instead of"
                        + " \"messages\""));
        try {
            return chat.generationPrompt(ask.messages());
        } catch (IllegalArgumentException e) {
            throw new ServingProblem(Kind.MALFORMED_REQUEST, task, "the chat template refused the messages: "
                    + e.getMessage());
        }
    }

    /** The request within the task's limits; the seed is random when none is given (sampling then varies). */
    private TextGenerator.Request request(String task, Ask ask, String prompt) {
        TasksConfig.Task configured = tasks.tasks().get(task);
        int maxPromptChars = configured == null ? 16_000 : configured.generation().maxPromptChars();
        int maxTokens = configured == null ? 512 : configured.generation().maxTokens();
        int defaultMaxTokens = configured == null ? 64 : configured.generation().defaultMaxTokens();
        // Blank as for classification: some tokenizers make no token of white space, and an empty sequence has
        // nothing to continue (it failed in the decoding loop, answered as text-too-long).
        if (prompt == null || prompt.isBlank()) {
            throw new ServingProblem(Kind.EMPTY_TEXT, task, "\"prompt\" is empty or blank");
        }
        if (prompt.length() > maxPromptChars) {
            throw new ServingProblem(Kind.TEXT_TOO_LONG, task, "prompt has " + prompt.length()
                    + " characters, at most " + maxPromptChars + " allowed (adapterloop.tasks." + task
                    + ".generation.max-prompt-chars)");
        }
        // A default above the cap would refuse every request that gives none: the cap wins.
        int budget = ask.maxTokens() == null ? Math.min(defaultMaxTokens, maxTokens) : ask.maxTokens();
        if (budget < 1 || budget > maxTokens) {
            throw new ServingProblem(Kind.MALFORMED_REQUEST, task, "\"max_tokens\" must be within [1, " + maxTokens
                    + "] (adapterloop.tasks." + task + ".generation.max-tokens), got " + budget);
        }
        long seed = ask.seed() != null ? ask.seed() : ThreadLocalRandom.current().nextLong();
        try {
            TextGenerator.Request request = new TextGenerator.Request(prompt, budget, ask.temperature(),
                    ask.topK(), ask.topP(), seed, ask.stop());
            new TokenSampler(ask.temperature(), ask.topK(), ask.topP(), seed); // checks the sampling settings now
            return request;
        } catch (IllegalArgumentException e) {
            throw new ServingProblem(Kind.MALFORMED_REQUEST, task, e.getMessage());
        }
    }

    @PreDestroy
    void close() {
        batcher.close();
    }

    private Generation answer(String task, PredictionService.Routed routed, String prompt,
            TextGenerator.Completion completion, long started, long firstText) {
        Instant now = Instant.now();
        String version = routed.model().version();
        // Bound to the prompt the model continued (for chat requests, the rendered one): a correction must name it.
        String id = PredictionId.issue(config.predictionIdKey(), task, version, routed.variant(), COMPLETION, now,
                prompt);
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
