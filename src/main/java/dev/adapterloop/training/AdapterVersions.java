package dev.adapterloop.training;

import dev.adapterloop.adapters.PeftAdapterFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Adapter version ids derive from content: the sha256 of the adapter's config and weights. The same training on the
 * same data with the same seed gives the same id, so publishing it twice is harmless.
 */
final class AdapterVersions {

    private AdapterVersions() {
    }

    static String of(Path adapterFolder) throws IOException {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            for (String file : new String[] {PeftAdapterFiles.CONFIG, PeftAdapterFiles.WEIGHTS}) {
                sha256.update(file.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                sha256.update(Files.readAllBytes(adapterFolder.resolve(file)));
            }
            return "v-" + HexFormat.of().formatHex(sha256.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
