package dev.adapterloop.serving;

/** An adapter version that cannot be served: the slot keeps what it served before. */
public final class VersionLoadException extends RuntimeException {

    private final boolean missing;

    public VersionLoadException(String task, String version, String reason) {
        this(task, version, reason, null);
    }

    public VersionLoadException(String task, String version, String reason, Throwable cause) {
        this(task, version, reason, cause, false);
    }

    private VersionLoadException(String task, String version, String reason, Throwable cause, boolean missing) {
        super("cannot load adapter " + task + "/" + version + ": " + reason, cause);
        this.missing = missing;
    }

    /** The bucket has no complete version of that id (no manifest): a request naming it gets 404, not 503. */
    static VersionLoadException missing(String task, String version, String reason) {
        return new VersionLoadException(task, version, reason, null, true);
    }

    public boolean isMissing() {
        return missing;
    }
}
