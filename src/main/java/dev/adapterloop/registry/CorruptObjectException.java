package dev.adapterloop.registry;

/**
 * An object the registry wrote (aliases, alias history, a manifest) that no longer reads as what it should be: not
 * JSON, another schema, or facts that contradict its key. Retrying does not help; someone has to look at the key.
 */
public final class CorruptObjectException extends RuntimeException {
    private final String key;

    public CorruptObjectException(String key, String problem, Throwable cause) {
        super(key + " is corrupt: " + problem, cause);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
