package dev.adapterloop.http;

import java.util.Arrays;
import java.util.Locale;

/**
 * The kinds of problem the HTTP API answers, each with its status and title. A type is identified by the URI
 * {@code https://adapterloop.dev/problems/<slug>}: an identifier clients may compare, never fetched.
 * docs/http-errors.md describes each; ProblemTypesDocumentedTest keeps that list complete.
 */
public enum ProblemType {
    INVALID_NAME(400, "Invalid name"),
    VALIDATION_FAILED(400, "Validation failed"),
    MALFORMED_REQUEST(400, "Malformed request"),
    EMPTY_TEXT(400, "Empty text"),
    BAD_REQUEST(400, "Bad request"),
    /** A classification request to a generation task, or the reverse. */
    WRONG_TASK_KIND(400, "Wrong kind of task"),
    AUTHENTICATION_REQUIRED(401, "Authentication required"),
    INVALID_CREDENTIALS(401, "Invalid credentials"),
    FORBIDDEN(403, "Forbidden"),
    UNKNOWN_TASK(404, "Unknown task"),
    UNKNOWN_VERSION(404, "Unknown adapter version"),
    UNKNOWN_JOB(404, "Unknown job"),
    NOT_FOUND(404, "Not found"),
    METHOD_NOT_ALLOWED(405, "Method not allowed"),
    NOT_ACCEPTABLE(406, "Not acceptable"),
    ALIAS_CONFLICT(409, "Aliases changed"),
    /** A retry of a job that is not FAILED (queued, running, succeeded, or retried by someone else first). */
    JOB_NOT_RETRYABLE(409, "Job not retryable"),
    /** A task definition change whose labels (or kind) differ from those the task's champion was trained for. */
    TASK_LABELS_IN_USE(409, "Labels in use by the champion"),
    /** The removal of a task definition while the task has adapter versions. */
    TASK_HAS_VERSIONS(409, "Task has versions"),
    /** A task definition change whose If-Match names another version than the bucket's. */
    TASK_DEFINITION_CHANGED(412, "Task definition changed"),
    REQUEST_TOO_LARGE(413, "Request body too large"),
    TOO_MANY_TEXTS(413, "Too many texts"),
    TEXT_TOO_LONG(413, "Text too long"),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
    INCOMPLETE_VERSION(422, "Incomplete adapter version"),
    /** A retry of a job whose dataset is gone from the bucket or no longer has the digest intake recorded. */
    DATASET_CHANGED(422, "Dataset changed since intake"),
    /** A change of a task definition the bucket holds, sent without If-Match. */
    PRECONDITION_REQUIRED(428, "If-Match required"),
    TOO_MANY_REQUESTS(429, "Too many requests"),
    INTERNAL_ERROR(500, "Internal error"),
    CORRUPT_OBJECT(500, "Corrupt stored object"),
    INFERENCE_FAILED(500, "Inference failed"),
    OBJECT_STORE_FAILED(502, "Object store failed"),
    OBJECT_STORE_UNAVAILABLE(503, "Object store unavailable"),
    NO_CHAMPION(503, "No champion to answer"),
    /** A prediction request named a version that failed to load (the reason) or is still loading. */
    VERSION_UNAVAILABLE(503, "Version unavailable"),
    OVERLOADED(503, "Too many requests in flight"),
    /** Any other status the framework answers (none is known today): the title is the status' reason phrase. */
    HTTP_ERROR(0, "HTTP error");

    public static final String BASE_URI = "https://adapterloop.dev/problems/";

    private final int status;
    private final String title;

    ProblemType(int status, String title) {
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** {@code unknown-task} for {@link #UNKNOWN_TASK}. */
    public String slug() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public String uri() {
        return BASE_URI + slug();
    }

    /** The framework's own refusals (no resource, wrong method or media type, ...) by their status. */
    public static ProblemType ofFrameworkStatus(int status) {
        return Arrays.stream(new ProblemType[] {BAD_REQUEST, NOT_FOUND, METHOD_NOT_ALLOWED, NOT_ACCEPTABLE,
                REQUEST_TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, INTERNAL_ERROR})
                .filter(type -> type.status == status).findFirst().orElse(HTTP_ERROR);
    }
}
