package dev.adapterloop.serving;

import dev.adapterloop.http.Problem;
import dev.adapterloop.http.ProblemAnswers;
import dev.adapterloop.http.StorageRedaction;
import io.vertx.core.http.HttpServerRequest;
import java.util.HashMap;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** {@link ServingProblem}s as problems with the task as an extension member; a 503 says when to try again. */
public class ServingExceptionMappers {
    private static final Logger LOG = Logger.getLogger(ServingExceptionMappers.class);

    private final StorageRedaction redaction;

    ServingExceptionMappers(StorageRedaction redaction) {
        this.redaction = redaction;
    }

    @ServerExceptionMapper
    public RestResponse<Problem> problem(ServingProblem e, HttpServerRequest request) {
        ServingProblem.Kind kind = e.kind();
        Map<String, Object> task = new HashMap<>();
        if (e.task() != null) {
            task.put("task", e.task());
        }
        // A failed inference is ours, and its message names the model and the engine's error: for the log only.
        RestResponse<Problem> answer = kind == ServingProblem.Kind.INFERENCE_FAILED
                ? ProblemAnswers.failure(LOG, Logger.Level.ERROR, e, kind.problem, "inference failed for task '"
                        + e.task() + "'", request, task)
                : ProblemAnswers.answer(kind.problem, redaction.redact(e.getMessage()), request, task);
        return kind.status == 503
                ? RestResponse.ResponseBuilder.fromResponse(answer).header("Retry-After", "2").build()
                : answer;
    }
}
