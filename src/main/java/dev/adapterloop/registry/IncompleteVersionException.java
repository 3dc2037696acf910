package dev.adapterloop.registry;

/**
 * An alias was asked to point at an adapter version whose {@code manifest.json} (written last) is not in the bucket:
 * the version does not exist or its upload has not finished. Aliases only ever point at complete versions.
 */
public final class IncompleteVersionException extends IllegalArgumentException {
    private final String task;
    private final String version;

    public IncompleteVersionException(String task, String version, String manifestKey) {
        super("adapter version '" + version + "' of task '" + task + "' is not complete: " + manifestKey
                + " does not exist (the version is unknown or its upload has not finished)");
        this.task = task;
        this.version = version;
    }

    public String task() {
        return task;
    }

    public String version() {
        return version;
    }
}
