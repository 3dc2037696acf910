package dev.adapterloop.serving;

import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** {@link ServingProblem}s as RFC 7807 answers; a 503 says when to try again. */
public class ServingExceptionMappers {

    /** RFC 7807 body; {@code task} is an extension member. */
    public record Problem(String type, String title, int status, String detail, String task) {
    }

    @ServerExceptionMapper
    public RestResponse<Problem> problem(ServingProblem e) {
        ServingProblem.Kind kind = e.kind();
        RestResponse.ResponseBuilder<Problem> answer = RestResponse.ResponseBuilder.<Problem>create(kind.status)
                .entity(new Problem(kind.type(), kind.title, kind.status, e.getMessage(), e.task()))
                .header("Content-Type", "application/problem+json");
        if (kind.status == 503) {
            answer.header("Retry-After", "2");
        }
        return answer.build();
    }
}
