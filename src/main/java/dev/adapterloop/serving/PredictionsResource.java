package dev.adapterloop.serving;

import dev.adapterloop.security.Roles;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /api/tasks/{task}/predictions}: one text ({@code {"text": "...", "key": "user-42"}}) or a batch
 * ({@code {"texts": [...], "key": ...}}). The optional key makes routing sticky: the same key always gets the same
 * variant while the challenger share stays. The body is read here as a stream ({@link PredictionBody}) rather than
 * by the framework, so that every malformed body gets a problem that says what is wrong with it, and no body is held
 * whole. {@link PredictionAdmission} has already bounded its declared size and the requests in flight.
 */
@Path("/api/tasks/{task}/predictions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "serving")
@RolesAllowed({Roles.PREDICT, Roles.ADMIN})
public class PredictionsResource {

    /** The answer to a single text; a batch answers {@code {"predictions": [...]}} in input order. */
    public record Batch(List<PredictionService.Prediction> predictions) {
    }

    private final PredictionService service;
    private final PredictionBody bodies;

    PredictionsResource(PredictionService service, ServingConfig config) {
        this.service = service;
        this.bodies = new PredictionBody(config);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Classify a text (or a batch) with the task's champion, or its challenger for a share of"
            + " routing keys")
    @RequestBody(description = "{\"text\": \"...\", \"key\": \"user-42\"} or {\"texts\": [\"...\"], \"key\": ...};"
            + " key is optional (without one, routing is random); \"version\": \"v0007\" answers with that adapter"
            + " version instead of the routing (variant requested)")
    @APIResponse(responseCode = "200", description = "predictionId, task, label, scores, version, variant")
    @APIResponse(responseCode = "400", description = "Malformed JSON, an empty text, or an invalid version id (problem+json)")
    @APIResponse(responseCode = "404", description = "Unknown task, or a version the task does not have (problem+json)")
    @APIResponse(responseCode = "413", description = "A text longer than max-text-chars, too many texts, or a body"
            + " larger than a predictions request can be (problem+json)")
    @APIResponse(responseCode = "429", description = "Too many prediction requests in flight; Retry-After"
            + " (problem+json)")
    @APIResponse(responseCode = "503", description = "No champion loaded yet, or the version named failed to load,"
            + " with the reason (problem+json)")
    public Object predict(@PathParam("task") String task, InputStream body, @Context RoutingContext exchange) {
        PredictionLease lease = exchange.get(PredictionLease.KEY);
        boolean held = lease != null && lease.hold();
        try {
            return predict(task, body);
        } finally {
            if (held) {
                lease.release();
            }
        }
    }

    private Object predict(String task, InputStream body) {
        try {
            service.requireKnown(task);
        } catch (RuntimeException e) { // an unknown task, or the bucket away: the body is never parsed
            bodies.discard(body);
            throw e;
        }
        PredictionBody.Request request;
        try {
            request = bodies.parse(task, body);
        } catch (ServingProblem e) {
            service.refused(task, e);
            throw e;
        }
        List<PredictionService.Prediction> predictions = service.predict(task, request.key(), request.texts(),
                request.version());
        return request.batch() ? new Batch(predictions) : predictions.get(0);
    }

}
