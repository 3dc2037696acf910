package dev.adapterloop.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.adapterloop.embedded.EmbeddedS3;
import dev.adapterloop.events.DatasetRef;
import dev.adapterloop.registry.ObjectStore;
import dev.adapterloop.registry.PipelineRecords;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Listing jobs on a real S3 server: one listing, and a read only for a record whose ETag changed since it was last
 * read, so a record another process rewrote is seen at once and an unchanged one costs nothing.
 */
class JobStoreListingTest {

    private static EmbeddedS3 server;
    private static ObjectStore store;

    @BeforeAll
    static void start(@TempDir Path dir) {
        server = EmbeddedS3.start(EmbeddedS3.Settings.of(dir, "jobs-access", "jobs-secret-0123456789"));
        store = new ObjectStore(ObjectStore.Settings.of(server.endpoint(), "jobs-access", "jobs-secret-0123456789",
                "jobs-test"));
        store.ensureBucket();
    }

    @AfterAll
    static void stop() {
        store.close();
        server.close();
    }

    @Test
    void anUnchangedRecordIsNotReadAgainAndAChangedOneIs() {
        JobStore jobs = new JobStore(new PipelineRecords(store));
        JobStore otherProcess = new JobStore(new PipelineRecords(store));
        for (int i = 0; i < 5; i++) {
            jobs.save(queued("job-listed-" + i));
        }
        assertThat(jobs.list(Optional.of("listed"))).hasSize(5);

        long before = store.callCount();
        assertThat(jobs.list(Optional.of("listed"))).extracting(JobRecord::state).containsOnly(JobRecord.State.QUEUED);
        assertThat(store.callCount() - before).as("S3 calls of a listing with nothing changed").isEqualTo(1);

        otherProcess.save(jobs.find("listed", "job-listed-2").orElseThrow().succeeded("v-0123456789abcdef"));
        before = store.callCount();
        List<JobRecord> listed = jobs.list(Optional.of("listed"));
        assertThat(listed).filteredOn(job -> job.jobId().equals("job-listed-2")).singleElement()
                .satisfies(job -> assertThat(job.state()).isEqualTo(JobRecord.State.SUCCEEDED));
        assertThat(store.callCount() - before).as("one listing and the changed record's read (exists, stat, get)")
                .isLessThanOrEqualTo(4);
    }

    private static JobRecord queued(String jobId) {
        DatasetRef data = new DatasetRef("datasets/listed/" + jobId + ".jsonl", 2L, "0".repeat(64));
        return JobRecord.queued(new TrainingJob(jobId, "listed", "event-" + jobId, List.of(data), data), List.of(),
                0);
    }
}
