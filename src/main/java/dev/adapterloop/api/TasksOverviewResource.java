package dev.adapterloop.api;

import dev.adapterloop.events.AdapterManifest;
import dev.adapterloop.events.PredictionId;
import dev.adapterloop.observability.DeadLetterCounts;
import dev.adapterloop.registry.AliasSnapshot;
import dev.adapterloop.registry.AliasStore;
import dev.adapterloop.registry.AliasTarget;
import dev.adapterloop.registry.PipelineRecords;
import dev.adapterloop.security.Roles;
import dev.adapterloop.training.JobRecord;
import dev.adapterloop.training.JobStore;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * {@code GET /api/overview}: every task's row of the console's tasks page in one answer (its aliases, the champion's
 * and challenger's manifests, its last job, its pending data). The page made five requests per task before, which a
 * browser sends at most six at a time: with ten tasks, the waves of round trips, not the bucket, were most of its
 * load time. Here the tasks are read concurrently (on virtual threads, at most {@value #CONCURRENT_READS} at once,
 * to stay within the S3 client's connections). A task whose row cannot be read (an object that no longer reads as
 * it should) gets its {@code problem} instead of failing the page.
 */
@Path("/api/overview")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "registry")
@RolesAllowed({Roles.READ, Roles.ADMIN})
public class TasksOverviewResource {

    private static final Logger LOG = Logger.getLogger(TasksOverviewResource.class);
    private static final int CONCURRENT_READS = 8;

    /**
     * One task's row; manifests are null where the alias is unset (or its version is incomplete); {@code deadLetters}
     * by topic, null until this replica has read the dead-letter topics once.
     */
    public record TaskRow(String task, AliasSnapshot aliases, AdapterManifest champion, AdapterManifest challenger,
            JobRecord lastJob, PendingResource.Pending pending, Map<String, Long> deadLetters, String problem) {
    }

    public record Overview(List<TaskRow> tasks) {
    }

    private final KnownTasks known;
    private final AliasStore aliases;
    private final CompleteVersions versions;
    private final JobStore jobs;
    private final PipelineRecords records;
    private final DeadLetterCounts deadLetters;
    private final ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor();
    private final Semaphore reading = new Semaphore(CONCURRENT_READS);

    TasksOverviewResource(KnownTasks known, AliasStore aliases, CompleteVersions versions, JobStore jobs,
            PipelineRecords records, DeadLetterCounts deadLetters) {
        this.deadLetters = deadLetters;
        this.known = known;
        this.aliases = aliases;
        this.versions = versions;
        this.jobs = jobs;
        this.records = records;
    }

    @GET
    @Operation(summary = "Every task with its aliases, champion and challenger manifests, last job and pending data")
    public Overview overview() throws InterruptedException {
        List<Future<TaskRow>> rows = new ArrayList<>();
        for (KnownTasks.TaskInfo task : known.list()) {
            rows.add(readers.submit(() -> row(task.name())));
        }
        List<TaskRow> answer = new ArrayList<>(rows.size());
        for (Future<TaskRow> row : rows) {
            try {
                answer.add(row.get());
            } catch (java.util.concurrent.ExecutionException e) {
                // The bucket away, say: as the single-task endpoints would, the request fails with its problem.
                throw e.getCause() instanceof RuntimeException cause ? cause
                        : new IllegalStateException(e.getCause());
            }
        }
        return new Overview(answer);
    }

    private TaskRow row(String task) throws Exception {
        reading.acquire();
        try {
            AliasSnapshot snapshot = aliases.read(task);
            List<JobRecord> all = jobs.list(Optional.of(task));
            JobRecord last = all.isEmpty() ? null : all.getLast();
            return new TaskRow(task, snapshot, manifest(task, snapshot, PredictionId.CHAMPION),
                    manifest(task, snapshot, PredictionId.CHALLENGER), last, PendingResource.of(task, records),
                    deadLetters.of(task).orElse(null), null);
        } catch (dev.adapterloop.registry.CorruptObjectException e) {
            LOG.warnf("tasks overview: task %s: %s", task, e.getMessage());
            return new TaskRow(task, null, null, null, null, null, deadLetters.of(task).orElse(null),
                    e.getMessage());
        } finally {
            reading.release();
        }
    }

    private AdapterManifest manifest(String task, AliasSnapshot snapshot, String alias) throws java.io.IOException {
        Optional<String> version = snapshot.alias(alias).map(AliasTarget::version);
        return version.isEmpty() ? null : versions.manifest(task, version.get()).orElse(null);
    }

    @PreDestroy
    void close() {
        readers.shutdownNow();
    }
}
