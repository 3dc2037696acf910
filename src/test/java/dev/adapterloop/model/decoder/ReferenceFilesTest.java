package dev.adapterloop.model.decoder;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The oracle's files are the oracle's: every file listed in its SHA256SUMS has that digest here. */
class ReferenceFilesTest {

    @Test
    void everyFixtureFileMatchesTheOraclesChecksum() throws Exception {
        List<String> lines = Files.readAllLines(ReferenceFixture.ROOT.resolve("SHA256SUMS"));
        assertThat(lines).hasSizeGreaterThan(20);
        for (String line : lines) {
            String[] parts = line.trim().split("\\s+\\*?", 2);
            Path file = ReferenceFixture.ROOT.resolve(parts[1].replaceFirst("^\\./", ""));
            assertThat(sha256(file)).as(parts[1]).isEqualTo(parts[0]);
        }
    }

    private static String sha256(Path file) throws IOException, java.security.NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
