package dev.adapterloop.observability;

import dev.adapterloop.training.JobLogContext;
import dev.adapterloop.training.JobStopped;
import dev.adapterloop.training.JobStarted;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import dev.adapterloop.training.JobOutcome;
import dev.adapterloop.config.TaskCatalogue;
import dev.adapterloop.training.TrainingProgress;
import dev.adapterloop.training.TrainingWorkerStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/**
 * The pipeline's Micrometer metrics ({@code /q/metrics}, names {@code adapterloop_*}): jobs from the training events
 * ({@link JobStarted}, {@link TrainingProgress}, {@link JobOutcome}), intake from the calls of the consumer. Task tags
 * are the known tasks (configured or defined in the bucket), anything else {@value #OTHER}, so an event cannot add
 * series. A progress event has no task of its own: it is the task of the {@link JobLogContext} open on the thread
 * that fires it.
 */
@Startup
@ApplicationScoped
public class PipelineMetrics {
    static final String OTHER = "other";
    private static final Pattern CLASS_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$.]{0,99}");

    private final MeterRegistry registry;
    /** Whether a name is a task now (a task created over the API gets its own series from then on). */
    private final Predicate<String> known;
    private final AtomicInteger running = new AtomicInteger();
    private final Map<String, Long> startedNanos = new ConcurrentHashMap<>();
    private final Map<String, Integer> lastStep = new ConcurrentHashMap<>();
    private final Map<String, Rates> rates = new ConcurrentHashMap<>();

    /** A task's current training speed; zero between jobs. Held here: gauges keep only weak references. */
    private static final class Rates {
        volatile double stepsPerSecond;
        volatile double examplesPerSecond;
    }

    @Inject
    PipelineMetrics(MeterRegistry registry, TaskCatalogue tasks, Instance<TrainingWorkerStatus> worker) {
        this(registry, task -> tasks.tasks().containsKey(task),
                worker.isResolvable() ? Optional.of(() -> worker.get().queueDepth()) : Optional.empty());
    }

    PipelineMetrics(MeterRegistry registry, Set<String> tasks, Optional<IntSupplier> queueDepth) {
        this(registry, Set.copyOf(tasks)::contains, queueDepth);
    }

    private PipelineMetrics(MeterRegistry registry, Predicate<String> known, Optional<IntSupplier> queueDepth) {
        this.registry = registry;
        this.known = known;
        Gauge.builder("adapterloop.jobs.running", running, AtomicInteger::get)
                .description("Training jobs running now").register(registry);
        queueDepth.ifPresent(depth -> Gauge.builder("adapterloop.training.queue.depth", depth, IntSupplier::getAsInt)
                .description("Training jobs waiting for the worker").register(registry));
    }

    void onStarted(@Observes JobStarted started) {
        String task = taskTag(started.task());
        Counter.builder("adapterloop.jobs.started").tag("task", task).register(registry).increment();
        if (startedNanos.putIfAbsent(started.jobId(), System.nanoTime()) == null) {
            running.incrementAndGet();
        }
    }

    void onProgress(@Observes TrainingProgress progress) {
        String task = taskTag(JobLogContext.currentTask().orElse(OTHER));
        String job = JobLogContext.currentJobId().orElse(task);
        Integer previous = lastStep.put(job, progress.step());
        int steps = Math.max(0, progress.step() - (previous == null ? 0 : previous));
        Counter.builder("adapterloop.training.steps").tag("task", task).register(registry).increment(steps);
        Rates current = rates(task);
        double seconds = progress.elapsed().toNanos() / 1e9;
        current.stepsPerSecond = seconds > 0 ? progress.step() / seconds : 0;
        current.examplesPerSecond = progress.examplesPerSecond();
    }

    /** A job that stopped without an outcome (cancelled, taken over) no longer runs here. */
    void onStopped(@Observes JobStopped stopped) {
        Counter.builder("adapterloop.jobs.stopped").tag("task", taskTag(stopped.task()))
                .description("Jobs stopped without an outcome: cancelled for a revoked partition or taken over")
                .register(registry).increment();
        if (startedNanos.remove(stopped.jobId()) != null) {
            running.decrementAndGet();
        }
        lastStep.remove(stopped.jobId());
        Rates current = rates(taskTag(stopped.task()));
        current.stepsPerSecond = 0;
        current.examplesPerSecond = 0;
    }

    void onOutcome(@Observes JobOutcome outcome) {
        String jobId = outcome.job().jobId();
        String task = taskTag(outcome.job().task());
        if (outcome.succeeded()) {
            Counter.builder("adapterloop.jobs.succeeded").tag("task", task).register(registry).increment();
        } else {
            Counter.builder("adapterloop.jobs.failed").tag("task", task).tag("reason", outcome.failureKind() != null ? outcome.failureKind().wireName() : reasonClass(outcome.failure()))
                    .register(registry).increment();
        }
        Long started = startedNanos.remove(jobId);
        Duration took = started != null ? Duration.ofNanos(System.nanoTime() - started)
                : outcome.training() != null ? outcome.training().duration() : null;
        if (started != null) {
            running.decrementAndGet();
        }
        if (took != null) {
            Timer.builder("adapterloop.job.duration").tag("task", task)
                    .tag("outcome", outcome.succeeded() ? "succeeded" : "failed").register(registry).record(took);
        }
        lastStep.remove(jobId);
        Rates current = rates(task);
        current.stepsPerSecond = 0;
        current.examplesPerSecond = 0;
    }

    /** Time from an event's {@code ce_time} to its consumption; a negative lag (clocks apart) counts as zero. */
    public void recordEventLag(String task, Duration lag) {
        Timer.builder("adapterloop.intake.event.lag").tag("task", taskTag(task))
                .description("From an event's ce_time to its consumption").register(registry)
                .record(lag.isNegative() ? Duration.ZERO : lag);
    }

    /** One labeled-data event handled by the intake. */
    /** A labeled-data event's attempt failed on a passing fault and will be tried again. */
    public void recordIntakeRetry() {
        Counter.builder("adapterloop.intake.retries").register(registry).increment();
    }

    public void recordIntake(String task, IntakeOutcome outcome) {
        Counter.builder("adapterloop.intake.events").tag("task", taskTag(task)).tag("outcome", outcome.outcome())
                .tag("reason", outcome.reason()).register(registry).increment();
    }

    private Rates rates(String task) {
        return rates.computeIfAbsent(task, t -> {
            Rates created = new Rates();
            Gauge.builder("adapterloop.training.steps.per.second", created, r -> r.stepsPerSecond).tag("task", t)
                    .description("Training steps per second of the task's running job").register(registry);
            Gauge.builder("adapterloop.training.examples.per.second", created, r -> r.examplesPerSecond)
                    .tag("task", t).description("Training examples per second of the task's running job")
                    .register(registry);
            return created;
        });
    }

    private String taskTag(String task) {
        return task != null && known.test(task) ? task : OTHER;
    }

    /** "SomeException: message" → "SomeException"; anything that is not a class name → {@value #OTHER}. */
    static String reasonClass(String failure) {
        if (failure == null) {
            return OTHER;
        }
        int colon = failure.indexOf(':');
        String head = (colon < 0 ? failure : failure.substring(0, colon)).strip();
        return CLASS_NAME.matcher(head).matches() ? head : OTHER;
    }
}
