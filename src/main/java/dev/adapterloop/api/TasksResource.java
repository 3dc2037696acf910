package dev.adapterloop.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.config.TaskProperties;
import dev.adapterloop.http.FieldError;
import dev.adapterloop.http.ProblemType;
import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.security.Roles;
import dev.adapterloop.tasks.TaskDefinitionRefused;
import dev.adapterloop.tasks.TaskDefinitions;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The tasks, and each task's definition: its {@code adapterloop.tasks.<task>.*} settings as JSON. A definition is
 * created and replaced by compare-and-set on its version, sent back as the ETag in If-Match; reading takes
 * {@code read}, changing takes {@code admin} (docs/api.md, "Task definitions").
 */
@Path("/api/tasks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "registry")
@RolesAllowed({Roles.READ, Roles.ADMIN})
public class TasksResource {
    /** The body of {@code GET /api/tasks}. */
    public record Tasks(List<KnownTasks.TaskInfo> tasks) {
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    /** {@code "3"}, {@code 3} or a weak {@code W/"3"}: the version a client read. */
    private static final Pattern VERSION_TAG = Pattern.compile("(?:W/)?\"?(\\d{1,18})\"?");

    private final KnownTasks known;
    private final TaskDefinitions definitions;
    private final SecurityIdentity caller;

    TasksResource(KnownTasks known, TaskDefinitions definitions, SecurityIdentity caller) {
        this.known = known;
        this.definitions = definitions;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "List tasks", description = "Configured tasks, tasks defined in the bucket and tasks with "
            + "adapters or aliases in the bucket.")
    public Tasks list() {
        return new Tasks(known.list());
    }

    @GET
    @Path("{task}")
    @Operation(summary = "Get a task's definition", description = "Its settings as the bucket holds them (source "
            + "bucket, version >= 1, ETag \"<version>\"), or as configuration declares them (source configuration, "
            + "version 0, no ETag).")
    @APIResponse(responseCode = "400", description = "Invalid task name")
    @APIResponse(responseCode = "404", description = "Neither defined in the bucket nor configured")
    public RestResponse<TaskDefinitions.Definition> get(@PathParam("task") String task) {
        TaskDefinitions.Definition definition = definitions.get(task).orElseThrow(() -> ApiProblem.unknownTask(task,
                "task '" + task + "' has no definition in the bucket and is not configured (adapterloop.tasks."
                        + task + ".*)"));
        return withTag(RestResponse.ResponseBuilder.ok(definition), definition).build();
    }

    @PUT
    @Path("{task}")
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create or replace a task's definition", description = "The body is the task's settings, "
            + "the keys of adapterloop.tasks.<task>.* as a JSON object, nested or dotted. Without If-Match it creates "
            + "the bucket's definition (refused with 428 when one exists); with If-Match: \"<version>\" it replaces "
            + "that version (412 when the bucket holds another).")
    @APIResponse(responseCode = "200", description = "Replaced; the body is the new definition, ETag its version")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "400", description = "Invalid task name, malformed JSON, or settings that fail "
            + "validation (errors[] names each setting)")
    @APIResponse(responseCode = "409", description = "The labels (or kind) differ from the champion's")
    @APIResponse(responseCode = "412", description = "If-Match names another version than the bucket's")
    @APIResponse(responseCode = "413", description = "Larger than " + TaskDefinitions.MAX_DEFINITION_BYTES + " bytes")
    @APIResponse(responseCode = "428", description = "The bucket holds a definition and If-Match is missing")
    public RestResponse<TaskDefinitions.Definition> put(@PathParam("task") String task,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, byte[] body) {
        AdapterRegistry.requireName("task", task);
        Long expected = expectedVersion(ifMatch);
        JsonNode settings = settings(body);
        TaskDefinitions.Definition written;
        try {
            written = definitions.put(task, settings, expected, caller.getPrincipal().getName());
        } catch (TaskProperties.InvalidSettingsException e) {
            throw ApiProblem.invalid(e.problems().stream().map(p -> new FieldError(
                    p.setting().isEmpty() ? "settings" : "settings." + p.setting(), p.message())).toList());
        } catch (TaskDefinitionRefused e) {
            throw ApiProblem.taskDefinitionRefused(e);
        }
        // Without If-Match a change succeeds only as a creation.
        RestResponse.ResponseBuilder<TaskDefinitions.Definition> answer = expected == null
                ? RestResponse.ResponseBuilder.create(RestResponse.Status.CREATED, written)
                : RestResponse.ResponseBuilder.ok(written);
        return withTag(answer, written).build();
    }

    @DELETE
    @Path("{task}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Remove a task's definition from the bucket", description = "Only from a task without "
            + "adapter versions; If-Match: \"<version>\" is required. A configured task runs on its configuration "
            + "again; any other task is unknown from then on.")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "404", description = "No definition in the bucket")
    @APIResponse(responseCode = "409", description = "The task has adapter versions")
    @APIResponse(responseCode = "412", description = "If-Match names another version than the bucket's")
    @APIResponse(responseCode = "428", description = "If-Match is missing")
    public RestResponse<Void> delete(@PathParam("task") String task,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        AdapterRegistry.requireName("task", task);
        try {
            definitions.delete(task, expectedVersion(ifMatch), caller.getPrincipal().getName());
        } catch (TaskDefinitionRefused e) {
            throw ApiProblem.taskDefinitionRefused(e);
        }
        return RestResponse.noContent();
    }

    private static Long expectedVersion(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank()) {
            return null;
        }
        Matcher version = VERSION_TAG.matcher(ifMatch.strip());
        if (!version.matches()) {
            throw ApiProblem.of(ProblemType.MALFORMED_REQUEST, "If-Match must be the ETag of GET (a version such as "
                    + "\"3\"), got '" + ifMatch + "'", Map.of());
        }
        return Long.parseLong(version.group(1));
    }

    private static JsonNode settings(byte[] body) {
        if (body == null || body.length == 0) {
            throw ApiProblem.of(ProblemType.MALFORMED_REQUEST, "the body must be the task's settings as a JSON "
                    + "object, e.g. {\"labels\": [\"ham\", \"spam\"]}", Map.of());
        }
        if (body.length > TaskDefinitions.MAX_DEFINITION_BYTES) {
            throw ApiProblem.of(ProblemType.REQUEST_TOO_LARGE, "a task definition is at most "
                    + TaskDefinitions.MAX_DEFINITION_BYTES + " bytes, this one is " + body.length, Map.of());
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiProblem.of(ProblemType.MALFORMED_REQUEST, "the body is not JSON: "
                    + e.getOriginalMessage(), Map.of());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static RestResponse.ResponseBuilder<TaskDefinitions.Definition> withTag(
            RestResponse.ResponseBuilder<TaskDefinitions.Definition> answer, TaskDefinitions.Definition definition) {
        return definition.version() > 0 ? answer.header(HttpHeaders.ETAG, "\"" + definition.version() + "\"")
                : answer;
    }
}
