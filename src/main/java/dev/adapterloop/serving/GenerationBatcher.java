package dev.adapterloop.serving;

import dev.adapterloop.model.decoder.TextGenerator;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs concurrent generation requests for the same served version as one batch: one decoding loop, one forward pass
 * per step for all of them ({@link TextGenerator} keeps each row's settings, seed, stops and budget). There is no
 * waiting window: a request starts at once when a worker is free, and whatever queued for the same version while the
 * workers were busy goes into the next batch together, so batches grow exactly when load does. A short request in a
 * batch waits for the batch's longest (the loop runs until every row has stopped).
 *
 * <p>Each submission schedules one drain of its own queue; a drain takes whatever that queue holds (up to the batch
 * limit), so under load most drains find their request already taken and return at once. The caller holds a
 * reference on the model until its future completes, so a swap never closes a model under a batch.
 */
final class GenerationBatcher implements AutoCloseable {

    /** One request waiting for a batch. */
    private record Pending(TextGenerator.Request request, Consumer<String> onText,
            CompletableFuture<TextGenerator.Completion> done) {
    }

    /** Thrown by {@link #submit} when {@code maxInFlight} requests are queued or decoding already. */
    static final class FullException extends RuntimeException {
        FullException(String message) {
            super(message, null, false, false);
        }
    }

    private final Map<ServedModel, Queue<Pending>> queues = new ConcurrentHashMap<>();
    private final Semaphore inFlight;
    private final int maxInFlight;
    private final ExecutorService workers;
    private final int maxBatch;
    private final DistributionSummary batchSizes;

    /**
     * @param workers     decoding loops that may run at once (each uses libtorch's intra-op threads)
     * @param maxBatch    requests per decoding loop at most
     * @param maxInFlight requests queued or decoding at most; one more is refused at once, so that a burst cannot
     *                    pile up requests (and the threads waiting on them) without bound
     */
    GenerationBatcher(int workers, int maxBatch, int maxInFlight, MeterRegistry meters) {
        if (workers < 1 || maxBatch < 1 || maxInFlight < 1) {
            throw new IllegalArgumentException("workers, max batch and max in flight must be >= 1, got " + workers
                    + ", " + maxBatch + " and " + maxInFlight);
        }
        this.inFlight = new Semaphore(maxInFlight);
        this.maxInFlight = maxInFlight;
        AtomicInteger count = new AtomicInteger();
        ThreadFactory threads = runnable -> {
            Thread thread = new Thread(runnable, "generation-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        this.workers = Executors.newFixedThreadPool(workers, threads);
        this.maxBatch = maxBatch;
        this.batchSizes = DistributionSummary.builder("adapterloop.generation.batch.size")
                .description("Generation requests decoded together in one loop").register(meters);
    }

    /** Queues {@code request} on {@code model} (whose reference the caller holds until the future completes). */
    CompletableFuture<TextGenerator.Completion> submit(ServedModel model, TextGenerator.Request request,
            Consumer<String> onText) {
        if (!inFlight.tryAcquire()) {
            throw new FullException(maxInFlight + " generation requests are queued or decoding"
                    + " (adapterloop.serving.max-queued-generations); retry shortly");
        }
        Pending pending = new Pending(request, onText, new CompletableFuture<>());
        pending.done().whenComplete((completion, error) -> inFlight.release());
        Queue<Pending> queue = queues.computeIfAbsent(model, m -> new ConcurrentLinkedQueue<>());
        queue.add(pending);
        workers.execute(() -> drain(model, queue));
        return pending.done();
    }

    private void drain(ServedModel model, Queue<Pending> queue) {
        List<Pending> batch = new ArrayList<>(maxBatch);
        for (Pending next; batch.size() < maxBatch && (next = queue.poll()) != null; ) {
            batch.add(next);
        }
        if (batch.isEmpty()) {
            return; // an earlier drain took this task's request into its batch
        }
        // Drop the model's entry once nothing waits: a request added meanwhile holds this queue object and its own
        // drain task drains it, so removing the entry loses nothing.
        if (queue.isEmpty()) {
            queues.remove(model, queue);
        }
        batchSizes.record(batch.size());
        try {
            run(model, batch);
        } catch (RuntimeException | Error e) {
            if (batch.size() == 1) {
                batch.getFirst().done().completeExceptionally(e);
                return;
            }
            // One row can fail the loop for all (a prompt that, left-padded to the batch's longest, no longer fits
            // the positions with another row's budget): each then gets its own run and its own outcome.
            for (Pending pending : batch) {
                try {
                    run(model, List.of(pending));
                } catch (RuntimeException | Error alone) {
                    pending.done().completeExceptionally(alone);
                }
            }
        }
    }

    private static void run(ServedModel model, List<Pending> batch) {
        List<TextGenerator.Completion> completions = model.generate(batch.stream().map(Pending::request).toList(),
                (row, text) -> {
                    try {
                        batch.get(row).onText().accept(text);
                    } catch (RuntimeException e) {
                        // a reader that went away (a closed stream) must not stop the other rows
                    }
                });
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).done().complete(completions.get(i));
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
