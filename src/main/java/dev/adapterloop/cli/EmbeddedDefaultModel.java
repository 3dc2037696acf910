package dev.adapterloop.cli;

import dev.adapterloop.bundled.BundledAssets;
import dev.adapterloop.registry.AdapterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * {@code serve} on the embedded default (an S3 server this process started, so a fresh local bucket) imports the
 * bundled base model when the bucket lacks it, as {@code quickstart} does: otherwise the bundled task's first job
 * fails as base-model-missing on a machine where nobody ran {@code import-model}. Against a configured S3 it imports
 * nothing: what a real bucket holds is its operator's decision.
 */
final class EmbeddedDefaultModel {

    enum Outcome {
        /** S3 is not this process' own: nothing was looked at. */
        NOT_EMBEDDED,
        ALREADY_THERE,
        IMPORTED
    }

    private EmbeddedDefaultModel() {
    }

    /** @param embeddedStarted {@code adapterloop.embedded.started}: what this process started, comma-separated */
    static Outcome ensure(Optional<String> embeddedStarted, AdapterRegistry registry, Path workDir)
            throws IOException {
        boolean s3Embedded = embeddedStarted.map(started -> Arrays.stream(started.split(","))
                .anyMatch(part -> part.strip().equals("s3"))).orElse(false);
        if (!s3Embedded) {
            return Outcome.NOT_EMBEDDED;
        }
        return BundledAssets.ensureModel(registry, workDir) ? Outcome.IMPORTED : Outcome.ALREADY_THERE;
    }
}
