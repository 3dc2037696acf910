package dev.adapterloop.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.adapterloop.events.AdapterManifest;
import dev.adapterloop.events.TrainingCurve;
import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.registry.Lineage;
import dev.adapterloop.promotion.Promotions;
import dev.adapterloop.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A task's adapter versions: only complete ones (manifest written), their manifests and lineage. */
@Path("/api/tasks/{task}/versions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "registry")
@RolesAllowed({Roles.READ, Roles.ADMIN})
public class VersionsResource {
    public record Versions(String task, List<String> versions) {
    }

    /** {@code chain} is newest first; {@code problem} says why the walk stopped early, when it did. */
    public record LineageView(String task, String version, boolean complete, String problem,
                              List<AdapterManifest> chain) {
    }

    private final AdapterRegistry registry;
    private final KnownTasks known;
    private final Promotions promotions;
    private final CompleteVersions complete;

    VersionsResource(AdapterRegistry registry, KnownTasks known, Promotions promotions, CompleteVersions complete) {
        this.registry = registry;
        this.known = known;
        this.promotions = promotions;
        this.complete = complete;
    }

    @GET
    @Operation(summary = "List a task's complete adapter versions")
    @APIResponse(responseCode = "404", description = "Unknown task")
    public Versions list(@PathParam("task") String task) {
        return new Versions(task, registry.listVersions(known.require(task)));
    }

    @GET
    @Path("{version}")
    @Operation(summary = "Get an adapter version's manifest")
    @APIResponse(responseCode = "404", description = "Unknown task, or no complete version of that id")
    public AdapterManifest manifest(@PathParam("task") String task, @PathParam("version") String version)
            throws IOException {
        AdapterRegistry.requireName("adapter version", version);
        return complete.manifest(known.require(task), version).orElseThrow(() -> noVersion(task, version));
    }

    @GET
    @Path("{version}/lineage")
    @Operation(summary = "Get an adapter version's lineage",
            description = "The version and its ancestors through parentVersion, newest first.")
    @APIResponse(responseCode = "404", description = "Unknown task, or no complete version of that id")
    public LineageView lineage(@PathParam("task") String task, @PathParam("version") String version)
            throws IOException {
        AdapterRegistry.requireName("adapter version", version);
        Lineage lineage = registry.lineage(known.require(task), version).orElseThrow(() -> noVersion(task, version));
        return new LineageView(task, version, lineage.complete(), lineage.problem().orElse(null), lineage.chain());
    }

    @GET
    @Path("{version}/training-curve")
    @Operation(summary = "Get an adapter version's training curve",
            description = "Loss and learning rate of every optimiser step of the run that trained it.")
    @APIResponse(responseCode = "404", description = "Unknown task, no complete version of that id, or a version"
            + " stored without a curve")
    public TrainingCurve trainingCurve(@PathParam("task") String task, @PathParam("version") String version)
            throws IOException {
        AdapterRegistry.requireName("adapter version", version);
        String known = this.known.require(task);
        return complete.trainingCurve(known, version).orElseThrow(() -> registry.hasAdapter(known, version)
                ? ApiProblem.unknownVersion(task, version, "adapter version '" + version + "' of task '" + task
                        + "' was stored without " + TrainingCurve.FILE)
                : noVersion(task, version));
    }

    @GET
    @Path("{version}/gate")
    @Operation(summary = "Get the offline gate's evidence on an adapter version",
            description = "kind classification: the checks and the exact McNemar test (b, c, p) against the champion "
                    + "of the time; kind generation: the checks and the paired loss test; applied: how the verdict "
                    + "went onto the aliases.")
    @APIResponse(responseCode = "404", description = "Unknown task, no complete version of that id, or a version"
            + " judged before the evidence was stored")
    public JsonNode gate(@PathParam("task") String task, @PathParam("version") String version) throws IOException {
        AdapterRegistry.requireName("adapter version", version);
        String known = this.known.require(task);
        if (!registry.hasAdapter(known, version)) {
            throw noVersion(task, version);
        }
        return promotions.records().readGate(known, version, JsonNode.class).orElseThrow(() ->
                ApiProblem.unknownVersion(task, version, "adapter version '" + version + "' of task '" + task
                        + "' has no stored gate evidence (judged before it was stored, or never judged)"));
    }

    private static ApiProblem noVersion(String task, String version) {
        return ApiProblem.unknownVersion(task, version, "adapter version '" + version + "' of task '" + task
                + "' not found (no " + AdapterRegistry.adapterPrefix(task, version) + AdapterManifest.FILE + ")");
    }
}
