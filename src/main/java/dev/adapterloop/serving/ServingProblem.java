package dev.adapterloop.serving;

/**
 * A prediction request refused for a reason of its own, answered as an RFC 7807 problem
 * ({@code application/problem+json}): {@code type} names the kind (e.g. {@code urn:adapterloop:problem:no-champion}),
 * {@code detail} says exactly what is wrong.
 */
public final class ServingProblem extends RuntimeException {

    public enum Kind {
        UNKNOWN_TASK(404, "Unknown task"),
        MALFORMED_REQUEST(400, "Malformed request"),
        EMPTY_TEXT(400, "Empty text"),
        TOO_MANY_TEXTS(413, "Too many texts"),
        TEXT_TOO_LONG(413, "Text too long"),
        NO_CHAMPION(503, "No champion to answer"),
        OVERLOADED(503, "Too many requests in flight"),
        INFERENCE_FAILED(500, "Inference failed");

        final int status;
        final String title;

        Kind(int status, String title) {
            this.status = status;
            this.title = title;
        }

        public String type() {
            return "urn:adapterloop:problem:" + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    private final Kind kind;
    private final String task;

    public ServingProblem(Kind kind, String task, String detail) {
        super(detail, null, false, false); // an answer to the caller, not a failure: no stack trace
        this.kind = kind;
        this.task = task;
    }

    public Kind kind() {
        return kind;
    }

    public String task() {
        return task;
    }
}
