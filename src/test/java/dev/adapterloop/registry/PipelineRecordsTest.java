package dev.adapterloop.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pipeline records on a real S3 server: what is written can be read back, so nothing larger is written. */
class PipelineRecordsTest {

    /** What {@code read} accepts (4 MiB). */
    private static final int READ_LIMIT = 4 * 1024 * 1024;
    private static RegistryS3 s3;
    private static PipelineRecords records;

    @BeforeAll
    static void start(@TempDir Path dir) {
        s3 = new RegistryS3(dir, "records-test");
        records = new PipelineRecords(s3.store);
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    @Test
    void aRecordJustUnderTheReadLimitIsWrittenAndReadBack() {
        String key = PipelineRecords.pendingKey("big");
        String text = "x".repeat(READ_LIMIT - 64);
        records.write(key, Map.of("text", text));
        assertThat(records.read(key, Map.class).orElseThrow().get("text")).isEqualTo(text);
    }

    @Test
    void aRecordLargerThanReadsAcceptIsRefusedAndNothingIsWritten() {
        String key = PipelineRecords.pendingKey("huge");
        Map<String, String> record = Map.of("text", "x".repeat(READ_LIMIT));
        assertThatThrownBy(() -> records.write(key, record))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pipeline record " + key + " would be ")
                .hasMessageContaining("more than the 4194304 a pipeline record may have; not written");
        assertThat(records.exists(key)).isFalse();
    }
}
