package dev.adapterloop.serving;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.security.Roles;
import dev.adapterloop.serving.ServingProblem.Kind;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /api/tasks/{task}/predictions}: one text ({@code {"text": "...", "key": "user-42"}}) or a batch
 * ({@code {"texts": [...], "key": ...}}). The optional key makes routing sticky: the same key always gets the same
 * variant while the challenger share stays. The body is parsed here rather than by the framework, so that every
 * malformed body gets a problem that says what is wrong with it.
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
    private final ObjectMapper json;

    PredictionsResource(PredictionService service, ObjectMapper json) {
        this.service = service;
        this.json = json;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Classify a text (or a batch) with the task's champion, or its challenger for a share of"
            + " routing keys")
    @RequestBody(description = "{\"text\": \"...\", \"key\": \"user-42\"} or {\"texts\": [\"...\"], \"key\": ...};"
            + " key is optional (without one, routing is random)")
    @APIResponse(responseCode = "200", description = "predictionId, task, label, scores, version, variant")
    @APIResponse(responseCode = "400", description = "Malformed JSON, or an empty text (problem+json)")
    @APIResponse(responseCode = "404", description = "Unknown task (problem+json)")
    @APIResponse(responseCode = "413", description = "A text longer than max-text-chars, or too many texts")
    @APIResponse(responseCode = "503", description = "No champion loaded yet, with the reason (problem+json)")
    public Object predict(@PathParam("task") String task, String body) {
        service.requireKnown(task);
        Request request;
        try {
            request = parse(task, body);
        } catch (ServingProblem e) {
            service.refused(task, e);
            throw e;
        }
        List<PredictionService.Prediction> predictions = service.predict(task, request.key(), request.texts());
        return request.batch() ? new Batch(predictions) : predictions.get(0);
    }

    private record Request(String key, List<String> texts, boolean batch) {
    }

    private Request parse(String task, String body) {
        JsonNode node;
        try {
            node = body == null || body.isBlank() ? null : json.readTree(body);
        } catch (JacksonException e) {
            throw malformed(task, "the body is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw malformed(task, "the body must be a JSON object with \"text\" or \"texts\"");
        }
        JsonNode key = node.get("key");
        if (key != null && !key.isNull() && !key.isTextual()) {
            throw malformed(task, "\"key\" must be a string");
        }
        JsonNode text = node.get("text");
        JsonNode texts = node.get("texts");
        if ((text == null) == (texts == null)) {
            throw malformed(task, "give exactly one of \"text\" (a string) and \"texts\" (a list of strings)");
        }
        List<String> values = new ArrayList<>();
        if (text != null) {
            if (!text.isTextual()) {
                throw malformed(task, "\"text\" must be a string");
            }
            values.add(text.asText());
        } else {
            if (!texts.isArray()) {
                throw malformed(task, "\"texts\" must be a list of strings");
            }
            for (JsonNode item : texts) {
                if (!item.isTextual()) {
                    throw malformed(task, "\"texts\" must hold only strings, got " + item.getNodeType());
                }
                values.add(item.asText());
            }
        }
        return new Request(key == null || key.isNull() ? null : key.asText(), values, texts != null);
    }

    private static ServingProblem malformed(String task, String detail) {
        return new ServingProblem(Kind.MALFORMED_REQUEST, task, detail);
    }
}
