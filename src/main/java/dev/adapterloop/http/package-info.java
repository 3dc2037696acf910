/**
 * The HTTP API's one error format: every error answer is a {@link dev.adapterloop.http.Problem} (RFC 9457,
 * {@code application/problem+json}) of a {@link dev.adapterloop.http.ProblemType}. The API's and serving's own
 * exception mappers build theirs through {@link dev.adapterloop.http.ProblemAnswers}; the framework's refusals and
 * unexpected exceptions are mapped in {@link dev.adapterloop.http.HttpProblemMappers}. docs/http-errors.md documents
 * the format and every type.
 */
package dev.adapterloop.http;
