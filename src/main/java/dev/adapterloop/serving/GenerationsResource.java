package dev.adapterloop.serving;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.dataset.ChatTurn;
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
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /api/tasks/{task}/generations}: continues a prompt with the task's champion (or its challenger for a
 * share of routing keys), greedy by default. Field names follow the OpenAI-style completion APIs people already
 * call: {@code prompt} (or a chat's {@code messages}, rendered with the base model's chat template), {@code max_tokens}, {@code temperature}, {@code top_p}, {@code top_k}, {@code seed},
 * {@code stop}, {@code stream} (server-sent events: the text as it grows, then the answer), plus the routing
 * {@code key} or the {@code version} to answer with instead of the routing. The body is parsed here so that every malformed one gets a problem that
 * says what is wrong, and unknown fields are refused rather than silently ignored (a misspelt {@code max_token}
 * would otherwise change nothing).
 */
@Path("/api/tasks/{task}/generations")
@Produces({MediaType.APPLICATION_JSON, MediaType.SERVER_SENT_EVENTS})
@Tag(name = "serving")
@RolesAllowed({Roles.PREDICT, Roles.ADMIN})
public class GenerationsResource {

    /** Stop sequences per request, as OpenAI's API allows. */
    static final int MAX_STOP_SEQUENCES = 4;
    static final int MAX_STOP_CHARS = 256;
    static final int MAX_MESSAGES = 256;
    private static final Set<String> FIELDS = Set.of("prompt", "messages", "max_tokens", "temperature", "top_p", "top_k", "seed",
            "stop", "key", "version", "stream");

    private final GenerationService service;
    private final ObjectMapper json;

    GenerationsResource(GenerationService service, ObjectMapper json) {
        this.service = service;
        this.json = json;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Continue a prompt with the task's champion, or its challenger for a share of routing keys")
    @RequestBody(description = "{\"prompt\": \"...\", \"max_tokens\": 64, \"temperature\": 0, \"top_p\": 1,"
            + " \"top_k\": 0, \"seed\": 42, \"stop\": [\"\\n\"], \"key\": \"user-42\"}; only prompt is required;"
            + " temperature 0 (the default) decodes greedily; \"version\": \"v0007\" answers with that adapter version"
            + " instead of the routing (variant requested)")
    @APIResponse(responseCode = "200", description = "predictionId, task, text, finishReason (stop|length),"
            + " promptTokens, completionTokens, version, variant")
    @APIResponse(responseCode = "400", description = "Malformed JSON, an unknown field, an empty prompt, bad sampling"
            + " settings, or a classification task (problem+json)")
    @APIResponse(responseCode = "404", description = "Unknown task (problem+json)")
    @APIResponse(responseCode = "413", description = "A prompt longer than max-prompt-chars, or prompt + max_tokens"
            + " beyond the model's positions")
    @APIResponse(responseCode = "503", description = "No champion loaded yet, or no inference slot (problem+json)")
    public Object generate(@PathParam("task") String task, String body) {
        service.requireKnown(task);
        JsonNode node = object(task, body);
        GenerationService.Ask ask = parse(task, node);
        JsonNode stream = node.get("stream");
        if (stream != null && !stream.isNull() && !stream.isBoolean()) {
            throw malformed(task, "\"stream\" must be true or false");
        }
        if (stream != null && stream.asBoolean()) {
            GenerationStream.Deltas deltas = new GenerationStream.Deltas();
            return new GenerationStream(service.start(task, ask, deltas), deltas, json, service.timeout()).response();
        }
        return service.generate(task, ask, text -> { });
    }

    private JsonNode object(String task, String body) {
        JsonNode node;
        try {
            node = body == null || body.isBlank() ? null : json.readTree(body);
        } catch (JacksonException e) {
            throw malformed(task, "the body is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw malformed(task, "the body must be a JSON object with \"prompt\"");
        }
        return node;
    }

    private GenerationService.Ask parse(String task, JsonNode node) {
        List<String> unknown = new ArrayList<>();
        node.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                unknown.add(name);
            }
        });
        if (!unknown.isEmpty()) {
            throw malformed(task, "unknown field(s) " + unknown + "; known: " + FIELDS.stream().sorted().toList());
        }
        JsonNode prompt = node.get("prompt");
        JsonNode messages = node.get("messages");
        if ((prompt == null) == (messages == null)) {
            throw malformed(task, "give exactly one of \"prompt\" (a string) and \"messages\" (a chat)");
        }
        if (prompt != null && !prompt.isTextual()) {
            throw malformed(task, "\"prompt\" must be a string");
        }
        return new GenerationService.Ask(prompt == null ? null : prompt.textValue(),
                messages == null ? null : messages(task, messages), integer(task, node, "max_tokens"),
                number(task, node, "temperature", 0), integerOr(task, node, "top_k", 0),
                number(task, node, "top_p", 1), seed(task, node), stop(task, node.get("stop")),
                key(task, node.get("key")), version(task, node.get("version")));
    }

    /** A chat as in datasets: {@code [{"role": "system"|"user"|"assistant", "content": "..."}]}. */
    private static List<ChatTurn> messages(String task, JsonNode messages) {
        if (!messages.isArray() || messages.isEmpty()) {
            throw malformed(task, "\"messages\" must be a non-empty list of {\"role\", \"content\"}");
        }
        if (messages.size() > MAX_MESSAGES) {
            throw malformed(task, "at most " + MAX_MESSAGES + " messages, got " + messages.size());
        }
        List<ChatTurn> turns = new ArrayList<>();
        for (JsonNode message : messages) {
            JsonNode role = message.get("role");
            JsonNode content = message.get("content");
            if (role == null || !role.isTextual() || content == null || !content.isTextual()) {
                throw malformed(task, "each message needs a string \"role\" and a string \"content\"");
            }
            try {
                turns.add(new ChatTurn(role.textValue(), content.textValue()));
            } catch (IllegalArgumentException e) {
                throw malformed(task, e.getMessage());
            }
        }
        return turns;
    }

    private static Integer integer(String task, JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw malformed(task, "\"" + field + "\" must be an integer");
        }
        return value.intValue();
    }

    private static int integerOr(String task, JsonNode node, String field, int otherwise) {
        Integer value = integer(task, node, field);
        return value == null ? otherwise : value;
    }

    private static double number(String task, JsonNode node, String field, double otherwise) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return otherwise;
        }
        if (!value.isNumber()) {
            throw malformed(task, "\"" + field + "\" must be a number");
        }
        return value.doubleValue();
    }

    private static Long seed(String task, JsonNode node) {
        JsonNode value = node.get("seed");
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw malformed(task, "\"seed\" must be an integer");
        }
        return value.longValue();
    }

    private static List<String> stop(String task, JsonNode value) {
        if (value == null || value.isNull()) {
            return List.of();
        }
        List<String> stops = new ArrayList<>();
        if (value.isTextual()) {
            stops.add(value.textValue());
        } else if (value.isArray()) {
            for (JsonNode item : value) {
                if (!item.isTextual()) {
                    throw malformed(task, "\"stop\" must be a string or a list of strings");
                }
                stops.add(item.textValue());
            }
        } else {
            throw malformed(task, "\"stop\" must be a string or a list of strings");
        }
        if (stops.size() > MAX_STOP_SEQUENCES) {
            throw malformed(task, "at most " + MAX_STOP_SEQUENCES + " stop sequences, got " + stops.size());
        }
        if (stops.stream().anyMatch(s -> s.isEmpty() || s.length() > MAX_STOP_CHARS)) {
            throw malformed(task, "stop sequences must be 1 to " + MAX_STOP_CHARS + " characters");
        }
        return stops;
    }

    /** The adapter version to answer with instead of the task's routing, or null. */
    private static String version(String task, JsonNode version) {
        if (version == null || version.isNull()) {
            return null;
        }
        if (!version.isTextual()) {
            throw malformed(task, "\"version\" must be a string (an adapter version id)");
        }
        return version.textValue();
    }

    private static String key(String task, JsonNode key) {
        if (key == null || key.isNull()) {
            return null;
        }
        if (!key.isTextual()) {
            throw malformed(task, "\"key\" must be a string");
        }
        return key.textValue();
    }

    private static ServingProblem malformed(String task, String detail) {
        return new ServingProblem(Kind.MALFORMED_REQUEST, task, detail);
    }
}
