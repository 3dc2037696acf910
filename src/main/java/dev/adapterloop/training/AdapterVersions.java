package dev.adapterloop.training;

import dev.adapterloop.adapters.StoredVersionFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Adapter version ids derive from content: the sha256 over every file of the version folder (its path, then its
 * bytes, in {@link StoredVersionFiles#files} order: the PEFT files and {@code native/}). The same training on the same
 * data with the same seed gives the same id, so publishing it twice is harmless.
 */
final class AdapterVersions {

    private AdapterVersions() {
    }

    static String of(Path adapterFolder) throws IOException {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            for (Path file : StoredVersionFiles.files(adapterFolder)) {
                sha256.update(file.toString().replace(file.getFileSystem().getSeparator(), "/")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                sha256.update((byte) 0);
                sha256.update(Files.readAllBytes(adapterFolder.resolve(file)));
            }
            return "v-" + HexFormat.of().formatHex(sha256.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
