package dev.adapterloop.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The framework's own refusals (no resource at the path, a method or media type the resource does not take, a body
 * that is not JSON) and every exception nothing else maps, as problems. The more specific mappers of the API and of
 * serving win over these for their own exceptions.
 */
public class HttpProblemMappers {
    private static final Logger LOG = Logger.getLogger(HttpProblemMappers.class);

    @ServerExceptionMapper
    public RestResponse<Problem> refused(WebApplicationException e, HttpServerRequest request) {
        if (isBadJson(e.getCause())) {
            return malformed((JsonProcessingException) e.getCause(), request);
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e, request);
        }
        ProblemType type = ProblemType.ofFrameworkStatus(status);
        String title = type == ProblemType.HTTP_ERROR ? reasonPhrase(status) : type.title();
        return ProblemAnswers.answer(new Problem(type.uri(), title, status, detail(type, e, request), request.path(),
                Map.of()));
    }

    /** A body that is not JSON at all. */
    @ServerExceptionMapper
    public RestResponse<Problem> unreadable(StreamReadException e, HttpServerRequest request) {
        return malformed(e, request);
    }

    /** JSON of the wrong shape: a string where a number belongs, an array for an object. */
    @ServerExceptionMapper
    public RestResponse<Problem> mismatched(MismatchedInputException e, HttpServerRequest request) {
        return malformed(e, request);
    }

    /** Anything else is a fault of ours: the caller learns nothing internal, the log has it all under the id. */
    @ServerExceptionMapper
    public RestResponse<Problem> unexpected(Exception e, HttpServerRequest request) {
        return ProblemAnswers.failure(LOG, Logger.Level.ERROR, e, ProblemType.INTERNAL_ERROR,
                "the request failed on the server's side", request, Map.of());
    }

    private static boolean isBadJson(Throwable cause) {
        return cause instanceof StreamReadException || cause instanceof MismatchedInputException;
    }

    private static RestResponse<Problem> malformed(JsonProcessingException e, HttpServerRequest request) {
        String where = e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()
                ? "field '" + mapping.getPath().stream().map(HttpProblemMappers::pathPart)
                        .collect(Collectors.joining(".")) + "': "
                : "";
        return ProblemAnswers.answer(ProblemType.MALFORMED_REQUEST, "the body is not valid JSON for this request: "
                + where + e.getOriginalMessage(), request, Map.of());
    }

    private static String pathPart(JsonMappingException.Reference reference) {
        return reference.getFieldName() != null ? reference.getFieldName() : "[" + reference.getIndex() + "]";
    }

    private static String detail(ProblemType type, WebApplicationException e, HttpServerRequest request) {
        return switch (type) {
            case NOT_FOUND -> "nothing is served at " + request.path();
            case METHOD_NOT_ALLOWED -> request.method() + " is not allowed on " + request.path();
            case UNSUPPORTED_MEDIA_TYPE -> "Content-Type '" + request.getHeader(HttpHeaders.CONTENT_TYPE)
                    + "' is not accepted by " + request.method() + " " + request.path() + " (send application/json)";
            case NOT_ACCEPTABLE -> "Accept '" + request.getHeader(HttpHeaders.ACCEPT) + "' matches nothing "
                    + request.path() + " answers (application/json)";
            case REQUEST_TOO_LARGE -> "the request body is larger than this service accepts";
            default -> "the request was refused: " + reasonPhrase(e.getResponse().getStatus());
        };
    }

    private static String reasonPhrase(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        return known != null ? known.getReasonPhrase() : "HTTP " + status;
    }
}
