package dev.adapterloop.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The two refusals that HTTP routing answers before any JAX-RS exception mapper could: a body declared larger than
 * {@code quarkus.http.limits.max-body-size} (Quarkus' own route at {@code ROUTE_ORDER_UPLOAD_LIMIT} ends those with an
 * empty 413, so this route runs just ahead of it), and a path that no route serves (the last route of all).
 */
@ApplicationScoped
class RouteProblems {
    private final ObjectMapper json;
    private final long maxBodyBytes;

    RouteProblems(ObjectMapper json,
                  @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K")
                  MemorySize maxBodySize) {
        this.json = json;
        this.maxBodyBytes = maxBodySize.asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::refuseOversizedBody);
        router.route().order(Integer.MAX_VALUE).handler(this::nothingServedHere);
    }

    private void refuseOversizedBody(RoutingContext context) {
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && length.chars().allMatch(Character::isDigit) && length.length() < 19
                && Long.parseLong(length) > maxBodyBytes) {
            // The body is not read: close the connection rather than drain megabytes nobody wants.
            context.response().putHeader(HttpHeaders.CONNECTION, "close");
            send(context, ProblemType.REQUEST_TOO_LARGE, "the body is " + length + " bytes, more than the "
                    + maxBodyBytes + " bytes this service accepts (quarkus.http.limits.max-body-size)");
            return;
        }
        context.next();
    }

    private void nothingServedHere(RoutingContext context) {
        send(context, ProblemType.NOT_FOUND, "nothing is served at " + context.request().path());
    }

    private void send(RoutingContext context, ProblemType type, String detail) {
        ProblemAnswers.send(context, json, Problem.of(type, detail, context.request().path(), Map.of()), Map.of());
    }
}
