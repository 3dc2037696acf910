package dev.adapterloop.api;

import dev.adapterloop.promotion.ExperimentReadout;
import dev.adapterloop.promotion.Promotions;
import dev.adapterloop.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A task's online A/B test: its state with the statistic's trace, the evidence now, and past decisions. Read only. */
@Path("/api/tasks/{task}/experiment")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "promotion")
@RolesAllowed({Roles.READ, Roles.ADMIN})
public class ExperimentResource {

    private final KnownTasks known;
    private final ExperimentReadout readout;

    ExperimentResource(KnownTasks known, Promotions promotions) {
        this.known = known;
        this.readout = new ExperimentReadout(promotions, Clock.systemUTC());
    }

    @GET
    @Operation(summary = "Get a task's A/B test",
            description = "current: the stored state (null when no test was ever started), with trace, the "
                    + "always-valid p-value after each outcome; evidence: arms, effect, p-value and guardrails as the "
                    + "decider sees them now (null when closed); settings; decisions: the last 20, newest first.")
    @APIResponse(responseCode = "404", description = "Unknown task")
    public ExperimentReadout.Readout experiment(@PathParam("task") String task) {
        return readout.read(known.require(task));
    }
}
