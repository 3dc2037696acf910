package dev.adapterloop.serving;

import dev.adapterloop.model.PretrainedModel;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The frozen base models that served versions share (serving mode {@code shared}): one loaded copy per base model id
 * for the whole process, whatever the number of tasks and versions on it. Each served version holds a {@link Lease};
 * the base is closed when the last lease goes, so a swap (new version leased before the old one is released) never
 * reloads it. Loads and releases are serialised; requests only read the base.
 */
final class SharedBases {

    private static final Logger LOG = Logger.getLogger(SharedBases.class);

    /** Loads a base model that no served version holds yet. */
    @FunctionalInterface
    interface Loader {
        PretrainedModel load(String modelId) throws IOException;
    }

    private final Loader loader;
    private final Map<String, Entry> bases = new HashMap<>();

    private static final class Entry {
        final PretrainedModel model;
        int leases;

        Entry(PretrainedModel model) {
            this.model = model;
        }
    }

    SharedBases(Loader loader) {
        this.loader = loader;
    }

    /** One served version's hold on its base model. */
    final class Lease implements AutoCloseable {
        private final String modelId;
        private final PretrainedModel model;
        private boolean released;

        private Lease(String modelId, PretrainedModel model) {
            this.modelId = modelId;
            this.model = model;
        }

        PretrainedModel model() {
            return model;
        }

        /** Gives the lease back; the base closes with its last one. Idempotent. */
        @Override
        public void close() {
            synchronized (SharedBases.this) {
                if (released) {
                    return;
                }
                released = true;
                Entry entry = bases.get(modelId);
                if (entry != null && --entry.leases == 0) {
                    bases.remove(modelId);
                    entry.model.close();
                    LOG.infof("serving: no served version uses base model %s any more; closed it", modelId);
                }
            }
        }
    }

    /** The loaded base of {@code modelId}, loading it when no served version holds it. */
    synchronized Lease acquire(String modelId) throws IOException {
        Entry entry = bases.get(modelId);
        if (entry == null) {
            entry = new Entry(loader.load(modelId));
            bases.put(modelId, entry);
        }
        entry.leases++;
        return new Lease(modelId, entry.model);
    }

    /** The base loaded for {@code modelId}, if a served version holds it. */
    synchronized Optional<PretrainedModel> loaded(String modelId) {
        return Optional.ofNullable(bases.get(modelId)).map(entry -> entry.model);
    }

    /** Base models loaded now. */
    synchronized int size() {
        return bases.size();
    }
}
