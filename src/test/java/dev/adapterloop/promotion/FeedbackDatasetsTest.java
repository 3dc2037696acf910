package dev.adapterloop.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.adapterloop.dataset.DatasetDigest;
import dev.adapterloop.dataset.JsonlDatasetReader;
import dev.adapterloop.dataset.LabeledExample;
import dev.adapterloop.dataset.MalformedLinePolicy;
import dev.adapterloop.events.DatasetRef;
import dev.adapterloop.events.LabeledDataEvent;
import dev.adapterloop.intake.IntakeLedger;
import dev.adapterloop.intake.ValidatedEvent;
import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.registry.FeedbackRecords;
import dev.adapterloop.registry.PipelineRecords;
import dev.adapterloop.training.JobStore;
import dev.adapterloop.config.TaskCatalogue;
import dev.adapterloop.config.TasksConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Labeled feedback into feedback datasets over a real S3 server: N examples make one dataset and one announcement
 * whose sha256 is the object's; duplicates, feedback without text or label and over-long texts stay out (counted); a
 * flush cut short at any step is finished by the next one, announcing the same dataset, which the real intake ledger
 * then drops as already taken in; a disabled task writes nothing; held-out texts never become training data.
 */
class FeedbackDatasetsTest {

    private static final String HELD_OUT_KEY = "datasets/mail/held-out.jsonl";

    @TempDir
    static Path serverDir;
    private static PromotionS3 s3;

    private final List<LabeledDataEvent> announced = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    private FeedbackDatasets datasets;

    @BeforeAll
    static void start() {
        s3 = new PromotionS3(serverDir);
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    @BeforeEach
    void emptyBucket() {
        s3.store.list("").forEach(s3.store::delete);
        datasets = restarted();
    }

    private static FeedbackJoin.Outcome corrected(String task, String id, String prompt, String completion) {
        return new FeedbackJoin.Outcome(task, "v1", "champion", 0, id, null, prompt, completion);
    }

    /** A fresh instance over the same bucket: what a replica finds after a crash. */
    private FeedbackDatasets restarted() {
        Map<String, FeedbackDatasets.Settings> settings = Map.of(
                "mail", new FeedbackDatasets.Settings(true, 5, Duration.ofMinutes(30), 100, Optional.of(HELD_OUT_KEY)),
                "off", new FeedbackDatasets.Settings(false, 5, Duration.ofMinutes(30), 100, Optional.empty()));
        return new FeedbackDatasets(s3.store, task -> Optional.ofNullable(settings.get(task)), settings.keySet(),
                event -> {
                    announced.add(event);
                    return UUID.randomUUID().toString();
                }, clock, meters);
    }

    @Test
    void nLabeledExamplesBecomeOneDatasetAnnouncedWithItsDigest() throws IOException {
        for (int i = 0; i < 4; i++) {
            assertThat(datasets.offer(labeled("mail", "p" + i, "spam", "buy now " + i)))
                    .isEqualTo(FeedbackDatasets.Intake.BUFFERED);
        }
        assertThat(announced).isEmpty();
        datasets.offer(labeled("mail", "p4", "ham", "lunch at noon?"));

        assertThat(announced).hasSize(1);
        LabeledDataEvent event = announced.getFirst();
        assertThat(event.task()).isEqualTo("mail");
        assertThat(event.heldOut()).isNull();
        DatasetRef ref = event.datasets().getFirst();
        assertThat(ref.key()).startsWith("datasets/mail/feedback-20261123T100000Z-").endsWith(".jsonl");
        byte[] object = s3.store.get(ref.key());
        assertThat(ref.sha256()).isEqualTo(DatasetDigest.sha256Hex(object));
        assertThat(ref.records()).isEqualTo(5);
        List<LabeledExample> examples = read(object);
        assertThat(examples).hasSize(5).contains(new LabeledExample("lunch at noon?", "ham"),
                new LabeledExample("buy now 3", "spam"));
        assertThat(s3.store.list(FeedbackRecords.pendingPrefix("mail"))).isEmpty();
        assertThat(s3.store.exists(FeedbackRecords.batchKey("mail"))).isFalse();
        assertThat(count("buffered")).isEqualTo(5);
    }

    @Test
    void correctedCompletionsBecomeAPromptCompletionDatasetTheIntakeReadsAndHeldOutPromptsStayOut()
            throws IOException {
        // The task's held-out set is a generation one: its prompts are what feedback must not leak into training.
        s3.store.put(HELD_OUT_KEY, "{\"prompt\": \"held out prompt\", \"completion\": \" x\"}\n"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8), "application/x-ndjson");
        assertThat(datasets.offer(corrected("mail", "h", "held out prompt", " leaked"))).isEqualTo(
                FeedbackDatasets.Intake.BUFFERED);
        for (int i = 0; i < 4; i++) {
            assertThat(datasets.offer(corrected("mail", "c" + i, "prompt " + i, " better answer " + i)))
                    .isEqualTo(FeedbackDatasets.Intake.BUFFERED);
        }
        // A reward without a correction counts for the A/B test only.
        assertThat(datasets.offer(new FeedbackJoin.Outcome("mail", "v1", "champion", 1, "r", null, "prompt r")))
                .isEqualTo(FeedbackDatasets.Intake.NO_LABEL);

        assertThat(announced).hasSize(1);
        DatasetRef ref = announced.getFirst().datasets().getFirst();
        byte[] object = s3.store.get(ref.key());
        assertThat(ref.records()).isEqualTo(4);
        List<dev.adapterloop.dataset.CompletionRecord> records = new dev.adapterloop.dataset.CompletionDatasetReader(
                1 << 20, MalformedLinePolicy.REJECT_DATASET).read(new java.io.ByteArrayInputStream(object)).records();
        assertThat(records).hasSize(4).contains(dev.adapterloop.dataset.CompletionRecord.of("prompt 2",
                " better answer 2")).noneMatch(r -> r.prompt().equals("held out prompt"));
    }

    @Test
    void theSameFeedbackDeliveredAgainIsCountedOnce() throws IOException {
        FeedbackJoin.Outcome once = labeled("mail", "dup", "spam", "win a prize");
        assertThat(datasets.offer(once)).isEqualTo(FeedbackDatasets.Intake.BUFFERED);
        assertThat(datasets.offer(once)).isEqualTo(FeedbackDatasets.Intake.DUPLICATE);
        // The same prediction id with another label or text is the same feedback: the first one counts.
        assertThat(datasets.offer(labeled("mail", "dup", "ham", "win a prize"))).isEqualTo(
                FeedbackDatasets.Intake.DUPLICATE);
        for (int i = 0; i < 4; i++) {
            datasets.offer(labeled("mail", "q" + i, "ham", "minutes " + i));
        }
        assertThat(announced).hasSize(1);
        assertThat(read(s3.store.get(announced.getFirst().datasets().getFirst().key())))
                .filteredOn(e -> e.text().equals("win a prize")).containsExactly(new LabeledExample("win a prize",
                        "spam"));
        // Redelivered after its dataset was written: the seen marker keeps it out of the next one.
        assertThat(datasets.offer(once)).isEqualTo(FeedbackDatasets.Intake.DUPLICATE);
        assertThat(s3.store.list(FeedbackRecords.pendingPrefix("mail"))).isEmpty();
        assertThat(count("duplicate")).isEqualTo(3);
    }

    @Test
    void feedbackThatCannotBeAnExampleIsCountedAndKeptOut() {
        assertThat(datasets.offer(new FeedbackJoin.Outcome("mail", "v1", "champion", 1, "a", "spam", null)))
                .isEqualTo(FeedbackDatasets.Intake.NO_TEXT);
        assertThat(datasets.offer(new FeedbackJoin.Outcome("mail", "v1", "champion", 1, "b", "spam", "  \n")))
                .isEqualTo(FeedbackDatasets.Intake.NO_TEXT);
        assertThat(datasets.offer(new FeedbackJoin.Outcome("mail", "v1", "champion", 0.7, "c", null, "a reward")))
                .isEqualTo(FeedbackDatasets.Intake.NO_LABEL);
        assertThat(datasets.offer(labeled("mail", "d", "spam", "x".repeat(101))))
                .isEqualTo(FeedbackDatasets.Intake.TEXT_TOO_LONG);
        assertThat(s3.store.list(FeedbackRecords.feedbackPrefix("mail"))).isEmpty();
        assertThat(count("no-text")).isEqualTo(2);
        assertThat(count("no-label")).isEqualTo(1);
        assertThat(count("text-too-long")).isEqualTo(1);
    }

    @Test
    void aDisabledTaskWritesNothing() {
        for (int i = 0; i < 6; i++) {
            assertThat(datasets.offer(labeled("off", "o" + i, "spam", "text " + i)))
                    .isEqualTo(FeedbackDatasets.Intake.DISABLED);
        }
        assertThat(datasets.flushIfDue("off")).isEmpty();
        assertThat(s3.store.list("")).isEmpty();
        assertThat(announced).isEmpty();
        assertThat(count("disabled")).isEqualTo(6);
    }

    @Test
    void fewerExamplesGoOutOnceTheOldestWaitedMaxWait() {
        datasets.offer(labeled("mail", "w1", "spam", "first"));
        clock.advance(Duration.ofMinutes(20));
        datasets.offer(labeled("mail", "w2", "ham", "second"));
        assertThat(datasets.flushIfDue("mail")).isEmpty();
        clock.advance(Duration.ofMinutes(10));
        datasets.checkDueDatasets();
        assertThat(announced).hasSize(1);
        assertThat(announced.getFirst().datasets().getFirst().records()).isEqualTo(2);
        assertThat(s3.store.exists(FeedbackRecords.openedKey("mail"))).isFalse();
    }

    @Test
    void aFlushCutShortIsFinishedByTheNextWithTheSameDatasetWhichTheIntakeTakesInOnce() {
        for (int i = 0; i < 5; i++) {
            new FeedbackRecords(s3.store).addPending("mail", "c" + i, ("{\"predictionId\":\"c" + i
                    + "\",\"label\":\"spam\",\"text\":\"crash " + i + "\",\"receivedAt\":\"2026-11-23T10:00:00Z\"}")
                    .getBytes(StandardCharsets.UTF_8));
        }
        FeedbackDatasets.Settings settings = new FeedbackDatasets.Settings(true, 5, Duration.ofMinutes(30), 100,
                Optional.empty());
        FeedbackDatasets.Sealed sealed = datasets.seal("mail", new FeedbackRecords(s3.store).pendingKeys("mail"),
                settings);
        datasets.writeDataset(sealed.batch(), sealed.jsonl());
        datasets.announce(sealed.batch());
        // Crash: the buffer was not cleared. Meanwhile a new example arrives at another replica.
        FeedbackDatasets replica = restarted();
        assertThat(replica.offer(labeled("mail", "late", "ham", "after the crash")))
                .isEqualTo(FeedbackDatasets.Intake.BUFFERED);

        assertThat(announced).hasSize(2);
        DatasetRef first = announced.get(0).datasets().getFirst();
        DatasetRef again = announced.get(1).datasets().getFirst();
        assertThat(again).isEqualTo(first);
        assertThat(s3.store.list(AdapterRegistry.datasetPrefix("mail"))).containsExactly(first.key());
        assertThat(new FeedbackRecords(s3.store).pendingKeys("mail")).containsExactly(
                FeedbackRecords.pendingKey("mail", "late"));

        // The real intake ledger takes the dataset in once: the second announcement is known data.
        IntakeLedger ledger = new IntakeLedger(new PipelineRecords(s3.store), new JobStore(new PipelineRecords(
                s3.store)), TaskCatalogue.of(tasks()));
        DatasetRef heldOut = new DatasetRef(HELD_OUT_KEY, 1L, "0".repeat(64));
        assertThat(ledger.accept(new ValidatedEvent("mail", "e-1", List.of(first), heldOut), 0).outcome())
                .isEqualTo(IntakeLedger.Outcome.ACCUMULATED);
        assertThat(ledger.accept(new ValidatedEvent("mail", "e-2", List.of(again), heldOut), 0).outcome())
                .isEqualTo(IntakeLedger.Outcome.DUPLICATE_DATA);
    }

    @Test
    void aBatchSealedButNotWrittenIsRebuiltToTheSameBytes() {
        for (int i = 0; i < 3; i++) {
            datasets.offer(labeled("mail", "s" + i, i % 2 == 0 ? "spam" : "ham", "sealed " + i));
        }
        FeedbackDatasets.Sealed sealed = datasets.seal("mail", new FeedbackRecords(s3.store).pendingKeys("mail"),
                new FeedbackDatasets.Settings(true, 5, Duration.ofMinutes(30), 100, Optional.empty()));
        // Crash before the dataset was written: the next flush rebuilds it from the sealed members.
        Optional<DatasetRef> finished = restarted().flushIfDue("mail");
        assertThat(finished).isPresent();
        assertThat(finished.get().sha256()).isEqualTo(sealed.batch().sha256())
                .isEqualTo(DatasetDigest.sha256Hex(s3.store.get(finished.get().key())));
        assertThat(finished.get().records()).isEqualTo(3);
        assertThat(announced).hasSize(1);
        assertThat(restarted().flushIfDue("mail")).isEmpty();
    }

    @Test
    void textsOfTheHeldOutSetNeverBecomeTrainingData() throws IOException {
        s3.store.put(HELD_OUT_KEY, "{\"text\":\"held out mail\",\"label\":\"spam\"}\n".getBytes(StandardCharsets.UTF_8),
                "application/x-ndjson");
        datasets.offer(labeled("mail", "h0", "spam", "held out mail"));
        for (int i = 1; i < 5; i++) {
            datasets.offer(labeled("mail", "h" + i, "ham", "fresh " + i));
        }
        DatasetRef ref = announced.getFirst().datasets().getFirst();
        assertThat(ref.key()).isNotEqualTo(HELD_OUT_KEY);
        assertThat(ref.records()).isEqualTo(4);
        assertThat(read(s3.store.get(ref.key()))).extracting(LabeledExample::text).doesNotContain("held out mail");
        assertThat(count("held-out-text")).isEqualTo(1);
        assertThat(datasets.offer(labeled("mail", "h0", "spam", "held out mail")))
                .isEqualTo(FeedbackDatasets.Intake.DUPLICATE);
    }

    private static FeedbackJoin.Outcome labeled(String task, String predictionId, String label, String text) {
        return new FeedbackJoin.Outcome(task, "v1", "champion", 1, predictionId, label, text);
    }

    private double count(String outcome) {
        return meters.find("adapterloop.feedback.examples").tag("outcome", outcome).counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    private static List<LabeledExample> read(byte[] jsonl) throws IOException {
        return new JsonlDatasetReader(1 << 20, MalformedLinePolicy.REJECT_DATASET).read(new ByteArrayInputStream(jsonl))
                .examples();
    }

    private static TasksConfig tasks() {
        return new SmallRyeConfigBuilder().withMapping(TasksConfig.class)
                .withSources(new PropertiesConfigSource(Map.of("adapterloop.tasks.mail.labels", "ham,spam",
                        "adapterloop.tasks.mail.intake.min-new-examples", "100"), "test", 100))
                .build().getConfigMapping(TasksConfig.class);
    }

    private static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
