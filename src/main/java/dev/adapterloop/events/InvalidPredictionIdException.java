package dev.adapterloop.events;

/** A prediction id that this service did not issue with its key, or cannot read. The message never holds the key. */
public final class InvalidPredictionIdException extends RuntimeException {

    public enum Reason { MALFORMED, BAD_SIGNATURE, TOO_LONG }

    private final Reason reason;

    public InvalidPredictionIdException(Reason reason, String detail) {
        super("invalid prediction id (" + reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + "): "
                + detail);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
