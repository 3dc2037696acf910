package dev.adapterloop.api;

import jakarta.ws.rs.core.Response;

/** A request the API refuses for a reason of its own (unknown task, missing body), with the status to answer. */
public final class ApiProblem extends RuntimeException {
    private final Response.Status status;

    ApiProblem(Response.Status status, String message) {
        super(message, null, false, false); // an answer to the caller, not a failure: no stack trace
        this.status = status;
    }

    static ApiProblem notFound(String message) {
        return new ApiProblem(Response.Status.NOT_FOUND, message);
    }

    static ApiProblem badRequest(String message) {
        return new ApiProblem(Response.Status.BAD_REQUEST, message);
    }

    Response.Status status() {
        return status;
    }
}
