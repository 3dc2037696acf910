package dev.adapterloop.api;

/** Every error body of the API: one specific sentence, e.g. "adapter version 'x' of task 'spam' not found". */
public record ApiError(String error) {
}
