package dev.adapterloop.promotion;

/** A {@code prediction-feedback} event that cannot be joined to a prediction of ours; it goes to the DLQ. */
public final class InvalidFeedbackException extends RuntimeException {

    public enum Reason { MALFORMED, BAD_PREDICTION_ID, UNKNOWN_TASK, FOREIGN_TASK, UNKNOWN_LABEL, BAD_REWARD, EXPIRED,
        TEXT_MISMATCH }

    private final Reason reason;

    public InvalidFeedbackException(Reason reason, String detail) {
        super("invalid feedback (" + reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + "): "
                + detail);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
