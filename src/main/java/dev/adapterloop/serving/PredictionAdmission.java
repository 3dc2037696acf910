package dev.adapterloop.serving;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.http.Problem;
import dev.adapterloop.http.ProblemAnswers;
import dev.adapterloop.http.ProblemType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Admits a {@code POST /api/tasks/{task}/predictions} before anything reads its body: a body declared larger than a
 * predictions request can be ({@link PredictionBody#maxBytes}) is refused 413, and beyond
 * {@code max-concurrent-requests} requests in flight one more is refused 429 with {@code Retry-After} at once, rather
 * than queuing with its body. A request holds its permit until its answer is sent or its connection is gone, and its
 * resource has finished with it ({@link PredictionLease}); one whose body has not all arrived within
 * {@code body-read-timeout} has its connection closed. This
 * route runs ahead of Quarkus' upload limit and of {@code http.RouteProblems}, whose general limit is higher (other
 * routes may need it), and before authentication: a refusal here costs nothing to compute.
 */
@ApplicationScoped
class PredictionAdmission {
    static final String PATH = "/api/tasks/[^/]+/predictions/?";
    static final String RETRY_AFTER_SECONDS = "1";

    private final ObjectMapper json;
    private final ServingConfig config;
    private final long maxBodyBytes;
    private final long drainBytes;
    private final Semaphore permits;
    private final MeterRegistry meters;

    PredictionAdmission(ObjectMapper json, ServingConfig config, MeterRegistry meters,
                        @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K")
                        MemorySize generalMaxBodySize) {
        this.json = json;
        this.config = config;
        this.meters = meters;
        this.maxBodyBytes = PredictionBody.maxBytes(config);
        this.drainBytes = Math.max(maxBodyBytes, generalMaxBodySize.asLongValue());
        if (config.maxConcurrentRequests() < 1) {
            throw new IllegalArgumentException("adapterloop.serving.max-concurrent-requests must be >= 1, got "
                    + config.maxConcurrentRequests());
        }
        this.permits = new Semaphore(config.maxConcurrentRequests());
    }

    void install(@Observes Router router) {
        router.postWithRegex(PATH).order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 2).handler(this::admit);
    }

    private void admit(RoutingContext context) {
        long declared = declaredLength(context.request());
        if (declared > maxBodyBytes) {
            refuse(context, ProblemType.REQUEST_TOO_LARGE, "the body is " + declared + " bytes, more than the "
                    + maxBodyBytes + " bytes a predictions request may have (adapterloop.serving.max-batch "
                    + config.maxBatch() + " texts of adapterloop.serving.max-text-chars " + config.maxTextChars()
                    + " characters, each up to " + PredictionBody.MAX_BYTES_PER_CHAR + " bytes as JSON, plus "
                    + PredictionBody.OVERHEAD_BYTES + ")", Map.of(), declared);
            return;
        }
        if (!permits.tryAcquire()) {
            refuse(context, ProblemType.TOO_MANY_REQUESTS, config.maxConcurrentRequests() + " prediction requests"
                    + " are in flight, the most this replica takes (adapterloop.serving.max-concurrent-requests);"
                    + " try again after " + RETRY_AFTER_SECONDS + " s", Map.of("Retry-After", RETRY_AFTER_SECONDS),
                    declared);
            return;
        }
        PredictionLease lease = new PredictionLease(permits);
        context.put(PredictionLease.KEY, lease);
        HttpServerRequest request = context.request();
        long deadline = context.vertx().setTimer(config.bodyReadTimeout().toMillis(), id -> {
            if (!request.isEnded()) { // a stalled body would hold the permit as long as the connection lives
                count("body-read-timeout");
                request.connection().close();
            }
        });
        context.addEndHandler(done -> { // answered, failed or the connection closed
            context.vertx().cancelTimer(deadline);
            lease.exchangeEnded();
        });
        context.next();
    }

    /**
     * Answers without reading the body into memory. A body no larger than the service takes anyway is read and
     * thrown away as it arrives, so that the client, still sending, gets the answer; a larger one (or one that grows
     * past that without a length) closes the connection.
     */
    private void refuse(RoutingContext context, ProblemType type, String detail, Map<String, String> headers,
                        long declared) {
        count(type.slug());
        HttpServerRequest request = context.request();
        if (declared > drainBytes) {
            context.response().putHeader(HttpHeaders.CONNECTION, "close");
        } else if (!request.isEnded()) {
            long[] seen = {0};
            request.handler(buffer -> {
                seen[0] += buffer.length();
                if (seen[0] > drainBytes) {
                    request.connection().close();
                }
            });
            request.resume();
        }
        ProblemAnswers.send(context, json, Problem.of(type, detail, request.path(), Map.of()), headers);
    }

    private void count(String reason) {
        Counter.builder("adapterloop.predictions.refused").tag("reason", reason)
                .description("Prediction requests refused before their body was read, or cut off while sending it")
                .register(meters).increment();
    }

    /** The Content-Length, or -1 without one (a chunked body: PredictionBody counts it as it reads). */
    private static long declaredLength(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null || length.isEmpty() || !length.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return length.length() > 18 ? Long.MAX_VALUE : Long.parseLong(length);
    }
}
