package dev.adapterloop.serving;

import dev.adapterloop.http.ProblemType;

/**
 * A prediction request refused for a reason of its own, answered as an RFC 9457 problem
 * ({@code application/problem+json}, see {@code dev.adapterloop.http}): {@code type} names the kind (e.g.
 * {@code https://adapterloop.dev/problems/no-champion}), {@code detail} says exactly what is wrong.
 */
public final class ServingProblem extends RuntimeException {

    public enum Kind {
        UNKNOWN_TASK(ProblemType.UNKNOWN_TASK),
        /** A request named a version the task does not have. */
        UNKNOWN_VERSION(ProblemType.UNKNOWN_VERSION),
        /** A request named a version id that cannot be one (a path, say). */
        INVALID_NAME(ProblemType.INVALID_NAME),
        /** A request named a version that failed to load, or is still loading. */
        VERSION_UNAVAILABLE(ProblemType.VERSION_UNAVAILABLE),
        MALFORMED_REQUEST(ProblemType.MALFORMED_REQUEST),
        EMPTY_TEXT(ProblemType.EMPTY_TEXT),
        WRONG_TASK_KIND(ProblemType.WRONG_TASK_KIND),
        TOO_MANY_TEXTS(ProblemType.TOO_MANY_TEXTS),
        TEXT_TOO_LONG(ProblemType.TEXT_TOO_LONG),
        REQUEST_TOO_LARGE(ProblemType.REQUEST_TOO_LARGE),
        NO_CHAMPION(ProblemType.NO_CHAMPION),
        OVERLOADED(ProblemType.OVERLOADED),
        TOO_MANY_REQUESTS(ProblemType.TOO_MANY_REQUESTS),
        INFERENCE_FAILED(ProblemType.INFERENCE_FAILED);

        final ProblemType problem;
        final int status;

        Kind(ProblemType problem) {
            this.problem = problem;
            this.status = problem.status();
        }

        public String type() {
            return problem.uri();
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
