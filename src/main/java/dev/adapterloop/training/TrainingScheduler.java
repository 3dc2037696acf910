package dev.adapterloop.training;

import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One job at a time per device, in arrival order, on a thread of its own: a job that runs for hours never holds up
 * the Kafka consumer, which only validates and enqueues.
 */
@ApplicationScoped
public class TrainingScheduler {

    private final TrainingJobRunner runner;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "adapterloop-training");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger queued = new AtomicInteger();

    public TrainingScheduler(TrainingJobRunner runner) {
        this.runner = runner;
    }

    public Future<JobOutcome> submit(TrainingJob job) {
        int depth = queued.incrementAndGet();
        Log.infof("job %s: queued for task %s (%d in queue)", job.jobId(), job.task(), depth);
        return worker.submit(() -> {
            queued.decrementAndGet();
            return runner.run(job);
        });
    }

    public int queueDepth() {
        return queued.get();
    }

    @PreDestroy
    void stop() throws InterruptedException {
        worker.shutdownNow();
        worker.awaitTermination(30, TimeUnit.SECONDS);
    }
}
