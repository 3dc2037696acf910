package dev.adapterloop.http;

/**
 * One reason a request failed validation, in a problem's {@code errors} list: the body field or query parameter, and
 * what is wrong with it.
 */
public record FieldError(String field, String detail) {
}
