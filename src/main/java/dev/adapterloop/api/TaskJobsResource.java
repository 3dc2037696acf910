package dev.adapterloop.api;

import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.security.Roles;
import dev.adapterloop.training.JobRecord;
import dev.adapterloop.training.JobRetry;
import dev.adapterloop.training.JobRetryRefused;
import dev.adapterloop.training.TrainingScheduler;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** One task's training jobs (see {@link JobsResource}); reading takes {@code read}, a retry takes {@code admin}. */
@Path("/api/tasks/{task}/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "jobs")
@RolesAllowed({Roles.READ, Roles.ADMIN})
public class TaskJobsResource {

    private final JobListing jobs;
    private final KnownTasks known;
    private final JobRetry retries;
    private final TrainingScheduler scheduler;
    private final SecurityIdentity caller;

    TaskJobsResource(JobListing jobs, KnownTasks known, JobRetry retries, TrainingScheduler scheduler,
                     SecurityIdentity caller) {
        this.jobs = jobs;
        this.known = known;
        this.retries = retries;
        this.scheduler = scheduler;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "List a task's training jobs, oldest first")
    @APIResponse(responseCode = "400", description = "Unknown state")
    @APIResponse(responseCode = "404", description = "Unknown task")
    public JobListing.Jobs list(@PathParam("task") String task, @QueryParam("state") String state) {
        return jobs.list(Optional.of(known.require(task)), state);
    }

    @GET
    @Path("{jobId}")
    @Operation(summary = "Get one training job's record")
    @APIResponse(responseCode = "404", description = "Unknown task, or no job of that id")
    public JobRecord one(@PathParam("task") String task, @PathParam("jobId") String jobId) {
        AdapterRegistry.requireName("job id", jobId);
        return jobs.find(known.require(task), jobId).orElseThrow(() -> ApiProblem.unknownJob(task, jobId,
                "job '" + jobId + "' of task '" + task + "' not found"));
    }

    /**
     * Queues a FAILED job again ({@link JobRetry}). Runs here at once when this replica owns the job's partition;
     * otherwise the owner picks it up at its next trigger-clock tick.
     */
    @POST
    @Path("{jobId}/retry")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Queue a FAILED job again: same id, data and base; its failure is kept in history")
    @APIResponse(responseCode = "202", description = "Queued; the body is the job's record, state QUEUED")
    @APIResponse(responseCode = "404", description = "Unknown task, or no job of that id")
    @APIResponse(responseCode = "409", description = "The job is not FAILED (queued, running, succeeded, or "
            + "retried by someone else first)")
    @APIResponse(responseCode = "422", description = "A dataset of the job is gone or changed since intake; `key` "
            + "names it")
    public RestResponse<JobRecord> retry(@PathParam("task") String task, @PathParam("jobId") String jobId) {
        AdapterRegistry.requireName("job id", jobId);
        JobRecord queued;
        try {
            queued = retries.retry(known.require(task), jobId, caller.getPrincipal().getName());
        } catch (JobRetryRefused refused) {
            throw ApiProblem.retryRefused(refused);
        }
        if (scheduler.owns(queued.partition())) {
            scheduler.submit(queued);
        }
        return RestResponse.status(RestResponse.Status.ACCEPTED, queued);
    }
}
