package dev.adapterloop.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;

/** Builds the HTTP answers that carry a {@link Problem}; every exception mapper goes through here. */
public final class ProblemAnswers {
    private ProblemAnswers() {
    }

    public static RestResponse<Problem> answer(Problem problem) {
        return RestResponse.ResponseBuilder.<Problem>create(problem.status())
                .entity(problem)
                .header("Content-Type", Problem.MEDIA_TYPE)
                .build();
    }

    public static RestResponse<Problem> answer(ProblemType type, String detail, HttpServerRequest request,
                                               Map<String, Object> extensions) {
        return answer(Problem.of(type, detail, request.path(), extensions));
    }

    /**
     * Ends a request that a route answers before JAX-RS sees it (no exception mapper runs there) with
     * {@code problem}, plus {@code headers}.
     */
    public static void send(RoutingContext context, ObjectMapper json, Problem problem, Map<String, String> headers) {
        String body;
        try {
            body = json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            context.fail(e);
            return;
        }
        headers.forEach(context.response()::putHeader);
        context.response().setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(body);
    }

    /**
     * A failure of ours, not the caller's: the log gets the cause (with its stack trace) under a fresh id, the caller
     * gets the id and {@code detail}, which must say nothing internal.
     */
    public static RestResponse<Problem> failure(Logger log, Logger.Level level, Throwable cause, ProblemType type,
                                                String detail, HttpServerRequest request,
                                                Map<String, Object> extensions) {
        String errorId = UUID.randomUUID().toString();
        log.logf(level, cause, "%s %s failed (errorId %s): %s", request.method(), request.path(), errorId,
                cause.getMessage());
        Map<String, Object> members = new LinkedHashMap<>(extensions);
        members.put("errorId", errorId);
        return answer(Problem.of(type, detail + " (errorId " + errorId + " in the service's log)", request.path(),
                members));
    }
}
