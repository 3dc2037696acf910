package dev.adapterloop.registry;

import java.util.Arrays;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Tells a lost success from a real conflict after a conditional write whose answer never came back. Re-sending the
 * write would be wrong: if the first one landed, the second gets 412 and the writer would report a conflict it
 * actually won. So the object is read back instead, and its bytes decide. The records compared must differ between
 * writers (a pending-data document carries a write id) or be equivalent when equal (a job record derives from its data).
 */
final class ConditionalWriteReadBack {

    private static final Logger LOG = Logger.getLogger(ConditionalWriteReadBack.class);

    private ConditionalWriteReadBack() {
    }

    /**
     * @param expectedEtag the ETag the write was conditioned on ({@code If-Match}), or null for a create
     *                     ({@code If-None-Match: *})
     * @param lost         the failure of the write, thrown again when the read-back shows nothing was applied
     * @return true when our bytes are there (the write landed), false when someone else's are (a real conflict)
     */
    static boolean afterLostAnswer(ObjectStore store, String key, byte[] written, String expectedEtag,
                                   ObjectStoreException lost) {
        if (lost.status().isPresent() && lost.status().get() < 500) {
            throw lost; // S3 answered, with a refusal that is no precondition: nothing to read back
        }
        Optional<ObjectInfo> now;
        byte[] there;
        try {
            now = store.stat(key);
            there = now.isPresent() ? store.get(key, PipelineRecords.MAX_RECORD_BYTES) : null;
        } catch (ObjectStoreException readFailed) {
            lost.addSuppressed(readFailed);
            throw lost; // cannot tell yet: the caller retries the whole read-decide-write
        }
        if (there != null && Arrays.equals(there, written)) {
            LOG.infof("conditional write of %s: the answer was lost (%s), but the object holds what we wrote: won",
                    key, lost.getMessage());
            return true;
        }
        boolean unchanged = expectedEtag == null ? now.isEmpty()
                : now.isPresent() && unquote(now.get().etag()).equals(unquote(expectedEtag));
        if (unchanged) {
            throw lost; // not applied (or not yet): nothing is known to be written
        }
        LOG.infof("conditional write of %s: the answer was lost (%s) and another writer's record is there: lost",
                key, lost.getMessage());
        return false;
    }

    private static String unquote(String etag) {
        return etag == null ? "" : etag.replace("\"", "");
    }
}
