package dev.adapterloop.serving;

/** An adapter version that cannot be served: the slot keeps what it served before. */
public final class VersionLoadException extends RuntimeException {

    public VersionLoadException(String task, String version, String reason) {
        this(task, version, reason, null);
    }

    public VersionLoadException(String task, String version, String reason, Throwable cause) {
        super("cannot load adapter " + task + "/" + version + ": " + reason, cause);
    }
}
