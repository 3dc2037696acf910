package dev.adapterloop.api;

import dev.adapterloop.registry.CorruptObjectException;
import dev.adapterloop.registry.IncompleteVersionException;
import dev.adapterloop.registry.InvalidNameException;
import dev.adapterloop.registry.ObjectStoreException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The registry's exceptions as HTTP answers. Only its own types are mapped, so an unexpected
 * IllegalArgumentException elsewhere stays a 500 instead of blaming the caller.
 */
public class ApiExceptionMappers {
    private static final Logger LOG = Logger.getLogger(ApiExceptionMappers.class);
    private static final int UNPROCESSABLE_CONTENT = 422;

    @ServerExceptionMapper
    public RestResponse<ApiError> problem(ApiProblem e) {
        return answer(e.status().getStatusCode(), e.getMessage());
    }

    @ServerExceptionMapper
    public RestResponse<ApiError> invalidName(InvalidNameException e) {
        return answer(Response.Status.BAD_REQUEST.getStatusCode(), e.getMessage());
    }

    /** The request is well formed, but the version it names is not (yet) complete: 422. */
    @ServerExceptionMapper
    public RestResponse<ApiError> incompleteVersion(IncompleteVersionException e) {
        return answer(UNPROCESSABLE_CONTENT, e.getMessage()); // no constant in JAX-RS' Status
    }

    @ServerExceptionMapper
    public RestResponse<ApiError> corrupt(CorruptObjectException e) {
        LOG.errorf("corrupt object in the bucket: %s", e.getMessage());
        return answer(Response.Status.INTERNAL_SERVER_ERROR.getStatusCode(), e.getMessage());
    }

    /** The bucket is away or refused us: 503 when trying again may help, 502 when it will not. */
    @ServerExceptionMapper
    public RestResponse<ApiError> storage(ObjectStoreException e) {
        LOG.warnf("object store: %s", e.getMessage());
        return answer((e.isRetriable() ? Response.Status.SERVICE_UNAVAILABLE : Response.Status.BAD_GATEWAY)
                .getStatusCode(), e.getMessage());
    }

    private static RestResponse<ApiError> answer(int status, String message) {
        return RestResponse.ResponseBuilder.<ApiError>create(status)
                .entity(new ApiError(message))
                .type(MediaType.APPLICATION_JSON_TYPE)
                .build();
    }
}
