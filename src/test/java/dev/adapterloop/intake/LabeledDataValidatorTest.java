package dev.adapterloop.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.adapterloop.dataset.DatasetDigest;
import dev.adapterloop.embedded.EmbeddedS3;
import dev.adapterloop.events.LabeledDataEvent;
import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.registry.ObjectStore;
import dev.adapterloop.config.TaskCatalogue;
import dev.adapterloop.config.TasksConfig;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way a labeled-data event can be unusable gets its own specific message (the dead-letter reason), checked
 * against a real S3 server; the end-to-end test proves the same messages reach the dead-letter topic.
 */
class LabeledDataValidatorTest {

    private static final String TYPE = LabeledDataEvent.TYPE;
    private static final byte[] GOOD = "{\"text\":\"hi\",\"label\":\"ham\"}\n".getBytes(StandardCharsets.UTF_8);
    private static EmbeddedS3 s3;
    private static ObjectStore store;
    private static LabeledDataValidator validator;

    @BeforeAll
    static void start(@TempDir Path dir) {
        s3 = EmbeddedS3.start(EmbeddedS3.Settings.of(dir, "validator", "validator-secret-0123456789"));
        store = ObjectStore.create(s3.endpoint(), "validator", "validator-secret-0123456789", "intake-test");
        store.ensureBucket();
        store.put("datasets/spam/good.jsonl", GOOD, "application/x-ndjson");
        byte[] mixed = ("{\"text\":\"hi\",\"label\":\"ham\"}\nnot json\n{\"text\":\"x\",\"label\":\"eggs\"}\n"
                + "{\"text\":\"win\",\"label\":\"spam\"}\n").getBytes(StandardCharsets.UTF_8);
        store.put("datasets/spam/mixed.jsonl", mixed, "application/x-ndjson");
        store.put("datasets/strict/mixed.jsonl", mixed, "application/x-ndjson");
        store.put("datasets/strict/eggs.jsonl", "{\"text\":\"x\",\"label\":\"eggs\"}\n"
                .getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
        store.put("datasets/strict/heldout.jsonl", GOOD, "application/x-ndjson");
        store.put("datasets/spam/junk.jsonl", "[]\n{\"text\":1}\n".getBytes(StandardCharsets.UTF_8),
                "application/x-ndjson");
        store.put("datasets/spam/heldout.jsonl", "{\"text\":\"win\",\"label\":\"spam\"}\n"
                .getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
        store.put("datasets/spam/empty.jsonl", new byte[0], "application/x-ndjson");
        store.put("datasets/spam/other-heldout.jsonl", GOOD, "application/x-ndjson");
        store.put("datasets/open/good.jsonl", GOOD, "application/x-ndjson");
        store.put("datasets/open/other-heldout.jsonl", GOOD, "application/x-ndjson");
        store.put("datasets/small/big.jsonl", "{\"text\":\"a longer message than allowed\",\"label\":\"ham\"}\n"
                .getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
        store.put("datasets/capped/four.jsonl", (new String(GOOD, StandardCharsets.UTF_8).repeat(3) + "not json\n")
                .getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
        store.put("datasets/capped/three.jsonl", (new String(GOOD, StandardCharsets.UTF_8).repeat(3) + "\n\n")
                .getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
        store.put("datasets/capped/heldout.jsonl", GOOD, "application/x-ndjson");
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(TasksConfig.class)
                .withDefaultValues(Map.ofEntries(
                        Map.entry("adapterloop.tasks.spam.labels", "ham,spam"),
                        Map.entry("adapterloop.tasks.spam.held-out-key", "datasets/spam/heldout.jsonl"),
                        Map.entry("adapterloop.tasks.nohold.labels", "a,b"),
                        Map.entry("adapterloop.tasks.strict.labels", "ham,spam"),
                        Map.entry("adapterloop.tasks.strict.held-out-key", "datasets/strict/heldout.jsonl"),
                        Map.entry("adapterloop.tasks.strict.intake.malformed-lines", "reject"),
                        Map.entry("adapterloop.tasks.small.labels", "ham,spam"),
                        Map.entry("adapterloop.tasks.small.held-out-key", "datasets/small/heldout.jsonl"),
                        Map.entry("adapterloop.tasks.small.intake.max-dataset-bytes", "20"),
                        Map.entry("adapterloop.tasks.capped.labels", "ham,spam"),
                        Map.entry("adapterloop.tasks.capped.held-out-key", "datasets/capped/heldout.jsonl"),
                        Map.entry("adapterloop.tasks.capped.intake.max-records", "3"),
                        Map.entry("adapterloop.tasks.open.labels", "ham,spam"),
                        Map.entry("adapterloop.tasks.open.held-out-key", "datasets/open/heldout.jsonl"),
                        Map.entry("adapterloop.tasks.open.intake.allow-event-held-out", "true")))
                .build();
        validator = new LabeledDataValidator(TaskCatalogue.of(config.getConfigMapping(TasksConfig.class)), new AdapterRegistry(store));
    }

    @AfterAll
    static void stop() {
        store.close();
        s3.close();
    }

    @Test
    void aGoodEventIsAcceptedWithTheConfiguredHeldOutSetAndItsMeasuredDigest() throws Exception {
        ValidatedEvent event = validator.validate(
                "{\"task\":\"spam\",\"datasets\":[{\"key\":\"datasets/spam/good.jsonl\",\"records\":1}],"
                        + "\"extra\":\"ignored\"}", "event-1", TYPE);
        assertThat(event.task()).isEqualTo("spam");
        assertThat(event.eventId()).isEqualTo("event-1");
        assertThat(event.heldOut().key()).isEqualTo("datasets/spam/heldout.jsonl");
        assertThat(event.datasets().get(0).sha256()).isEqualTo(DatasetDigest.sha256Hex(GOOD));
        assertThat(event.records()).isEqualTo(1);
    }

    @Test
    void malformedLinesAndUnknownLabelsAreSkippedWithACountOrRejectedPerTheTaskPolicy() throws Exception {
        ValidatedEvent skipped = validator.validate(event("datasets/spam/mixed.jsonl", null), "event-2", TYPE);
        assertThat(skipped.records()).as("2 good lines of 4: one not JSON, one label 'eggs'").isEqualTo(2);
        assertThatThrownBy(() -> validator.validate("{\"task\":\"strict\",\"datasets\":[{\"key\":"
                + "\"datasets/strict/mixed.jsonl\"}]}", "event-3", TYPE))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("datasets/strict/mixed.jsonl rejected")
                .hasMessageContaining("line 2");
        assertThatThrownBy(() -> validator.validate("{\"task\":\"strict\",\"datasets\":[{\"key\":"
                + "\"datasets/strict/eggs.jsonl\"}]}", "event-4", TYPE))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("labels the task does not know")
                .hasMessageContaining("'eggs'");
    }

    /** The record cap counts non-blank lines, valid or not, while the dataset streams past: nothing is kept. */
    @Test
    void aDatasetWithMoreRecordsThanTheTaskAllowsIsRejected() throws Exception {
        assertThat(validator.validate("{\"task\":\"capped\",\"datasets\":[{\"key\":"
                + "\"datasets/capped/three.jsonl\"}]}", "event-c1", TYPE).records()).isEqualTo(3);
        assertThatThrownBy(() -> validator.validate("{\"task\":\"capped\",\"datasets\":[{\"key\":"
                + "\"datasets/capped/four.jsonl\"}]}", "event-c2", TYPE))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("datasets/capped/four.jsonl rejected")
                .hasMessageContaining("more than 3 records")
                .hasMessageContaining("adapterloop.tasks.capped.intake.max-records=3");
    }

    @Test
    void eachKindOfBadEventIsRejectedWithItsOwnReason() {
        rejects("{\"task\":\"spam\",\"datasets\":[{\"key\":\"datasets/spam/good.jsonl\"}]}", "adapterloop.other",
                "ce_type is 'adapterloop.other'");
        rejects("", TYPE, "no data");
        rejects("{\"task\":\"spam\",\"pad\":\"" + "x".repeat(70_000) + "\"}", TYPE, "the limit is 65536");
        rejects("[1,2]", TYPE, "must be a JSON object, got ARRAY");
        rejects("{\"datasets\":[]}", TYPE, "no 'task'");
        rejects("{\"task\":\"spam\",\"datasets\":[{}]}", TYPE, "an entry has no 'key'");
        rejects(event("datasets/spam/good.jsonl", "\"sha256\":\"abc\""), TYPE, "is not 64 hex digits");
        rejects(event("datasets/spam/good.jsonl", "\"records\":0"), TYPE, "records of datasets/spam/good.jsonl must"
                + " be >= 1, got 0");
        rejects(event("datasets/spam/empty.jsonl", null), TYPE, "datasets/spam/empty.jsonl is empty");
        rejects("{\"task\":\"small\",\"datasets\":[{\"key\":\"datasets/small/big.jsonl\"}]}", TYPE,
                "datasets/small/big.jsonl is 55 bytes, the limit is 20 "
                + "(adapterloop.tasks.small.intake.max-dataset-bytes)");
        rejects(event("datasets/spam/junk.jsonl", null), TYPE, "no valid examples: all 2 non-blank lines are malformed");
        rejects(event("datasets/spam/good.jsonl", "\"sha256\":\"" + "0".repeat(64) + "\""), TYPE,
                "the event announced " + "0".repeat(64));
        rejects(event("datasets/spam/heldout.jsonl", null), TYPE, "is the held-out set");
        rejects(event("s3://other-bucket/datasets/spam/good.jsonl", null), TYPE, "s3://other-bucket");
        rejects(event("/datasets/spam/good.jsonl", null), TYPE, "/datasets/spam/good.jsonl");
        rejects("{\"task\":\"nohold\",\"datasets\":[{\"key\":\"datasets/nohold/a.jsonl\"}]}", TYPE,
                "task 'nohold' has no held-out-key configured");
        StringBuilder many = new StringBuilder("{\"task\":\"spam\",\"datasets\":[");
        for (int i = 0; i < 101; i++) {
            many.append(i == 0 ? "" : ",").append("{\"key\":\"datasets/spam/good.jsonl\"}");
        }
        rejects(many.append("]}").toString(), TYPE, "names 101 datasets, at most 100");
    }

    @Test
    void aDatasetKeyNamedTwiceInOneEventIsRejected() {
        rejects("{\"task\":\"spam\",\"datasets\":[{\"key\":\"datasets/spam/good.jsonl\"},"
                + "{\"key\":\"datasets/spam/mixed.jsonl\"},{\"key\":\"datasets/spam/good.jsonl\",\"records\":1}]}",
                TYPE, "datasets: datasets/spam/good.jsonl is named more than once in one event");
    }

    @Test
    void anEventNamesItsOwnHeldOutSetOnlyWhereTheTaskAllowsIt() throws Exception {
        rejects(withHeldOut("spam", "datasets/spam/good.jsonl", "datasets/spam/other-heldout.jsonl"), TYPE,
                "heldOut: the event names datasets/spam/other-heldout.jsonl, but task 'spam' evaluates on its"
                        + " configured held-out set datasets/spam/heldout.jsonl; events may name another only with"
                        + " adapterloop.tasks.spam.intake.allow-event-held-out=true");
        rejects(withHeldOut("nohold", "datasets/nohold/a.jsonl", "datasets/nohold/heldout.jsonl"), TYPE,
                "no held-out set it chose itself (no held-out-key configured)");
        // Naming the configured set is what the main job and the tests' events do: accepted.
        assertThat(validator.validate(withHeldOut("spam", "datasets/spam/good.jsonl", "datasets/spam/heldout.jsonl"),
                "event-h1", TYPE).heldOut().key()).isEqualTo("datasets/spam/heldout.jsonl");
        assertThat(validator.validate(withHeldOut("open", "datasets/open/good.jsonl",
                "datasets/open/other-heldout.jsonl"), "event-h2", TYPE).heldOut().key())
                .isEqualTo("datasets/open/other-heldout.jsonl");
    }

    private static String withHeldOut(String task, String key, String heldOut) {
        return "{\"task\":\"" + task + "\",\"datasets\":[{\"key\":\"" + key + "\"}],\"heldOut\":{\"key\":\""
                + heldOut + "\"}}";
    }

    private static String event(String key, String extra) {
        return "{\"task\":\"spam\",\"datasets\":[{\"key\":\"" + key + "\"" + (extra == null ? "" : "," + extra)
                + "}]}";
    }

    private static void rejects(String payload, String type, String reason) {
        assertThatThrownBy(() -> validator.validate(payload, "event-x", type))
                .as("payload %s", payload.length() > 80 ? payload.substring(0, 80) + "..." : payload)
                .isInstanceOf(InvalidEventException.class).hasMessageContaining(reason);
    }
}
