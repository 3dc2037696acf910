package dev.adapterloop.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetDigestTest {
    private static final byte[] ABC = "abc".getBytes(StandardCharsets.US_ASCII);
    // FIPS 180-2, appendix B.1
    private static final String ABC_SHA256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @Test
    void bytesMatchTheStandardTestVector() {
        assertThat(DatasetDigest.sha256Hex(ABC)).isEqualTo(ABC_SHA256);
        assertThat(DatasetDigest.sha256Hex(new byte[0]))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void streamAndFileGiveTheSameDigestAsBytes(@TempDir Path dir) throws IOException {
        Path file = Files.write(dir.resolve("abc.jsonl"), ABC);

        assertThat(DatasetDigest.sha256Hex(new ByteArrayInputStream(ABC))).isEqualTo(ABC_SHA256);
        assertThat(DatasetDigest.sha256Hex(file)).isEqualTo(ABC_SHA256);
    }

    @Test
    void streamLongerThanOneBufferIsDigestedWhole() throws IOException {
        byte[] big = new byte[200_000];
        big[big.length - 1] = 1;

        assertThat(DatasetDigest.sha256Hex(new ByteArrayInputStream(big))).isEqualTo(DatasetDigest.sha256Hex(big));
    }
}
