package dev.adapterloop.intake;

import dev.adapterloop.registry.ObjectStoreException;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Tells a failure that may pass (the bucket unreachable, a 5xx, a timeout, a read cut short) from one that the same
 * event will hit again (a refused event, a bug). Intake retries the first kind without limit, and sends only the
 * second to the dead-letter topic.
 */
final class TransientFailures {

    private TransientFailures() {
    }

    static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ObjectStoreException e) {
                return e.isRetriable();
            }
            if (t instanceof IOException || t instanceof UncheckedIOException) {
                return true; // a dataset's stream cut while being read (DatasetInspector wraps it)
            }
        }
        return false;
    }
}
