package dev.adapterloop.security;

import io.quarkus.security.identity.SecurityIdentity;
import java.util.List;
import java.util.Set;

/**
 * The three roles of the HTTP API. {@code admin} grants everything {@code read} and {@code predict} grant, which is
 * why every endpoint lists it next to its own role ({@code @RolesAllowed({READ, ADMIN})}): the hierarchy is written
 * where it is checked, so it holds whatever mechanism or role mapping produced the identity. {@code read} and
 * {@code predict} grant nothing else: a dashboard that reads versions cannot make predictions (which cost inference
 * and publish prediction records), and a client that predicts cannot list the registry. docs/security.md.
 */
public final class Roles {
    /** {@code POST /api/tasks/{task}/predictions}. */
    public static final String PREDICT = "predict";
    /** Every {@code GET} of the API (tasks, versions, lineage, aliases, jobs); {@code /q/metrics} when so configured. */
    public static final String READ = "read";
    /** Alias moves, retries of failed jobs, and everything {@code read} and {@code predict} may do. */
    public static final String ADMIN = "admin";

    /** In the order docs/security.md lists them. */
    public static final List<String> ALL = List.of(PREDICT, READ, ADMIN);

    private Roles() {
    }

    /** Whether {@code identity} may do what {@code role} allows (directly, or through {@code admin}). */
    public static boolean grants(SecurityIdentity identity, String role) {
        return !identity.isAnonymous() && (identity.hasRole(role) || identity.hasRole(ADMIN));
    }

    static boolean isRole(String name) {
        return Set.copyOf(ALL).contains(name);
    }
}
