package dev.adapterloop.api;

import dev.adapterloop.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Who the caller is: its principal and roles. The console asks once to decide whether to offer actions (a retry
 * button for {@code admin}); the actions themselves check the role again, so this only hides what would be refused.
 */
@Path("/api/me")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "registry")
@RolesAllowed({Roles.READ, Roles.ADMIN})
public class CallerResource {
    /** {@code roles}: those of {@link Roles#ALL} the caller has, in that order. */
    public record Caller(String principal, List<String> roles) {
    }

    private final SecurityIdentity caller;

    CallerResource(SecurityIdentity caller) {
        this.caller = caller;
    }

    @GET
    @Operation(summary = "The caller's principal and roles")
    public Caller me() {
        return new Caller(caller.getPrincipal().getName(), Roles.ALL.stream().filter(caller::hasRole).toList());
    }
}
