package dev.adapterloop.promotion;

import dev.adapterloop.config.PromotionConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.adapterloop.dataset.DatasetDigest;
import dev.adapterloop.dataset.JsonlDatasetReader;
import dev.adapterloop.dataset.JsonlDatasetWriter;
import dev.adapterloop.dataset.InputTexts;
import dev.adapterloop.dataset.JsonlRecordReader;
import dev.adapterloop.dataset.LabeledExample;
import dev.adapterloop.dataset.MalformedLinePolicy;
import dev.adapterloop.events.DatasetRef;
import dev.adapterloop.events.LabeledDataEvent;
import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.registry.FeedbackRecords;
import dev.adapterloop.registry.ObjectStore;
import dev.adapterloop.registry.PipelineRecords;
import dev.adapterloop.config.TaskCatalogue;
import dev.adapterloop.config.TasksConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Closes the loop: labeled feedback that carries the request's text is buffered in the bucket
 * ({@link FeedbackRecords}) and, once {@code records-per-dataset} examples are buffered or the oldest has waited
 * {@code max-wait}, written out as a JSONL dataset {@code datasets/<task>/feedback-<time>-<sha>.jsonl} and announced
 * with a {@code labeled-data} event, so the intake trains the next adapter on it.
 *
 * <p>Crash safety. A flush is four steps, each safe to repeat: <b>seal</b> the batch (its members and the dataset's
 * key and sha256, written once by a conditional put), <b>write</b> the dataset (content-addressed: a rebuild from the
 * same members gives the same bytes), <b>announce</b> it, <b>clear</b> the members (each marked seen, then removed),
 * then the seal. A crash anywhere leaves the seal, and the next flush finishes that batch before it starts another: the
 * same dataset is announced again at worst, which the intake drops by its sha256. The same feedback delivered twice
 * lands on the same buffer key (a hash of the prediction id) and is buffered once; a redelivery after its batch was
 * cleared finds the seen marker.
 *
 * <p>Feedback datasets are training data only: their keys never name the held-out set, and an example whose text is
 * one of the held-out set's texts is dropped (counted {@code held-out-text}) so that production feedback cannot leak
 * the held-out examples into training.
 */
@ApplicationScoped
public class FeedbackDatasets {

    /** What became of one feedback event (the {@code outcome} tag of {@code adapterloop.feedback.examples}). */
    public enum Intake {
        BUFFERED, DUPLICATE, NO_TEXT, NO_LABEL, TEXT_TOO_LONG, DISABLED;

        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** A task's settings ({@code adapterloop.tasks.<task>.promotion.feedback-datasets.*}) and held-out key. */
    public record Settings(boolean enabled, int recordsPerDataset, Duration maxWait, int maxTextChars,
                           Optional<String> heldOutKey) {
        public Settings {
            if (recordsPerDataset < 1) {
                throw new IllegalArgumentException("feedback-datasets.records-per-dataset must be >= 1, got "
                        + recordsPerDataset);
            }
            if (maxTextChars < 1) {
                throw new IllegalArgumentException("feedback-datasets.max-text-chars must be >= 1, got "
                        + maxTextChars);
            }
            if (maxWait.isNegative() || maxWait.isZero()) {
                throw new IllegalArgumentException("feedback-datasets.max-wait must be positive, got " + maxWait);
            }
        }

        /** @throws IllegalArgumentException a value out of range, named by its key after {@code promotion.} */
        public static Settings of(TasksConfig.Task task) {
            PromotionConfig.FeedbackDatasets f = task.promotion().feedbackDatasets();
            return new Settings(f.enabled(), f.recordsPerDataset(), f.maxWait(), f.maxTextChars(), task.heldOutKey());
        }
    }

    /** Announces a dataset on {@code labeled-data}; returns the event id. */
    @FunctionalInterface
    public interface Publisher {
        String publish(LabeledDataEvent event);
    }

    /** One buffered example. */
    /** One buffered example: a label for its text, or (a generation task's) a corrected completion of its prompt. */
    record Buffered(String predictionId, String label, String text, Instant receivedAt, String completion) {
    }

    /** A sealed batch: what the dataset will hold and where, fixed before anything is written. */
    record Batch(int schemaVersion, String task, String datasetKey, String sha256, long records, Instant sealedAt,
                 List<String> members, List<String> heldOutMembers) {
        DatasetRef ref() {
            return new DatasetRef(datasetKey, records, sha256);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final ObjectMapper LINE_JSON = new ObjectMapper();
    private static final long MAX_HELD_OUT_BYTES = 512L * 1024 * 1024;

    private final ObjectStore store;
    private final FeedbackRecords records;
    private final AdapterRegistry registry;
    private final Function<String, Optional<Settings>> settings;
    /** The tasks now: one created or changed while the service runs is checked from then on. */
    private final Supplier<Set<String>> tasks;
    private final Publisher publisher;
    private final Clock clock;
    private final MeterRegistry meters;
    /** Hashes of a held-out set's texts, by held-out key and ETag (a changed set is read again). */
    private final Map<String, Set<String>> heldOutTexts = new ConcurrentHashMap<>();

    @Inject
    public FeedbackDatasets(TaskCatalogue tasks, ObjectStore store, FeedbackDatasetEvents publisher,
                            MeterRegistry meters) {
        this(store, task -> Optional.ofNullable(tasks.tasks().get(task)).map(Settings::of),
                () -> tasks.tasks().keySet(), publisher, Clock.systemUTC(), meters);
        // Checked when the first feedback arrives, naming the key: a bad value sends feedback to the DLQ (replayable)
        // with this message rather than silently disabling the datasets.
        tasks.tasks().forEach((name, task) -> {
            try {
                Settings.of(task);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("adapterloop.tasks." + name + ".promotion." + e.getMessage(), e);
            }
        });
    }

    FeedbackDatasets(ObjectStore store, Function<String, Optional<Settings>> settings, Set<String> tasks,
                     Publisher publisher, Clock clock, MeterRegistry meters) {
        this(store, settings, () -> tasks, publisher, clock, meters);
    }

    private FeedbackDatasets(ObjectStore store, Function<String, Optional<Settings>> settings,
                             Supplier<Set<String>> tasks, Publisher publisher, Clock clock, MeterRegistry meters) {
        this.store = store;
        this.records = new FeedbackRecords(store);
        this.registry = new AdapterRegistry(store);
        this.settings = settings;
        this.tasks = tasks;
        this.publisher = publisher;
        this.clock = clock;
        this.meters = meters;
    }

    /**
     * Takes one joined feedback event: buffers it if it is a labeled example of an enabled task, then writes and
     * announces a dataset if one is due. Feedback that cannot become an example is counted and otherwise ignored: it
     * still counts for the A/B test.
     */
    public Intake offer(FeedbackJoin.Outcome feedback) {
        Intake intake = buffer(feedback);
        meters.counter("adapterloop.feedback.examples", "task", feedback.task(), "outcome", intake.tag()).increment();
        if (intake == Intake.BUFFERED) {
            flushIfDue(feedback.task());
        }
        return intake;
    }

    private Intake buffer(FeedbackJoin.Outcome feedback) {
        Optional<Settings> task = settings.apply(feedback.task()).filter(Settings::enabled);
        if (task.isEmpty()) {
            return Intake.DISABLED;
        }
        if (feedback.label() == null && feedback.completion() == null) {
            return Intake.NO_LABEL;
        }
        if (feedback.text() == null || feedback.text().isBlank()) {
            return Intake.NO_TEXT;
        }
        int chars = feedback.text().length() + (feedback.completion() == null ? 0 : feedback.completion().length());
        if (chars > task.get().maxTextChars()) {
            return Intake.TEXT_TOO_LONG;
        }
        String id = feedback.predictionId();
        if (records.seen(feedback.task(), id)) {
            return Intake.DUPLICATE;
        }
        Buffered example = new Buffered(id, feedback.label(), feedback.text(), clock.instant(),
                feedback.completion());
        if (!records.addPending(feedback.task(), id, bytes(example))) {
            return Intake.DUPLICATE;
        }
        // A batch holding this id may have been cleared between the check above and the write: look once more.
        if (records.seen(feedback.task(), id)) {
            records.delete(FeedbackRecords.pendingKey(feedback.task(), id));
            return Intake.DUPLICATE;
        }
        records.openIfAbsent(feedback.task(), clock.instant().toString());
        return Intake.BUFFERED;
    }

    /** Every enabled task's buffer, on a timer: max-wait must fire even when no more feedback arrives. */
    @Scheduled(every = "${adapterloop.promotion.feedback-datasets.check-interval:1m}",
            delayed = "${adapterloop.promotion.feedback-datasets.check-interval:1m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void checkDueDatasets() {
        for (String task : tasks.get()) {
            try {
                flushIfDue(task);
            } catch (RuntimeException e) {
                Log.warnf("feedback datasets of task %s: check failed, tried again at the next tick: %s", task,
                        e.getMessage());
            }
        }
    }

    /**
     * Finishes a batch a crash left behind, else writes and announces a dataset if the buffer holds
     * {@code records-per-dataset} examples or its oldest has waited {@code max-wait}.
     *
     * @return the dataset announced, if any
     */
    public Optional<DatasetRef> flushIfDue(String task) {
        Optional<Settings> config = settings.apply(task).filter(Settings::enabled);
        if (config.isEmpty()) {
            return Optional.empty();
        }
        Optional<Batch> left = readBatch(task);
        if (left.isPresent()) {
            Log.infof("feedback datasets of task %s: finishing batch %s left by an earlier flush", task,
                    left.get().datasetKey());
            return finish(left.get(), null);
        }
        List<String> pending = records.pendingKeys(task);
        if (pending.isEmpty()) {
            return Optional.empty();
        }
        boolean full = pending.size() >= config.get().recordsPerDataset();
        if (!full && !waitedTooLong(task, config.get().maxWait())) {
            return Optional.empty();
        }
        Sealed sealed = seal(task, pending.subList(0, Math.min(pending.size(), config.get().recordsPerDataset())),
                config.get());
        return finish(sealed.batch(), sealed.jsonl());
    }

    private boolean waitedTooLong(String task, Duration maxWait) {
        Optional<byte[]> opened = records.readIfExists(FeedbackRecords.openedKey(task));
        if (opened.isEmpty()) {
            // Examples buffered while the last batch was cleared: their clock starts now.
            records.openIfAbsent(task, clock.instant().toString());
            return false;
        }
        try {
            Instant openedAt = Instant.parse(JSON.readTree(opened.get()).path("openedAt").asText());
            return !openedAt.plus(maxWait).isAfter(clock.instant());
        } catch (IOException | java.time.format.DateTimeParseException e) {
            Log.warnf("feedback datasets of task %s: unreadable %s (%s), flushing now", task,
                    FeedbackRecords.openedKey(task), e.getMessage());
            return true;
        }
    }

    /** A batch and, when this call built it, the dataset's bytes. */
    record Sealed(Batch batch, byte[] jsonl) {
    }

    /** Step 1: fixes the batch's members, dataset key and sha256; a batch sealed first by another replica wins. */
    Sealed seal(String task, List<String> members, Settings config) {
        Built built = build(task, members, heldOutTextHashes(config));
        Instant now = clock.instant();
        String key = AdapterRegistry.datasetPrefix(task) + "feedback-" + STAMP.format(now) + "-"
                + built.sha256().substring(0, 12) + ".jsonl";
        Batch batch = new Batch(1, task, key, built.sha256(), built.included().size(), now, built.included(),
                built.heldOut());
        if (!records.sealBatch(task, bytes(batch))) {
            Batch other = readBatch(task).orElseThrow(() -> new IllegalStateException("feedback batch of task "
                    + task + " vanished while sealing"));
            return new Sealed(other, null);
        }
        return new Sealed(batch, built.jsonl());
    }

    /** Steps 2 to 4 of a sealed batch. */
    Optional<DatasetRef> finish(Batch batch, byte[] jsonl) {
        if (batch.records() > 0) {
            writeDataset(batch, jsonl);
            announce(batch);
        }
        clear(batch);
        return batch.records() > 0 ? Optional.of(batch.ref()) : Optional.empty();
    }

    /** Step 2: the dataset object, unless it is there already; rebuilt from the members after a crash. */
    void writeDataset(Batch batch, byte[] jsonl) {
        if (registry.statDataset(batch.task(), batch.datasetKey()).isPresent()) {
            return;
        }
        byte[] bytes = jsonl;
        if (bytes == null) {
            // The members the seal included, without asking the held-out set again: it may have changed since.
            Built built = build(batch.task(), batch.members(), Set.of());
            if (!built.sha256().equals(batch.sha256())) {
                throw new IllegalStateException("feedback batch " + batch.datasetKey() + " rebuilt to sha256 "
                        + built.sha256() + ", sealed as " + batch.sha256() + ": a member changed");
            }
            bytes = built.jsonl();
        }
        registry.putDataset(batch.task(), batch.datasetKey(), bytes);
    }

    /** Step 3: the labeled-data event; repeated after a crash, the intake drops it by the dataset's sha256. */
    void announce(Batch batch) {
        String id = publisher.publish(new LabeledDataEvent(batch.task(), List.of(batch.ref()), null));
        meters.counter("adapterloop.feedback.datasets", "task", batch.task()).increment();
        Log.infof("feedback datasets of task %s: %s (%d examples, sha256 %s) announced as event %s", batch.task(),
                batch.datasetKey(), batch.records(), batch.sha256(), id);
    }

    /** Step 4: members marked seen and removed, the max-wait clock restarted, the seal removed last. */
    void clear(Batch batch) {
        for (String member : batch.members()) {
            records.markSeenAndRemove(batch.task(), member);
        }
        for (String member : batch.heldOutMembers()) {
            records.markSeenAndRemove(batch.task(), member);
        }
        records.delete(FeedbackRecords.openedKey(batch.task()));
        if (!records.pendingKeys(batch.task()).isEmpty()) {
            records.openIfAbsent(batch.task(), clock.instant().toString());
        }
        records.delete(FeedbackRecords.batchKey(batch.task()));
    }

    Optional<Batch> readBatch(String task) {
        return records.readIfExists(FeedbackRecords.batchKey(task)).map(b -> parse(b, Batch.class));
    }

    /** A batch's dataset bytes, the members in it and those left out because their text is held out. */
    private record Built(byte[] jsonl, String sha256, List<String> included, List<String> heldOut) {
    }

    private Built build(String task, List<String> members, Set<String> heldOutTexts) {
        List<Buffered> examples = new ArrayList<>(members.size());
        List<String> included = new ArrayList<>(members.size());
        List<String> heldOut = new ArrayList<>();
        for (String member : members) {
            Buffered example = parse(records.read(member), Buffered.class);
            if (heldOutTexts.contains(PipelineRecords.sha256(example.text()))) {
                heldOut.add(member);
                continue;
            }
            examples.add(example);
            included.add(member);
        }
        if (!heldOut.isEmpty()) {
            meters.counter("adapterloop.feedback.examples", "task", task, "outcome", "held-out-text")
                    .increment(heldOut.size());
            Log.infof("feedback datasets of task %s: %d examples left out, their texts are in the held-out set", task,
                    heldOut.size());
        }
        if (examples.isEmpty()) {
            return new Built(new byte[0], DatasetDigest.sha256Hex(new byte[0]), List.of(), List.copyOf(heldOut));
        }
        byte[] jsonl = jsonl(examples);
        return new Built(jsonl, DatasetDigest.sha256Hex(jsonl), List.copyOf(included), List.copyOf(heldOut));
    }

    /**
     * The dataset's bytes: labeled examples as the intake reads them, corrected completions as prompt/completion
     * records (a task's feedback is all of one kind: its ids were issued by one endpoint).
     */
    private static byte[] jsonl(List<Buffered> examples) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (examples.getFirst().completion() == null) {
                JsonlDatasetWriter.write(examples.stream().map(e -> new LabeledExample(e.text(), e.label())).toList(),
                        out);
            } else {
                for (Buffered example : examples) {
                    Map<String, String> line = new LinkedHashMap<>();
                    line.put("prompt", example.text());
                    line.put("completion", example.completion());
                    out.write(LINE_JSON.writeValueAsBytes(line));
                    out.write('\n');
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The held-out set's texts, hashed; read once per version of the object (ETag). */
    private Set<String> heldOutTextHashes(Settings config) {
        if (config.heldOutKey().isEmpty()) {
            return Set.of();
        }
        String key = config.heldOutKey().get();
        Optional<dev.adapterloop.registry.ObjectInfo> info = store.stat(key);
        if (info.isEmpty()) {
            return Set.of();
        }
        return heldOutTexts.computeIfAbsent(key + "|" + info.get().etag(), k -> {
            try (InputStream in = store.open(key)) {
                // texts of labeled examples, prompts of a generation task's records
                return new JsonlRecordReader<>(MAX_HELD_OUT_BYTES, MalformedLinePolicy.SKIP_AND_COUNT,
                        InputTexts.PARSER).read(in).records().stream().map(PipelineRecords::sha256)
                        .collect(Collectors.toUnmodifiableSet());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read held-out set " + key, e);
            }
        });
    }

    private static byte[] bytes(Object record) {
        try {
            return JSON.writeValueAsBytes(record);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise " + record.getClass().getSimpleName(), e);
        }
    }

    private static <T> T parse(byte[] bytes, Class<T> type) {
        try {
            return JSON.readValue(bytes, type);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable feedback record (" + type.getSimpleName() + "): "
                    + e.getMessage(), e);
        }
    }
}
