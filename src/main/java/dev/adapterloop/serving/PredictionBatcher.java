package dev.adapterloop.serving;

import dev.adapterloop.model.PretrainedModel;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Continuous batching of classification requests on a shared base ({@code shared} mode): requests that arrive while a
 * pass of their base is running are answered together by the next pass, whatever version each one asked for
 * ({@link MixedBatch}). A request that finds its base idle runs at once, so batching never adds waiting; under load,
 * one pass of the base serves many versions instead of one pass each. No thread of its own: the first waiting
 * request's thread runs passes until the queue is empty, the others wait for their answers.
 */
final class PredictionBatcher {

    /** Runs one pass with an inference permit held ({@code PredictionService}'s bound on concurrent passes). */
    @FunctionalInterface
    interface Permits {
        <T> T withPermit(java.util.function.Supplier<T> pass);
    }

    private record Pending(ServedModel model, List<String> texts, CompletableFuture<List<ServedModel.Scores>> answer) {
    }

    private static final class BaseQueue {
        final ConcurrentLinkedQueue<Pending> waiting = new ConcurrentLinkedQueue<>();
        final AtomicBoolean running = new AtomicBoolean();
    }

    private final int maxTextsPerPass;
    private final int maxSequenceLength;
    private final Permits permits;
    private final DistributionSummary textsPerPass;
    private final DistributionSummary versionsPerPass;
    private final Map<PretrainedModel, BaseQueue> queues = new ConcurrentHashMap<>();

    PredictionBatcher(int maxTextsPerPass, int maxSequenceLength, Permits permits, MeterRegistry meters) {
        this.maxTextsPerPass = maxTextsPerPass;
        this.maxSequenceLength = maxSequenceLength;
        this.permits = permits;
        this.textsPerPass = DistributionSummary.builder("adapterloop.serving.batch.texts")
                .description("Texts per forward pass of a shared base").register(meters);
        this.versionsPerPass = DistributionSummary.builder("adapterloop.serving.batch.versions")
                .description("Versions answered by one forward pass of a shared base").register(meters);
    }

    /** Whether {@code model}'s requests go through here: a classification version on a shared base. */
    static boolean batches(ServedModel model) {
        return model.sharedClassifier().isPresent();
    }

    /**
     * Scores {@code texts} with {@code model}, in a pass with whatever else waits on the same base. The caller holds
     * a reference on {@code model} until this returns.
     *
     * @throws RuntimeException what the pass threw (every request of a failed pass gets its exception)
     */
    List<ServedModel.Scores> predict(ServedModel model, List<String> texts) {
        BaseQueue queue = queues.computeIfAbsent(model.base(), base -> new BaseQueue());
        Pending pending = new Pending(model, texts, new CompletableFuture<>());
        queue.waiting.add(pending);
        // Whoever gets the flag runs passes until nothing waits; checking the queue again after dropping the flag
        // covers a request that queued just before, saw the flag taken and now only waits.
        while (!pending.answer().isDone() && !queue.waiting.isEmpty() && queue.running.compareAndSet(false, true)) {
            try {
                drain(queue);
            } finally {
                queue.running.set(false);
            }
        }
        try {
            return pending.answer().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a shared pass", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
    }

    /** Requests waiting on {@code base}'s queue now (tests). */
    int waiting(PretrainedModel base) {
        BaseQueue queue = queues.get(base);
        return queue == null ? 0 : queue.waiting.size();
    }

    private void drain(BaseQueue queue) {
        while (!queue.waiting.isEmpty()) {
            try {
                permits.withPermit(() -> {
                    pass(take(queue));
                    return null;
                });
            } catch (RuntimeException e) { // no permit (overloaded): every request waiting now gets that answer
                for (Pending pending = queue.waiting.poll(); pending != null; pending = queue.waiting.poll()) {
                    pending.answer().completeExceptionally(e);
                }
            }
        }
    }

    /** The oldest requests that fit one pass: at least one, however many texts it has. */
    private List<Pending> take(BaseQueue queue) {
        List<Pending> taken = new ArrayList<>();
        int texts = 0;
        for (Pending next = queue.waiting.peek(); next != null; next = queue.waiting.peek()) {
            if (!taken.isEmpty() && texts + next.texts().size() > maxTextsPerPass) {
                break;
            }
            taken.add(queue.waiting.poll());
            texts += next.texts().size();
        }
        return taken;
    }

    private void pass(List<Pending> requests) {
        if (requests.isEmpty()) {
            return;
        }
        List<ServedModel> rowModels = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (Pending request : requests) {
            request.texts().forEach(text -> {
                rowModels.add(request.model());
                texts.add(text);
            });
        }
        try {
            List<ServedModel.Scores> scores = MixedBatch.predict(rowModels, texts, maxSequenceLength);
            textsPerPass.record(texts.size());
            versionsPerPass.record(requests.stream().map(Pending::model).distinct().count());
            int row = 0;
            for (Pending request : requests) {
                request.answer().complete(scores.subList(row, row + request.texts().size()));
                row += request.texts().size();
            }
        } catch (RuntimeException | Error e) {
            requests.forEach(request -> request.answer().completeExceptionally(e));
        }
    }
}
