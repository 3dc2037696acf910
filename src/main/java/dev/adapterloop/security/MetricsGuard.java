package dev.adapterloop.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.http.Problem;
import dev.adapterloop.http.ProblemAnswers;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;

/**
 * {@code adapterloop.security.metrics=read}: {@code /q/metrics} (a route of its own, not JAX-RS) answers only callers
 * with the role {@code read} or {@code admin}, and refuses the others with the API's problems. With {@code open}
 * (the default) nothing is installed.
 */
@ApplicationScoped
class MetricsGuard {
    static final String PATH = "/q/metrics";
    /**
     * After Quarkus' authentication filter (a route of order -200, which attaches the request's deferred identity)
     * and before the metrics route itself (routes without an order come after 0).
     */
    private static final int ORDER = -1;

    private final SecurityConfig config;
    private final IdentityProviderManager identities;
    private final ObjectMapper json;

    MetricsGuard(SecurityConfig config, IdentityProviderManager identities, ObjectMapper json) {
        this.config = config;
        this.identities = identities;
        this.json = json;
    }

    void install(@Observes Router router) {
        if (config.metrics() == SecurityConfig.MetricsAccess.READ) {
            router.route(PATH).order(ORDER).handler(this::check);
        }
    }

    private void check(RoutingContext context) {
        QuarkusHttpUser.getSecurityIdentity(context, identities).subscribe().with(identity -> {
            String method = context.request().method().name();
            String path = context.request().path();
            if (identity == null || identity.isAnonymous()) {
                refuse(context, SecurityProblems.authenticationRequired(method, path));
            } else if (!Roles.grants(identity, Roles.READ)) {
                refuse(context, SecurityProblems.forbidden(identity, method, path, List.of(Roles.READ,
                        Roles.ADMIN)));
            } else {
                context.next();
            }
        }, failure -> {
            if (failure instanceof AuthenticationFailedException refused) {
                refuse(context, SecurityProblems.invalidCredentials(refused, context.request().path()));
            } else {
                context.fail(failure);
            }
        });
    }

    private void refuse(RoutingContext context, Problem problem) {
        ProblemAnswers.send(context, json, problem, SecurityProblems.challengeHeaders(problem));
    }
}
