package dev.adapterloop.api;

import dev.adapterloop.http.Problem;
import dev.adapterloop.http.ProblemAnswers;
import dev.adapterloop.http.ProblemType;
import dev.adapterloop.http.StorageRedaction;
import dev.adapterloop.registry.CorruptObjectException;
import dev.adapterloop.registry.IncompleteVersionException;
import dev.adapterloop.registry.InvalidNameException;
import dev.adapterloop.registry.ObjectStoreException;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The API's and the registry's exceptions as problems. Only their own types are mapped here, so that an unexpected
 * IllegalArgumentException elsewhere stays a 500 (HttpProblemMappers) instead of blaming the caller.
 */
public class ApiExceptionMappers {
    private static final Logger LOG = Logger.getLogger(ApiExceptionMappers.class);

    private final StorageRedaction redaction;

    ApiExceptionMappers(StorageRedaction redaction) {
        this.redaction = redaction;
    }

    @ServerExceptionMapper
    public RestResponse<Problem> problem(ApiProblem e, HttpServerRequest request) {
        return ProblemAnswers.answer(e.type(), redaction.redact(e.getMessage()), request, e.extensions());
    }

    @ServerExceptionMapper
    public RestResponse<Problem> invalidName(InvalidNameException e, HttpServerRequest request) {
        return ProblemAnswers.answer(ProblemType.INVALID_NAME, e.getMessage(), request, Map.of());
    }

    /** The request is well formed, but the version it names is not (yet) complete: 422. */
    @ServerExceptionMapper
    public RestResponse<Problem> incompleteVersion(IncompleteVersionException e, HttpServerRequest request) {
        return ProblemAnswers.answer(ProblemType.INCOMPLETE_VERSION, e.getMessage(), request,
                Map.of("task", e.task(), "version", e.version()));
    }

    /** Someone has to look at the object: the detail names its key (a key, never the bucket or its address). */
    @ServerExceptionMapper
    public RestResponse<Problem> corrupt(CorruptObjectException e, HttpServerRequest request) {
        return ProblemAnswers.failure(LOG, Logger.Level.ERROR, e, ProblemType.CORRUPT_OBJECT,
                redaction.redact(e.getMessage()), request, Map.of("key", e.key()));
    }

    /**
     * The bucket is away or refused us: 503 when trying again may help, 502 when it will not. The object store's
     * message names its address and bucket, so it goes to the log only.
     */
    @ServerExceptionMapper
    public RestResponse<Problem> storage(ObjectStoreException e, HttpServerRequest request) {
        boolean retriable = e.isRetriable();
        return ProblemAnswers.failure(LOG, Logger.Level.WARN, e,
                retriable ? ProblemType.OBJECT_STORE_UNAVAILABLE : ProblemType.OBJECT_STORE_FAILED,
                retriable ? "the object store did not answer; try again later"
                        : "the object store refused the request", request, Map.of());
    }
}
