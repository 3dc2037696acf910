package dev.adapterloop.registry;

/**
 * A task, version, model or alias name that cannot be part of an object key (empty, too long, '..', '/', …).
 * The caller's mistake: an API answers it with 400.
 */
public final class InvalidNameException extends IllegalArgumentException {
    public InvalidNameException(String message) {
        super(message);
    }
}
