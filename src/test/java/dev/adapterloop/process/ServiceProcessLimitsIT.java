package dev.adapterloop.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.embedded.EmbeddedKafka;
import dev.adapterloop.embedded.EmbeddedS3;
import dev.adapterloop.events.LabeledDataEvent;
import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.registry.AliasStore;
import dev.adapterloop.registry.ObjectStore;
import dev.adapterloop.serving.ServingFixtures;
import dev.adapterloop.testing.BundledModel;
import dev.adapterloop.testing.KafkaTestClient;
import dev.adapterloop.testing.PipelineTestData;
import dev.adapterloop.testing.SpamSample;
import dev.adapterloop.testing.TestApiKeys;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The packaged service in a 256 MB heap (and {@code -XX:+ExitOnOutOfMemoryError}, so that running out would end it)
 * under 48 concurrent prediction requests of the largest body a request may have (64 texts of 20,000 characters,
 * each written as a JSON escape: 7.7 MB) and 8 of 9 MB: every request is answered 200, 413 or 429, and afterwards
 * the service is alive and answers a normal prediction. Reading whole bodies before the batch limit, the same load
 * needed gigabytes. Prints the figures it measures.
 */
class ServiceProcessLimitsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUCKET = "adapterloop-limits-it";
    private static final String TASK = "spam";
    private static final int PERMITS = 4;
    private static final int MAX_SIZE_REQUESTS = 48;
    private static final int OVERSIZED_REQUESTS = 8;
    private static final String HELD_OUT = "datasets/" + TASK + "/limits-heldout.jsonl";

    private static Path root;
    private static EmbeddedKafka kafka;
    private static EmbeddedS3 s3;
    private static ObjectStore store;
    private static ServiceProcess service;

    @BeforeAll
    static void startServiceWithAChampion() throws Exception {
        root = Path.of("target", "it-service-limits").toAbsolutePath();
        deleteRecursively(root);
        kafka = EmbeddedKafka.start(root.resolve("kafka"));
        s3 = EmbeddedS3.start(EmbeddedS3.Settings.of(root.resolve("s3"), "it-access-key", "it-secret-key-123"));
        store = ObjectStore.create(s3.endpoint(), "it-access-key", "it-secret-key-123", BUCKET);
        store.ensureBucket();
        kafka.createTopics("labeled-data", "labeled-data-dlq", "adapter-predictions", "adapter-predictions-dlq",
                "adapter-training", "adapter-evaluations");
        AdapterRegistry registry = new AdapterRegistry(store);
        ServingFixtures.ensureBaseModel(registry);
        ServingFixtures.publishVersion(registry, BundledModel.encoder(), TASK, "v-limits", 3);
        AliasStore aliases = new AliasStore(registry, Clock.systemUTC());
        assertThat(aliases.compareAndSet(aliases.read(TASK), "champion", "v-limits", "test", "test")).isTrue();

        Map<String, String> config = new TreeMap<>();
        config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        config.put("adapterloop.s3.endpoint", s3.endpoint());
        config.put("adapterloop.s3.access-key", "it-access-key");
        config.put("adapterloop.s3.secret-key", "it-secret-key-123");
        config.put("adapterloop.s3.bucket", BUCKET);
        config.put("adapterloop.tasks." + TASK + ".labels", "ham,spam");
        config.put("adapterloop.tasks." + TASK + ".held-out-key", HELD_OUT);
        config.put("adapterloop.tasks." + TASK + ".training.max-steps", "6");
        config.put("adapterloop.tasks." + TASK + ".training.max-sequence-length", "32");
        config.put("adapterloop.serving.max-concurrent-requests", String.valueOf(PERMITS));
        config.put("adapterloop.serving.max-sequence-length", "8"); // the limits are the subject, not inference
        config.put("adapterloop.serving.alias-poll-interval", "500ms");
        service = new ServiceProcess("limits", root.resolve("service"), config, List.of("-Xmx256m",
                "-XX:+ExitOnOutOfMemoryError", "-Xlog:gc:file=" + root.resolve("gc.log")));
        service.start(Duration.ofMinutes(2));
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (service != null) {
            System.out.printf("---- %s (%s):%n%s%n", service.name(), service.isAlive() ? "alive" : "dead",
                    service.tail());
            service.kill(); // a clean stop is not the subject here, and takes seconds
        }
        if (store != null) {
            store.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    @Timeout(120)
    void manyConcurrentMaximumSizeBodiesAreAnsweredAndTheServiceLivesOn() throws Exception {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            awaitChampion(client);
            byte[] maximum = maximumSizeBody();
            byte[] oversized = new byte[9 * 1024 * 1024];
            java.util.Arrays.fill(oversized, (byte) ' ');

            long started = System.nanoTime();
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < MAX_SIZE_REQUESTS + OVERSIZED_REQUESTS; i++) {
                byte[] body = i % 7 == 3 && i / 7 < OVERSIZED_REQUESTS ? oversized : maximum;
                answers.add(client.sendAsync(predictions(body), HttpResponse.BodyHandlers.ofString()));
            }
            Map<Integer, Integer> byStatus = new TreeMap<>();
            Map<String, Integer> byType = new TreeMap<>();
            for (CompletableFuture<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get();
                byStatus.merge(response.statusCode(), 1, Integer::sum);
                if (response.statusCode() != 200) {
                    byType.merge(JSON.readTree(response.body()).path("type").asText(), 1, Integer::sum);
                    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
                }
                if (response.statusCode() == 429) {
                    assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
                }
            }
            long burstMillis = (System.nanoTime() - started) / 1_000_000;
            System.out.printf("ServiceProcessLimitsIT figure: %d requests (%d of %d bytes, %d of %d bytes) in %d ms:"
                            + " status %s, types %s%n", answers.size(), MAX_SIZE_REQUESTS, maximum.length,
                    OVERSIZED_REQUESTS, oversized.length, burstMillis, byStatus, byType);

            assertThat(byStatus.keySet()).as("statuses").isSubsetOf(200, 413, 429);
            assertThat(byType.getOrDefault("https://adapterloop.dev/problems/request-too-large", 0))
                    .as("the 9 MB bodies").isEqualTo(OVERSIZED_REQUESTS);
            assertThat(byStatus.getOrDefault(200, 0)).as("maximum-size bodies answered").isPositive();
            assertThat(byStatus.getOrDefault(429, 0)).as("refused beyond %d in flight", PERMITS).isPositive();

            assertThat(service.isAlive()).as("the service survived").isTrue();
            assertThat(service.logText()).doesNotContain("OutOfMemoryError");
            HttpResponse<String> normal = client.send(predictions("{\"text\":\"Claim your FREE prize now\"}"
                    .getBytes(StandardCharsets.UTF_8)), HttpResponse.BodyHandlers.ofString());
            assertThat(normal.statusCode()).as(normal.body()).isEqualTo(200);
            assertThat(JSON.readTree(normal.body()).path("version").asText()).isEqualTo("v-limits");
            System.out.printf("ServiceProcessLimitsIT figure: heap after the burst %s; the most in use when a"
                    + " collection started: %d MB%n", heap(client), peakBeforeCollection());
        }
    }

    /**
     * Datasets that used to exhaust the heap, announced over Kafka: 10 million one-character lines, and 1.5 million
     * valid records of one character each (40 MB, far under the 512 MiB byte limit; the old intake kept every record).
     * Intake refuses both to the DLQ at the record cap (1,000,000 non-blank lines) while it streams them; the service
     * lives, and the normal event sent after them trains a version.
     */
    @Test
    @Timeout(600)
    void datasetsOfMillionsOfTinyLinesAreRefusedAndTheNextEventTrains() throws Exception {
        AdapterRegistry registry = new AdapterRegistry(store);
        registry.putDataset(TASK, "datasets/spam/ten-million-lines.jsonl",
                "a\n".repeat(10_000_000).getBytes(StandardCharsets.US_ASCII));
        registry.putDataset(TASK, "datasets/spam/tiny-records.jsonl",
                "{\"text\":\"a\",\"label\":\"ham\"}\n".repeat(1_500_000).getBytes(StandardCharsets.US_ASCII));
        PipelineTestData.put(registry, TASK, HELD_OUT, SpamSample.heldOut(20));
        PipelineTestData.put(registry, TASK, "datasets/spam/limits-train.jsonl", SpamSample.train(40));
        try (KafkaTestClient kafka = new KafkaTestClient(ServiceProcessLimitsIT.kafka.bootstrapServers())) {
            String lines = kafka.sendCloudEvent("labeled-data", TASK, LabeledDataEvent.TYPE,
                    "{\"task\":\"spam\",\"datasets\":[{\"key\":\"datasets/spam/ten-million-lines.jsonl\"}]}");
            String records = kafka.sendCloudEvent("labeled-data", TASK, LabeledDataEvent.TYPE,
                    "{\"task\":\"spam\",\"datasets\":[{\"key\":\"datasets/spam/tiny-records.jsonl\"}]}");
            String normal = kafka.sendCloudEvent("labeled-data", TASK, LabeledDataEvent.TYPE,
                    "{\"task\":\"spam\",\"datasets\":[{\"key\":\"datasets/spam/limits-train.jsonl\"}]}");

            List<ConsumerRecord<String, String>> dead = kafka.readUntil("labeled-data-dlq", Duration.ofMinutes(3),
                    seen -> seen.stream().map(r -> KafkaTestClient.header(r, "ce_id")).toList()
                            .containsAll(List.of(lines, records)));
            for (String refused : List.of(lines, records)) {
                String reason = dead.stream().filter(r -> refused.equals(KafkaTestClient.header(r, "ce_id")))
                        .map(r -> KafkaTestClient.header(r, "dead-letter-reason")).findFirst().orElseThrow();
                assertThat(reason).contains("more than 1000000 records").contains("intake.max-records");
            }
            JsonNode evaluation = PipelineTestData.evaluationOf(kafka, normal);
            assertThat(evaluation.at("/candidate/version").asText()).isNotBlank();
            assertThat(dead.stream().map(r -> KafkaTestClient.header(r, "ce_id"))).doesNotContain(normal);
        }
        assertThat(service.isAlive()).as("the service survived").isTrue();
        assertThat(service.logText()).doesNotContain("OutOfMemoryError");
        System.out.printf("ServiceProcessLimitsIT figure: after the tiny-line datasets, the most heap in use when a"
                + " collection started: %d MB%n", peakBeforeCollection());
    }

    /** 64 texts of 20,000 characters, each character escaped ({@code \u00e9}, 6 bytes): just under the limit. */
    private static byte[] maximumSizeBody() {
        String text = "\"" + "\\u00e9".repeat(20_000) + "\"";
        StringBuilder body = new StringBuilder("{\"key\":\"user-1\",\"texts\":[");
        for (int i = 0; i < 64; i++) {
            body.append(i == 0 ? "" : ",").append(text);
        }
        byte[] bytes = body.append("]}").toString().getBytes(StandardCharsets.US_ASCII);
        assertThat((long) bytes.length).as("within max-batch x (6 x max-text-chars + 3) + 64 KiB")
                .isLessThanOrEqualTo(64L * (6 * 20_000 + 3) + 64 * 1024).isGreaterThan(7_600_000);
        return bytes;
    }

    private static void awaitChampion(HttpClient client) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline) {
            last = client.send(predictions("{\"text\":\"hello\"}".getBytes(StandardCharsets.UTF_8)),
                    HttpResponse.BodyHandlers.ofString());
            if (last.statusCode() == 200) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no champion served within 60 s: " + (last == null ? "" : last.body()));
    }

    private static HttpRequest predictions(byte[] body) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + service.httpPort() + "/api/tasks/" + TASK
                        + "/predictions")).timeout(Duration.ofSeconds(90))
                .header("Content-Type", "application/json")
                .header(TestApiKeys.AUTHORIZATION, TestApiKeys.bearer(TestApiKeys.ADMIN))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    /** Heap used and its maximum, from the service's own metrics. */
    private static String heap(HttpClient client) throws Exception {
        String metrics = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + service.httpPort()
                + "/q/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        return String.format(java.util.Locale.ROOT, "%.0f MB used of %.0f MB max",
                sum(metrics, "jvm_memory_used_bytes") / 1e6, sum(metrics, "jvm_memory_max_bytes") / 1e6);
    }

    /** From the service's GC log ("Pause Young (Allocation Failure) 70M->12M(247M) 3.1ms"): the largest "before". */
    private static long peakBeforeCollection() throws IOException {
        Matcher matcher = Pattern.compile("(\\d+)M->\\d+M\\(\\d+M\\)")
                .matcher(Files.readString(root.resolve("gc.log")));
        long peak = 0;
        while (matcher.find()) {
            peak = Math.max(peak, Long.parseLong(matcher.group(1)));
        }
        return peak;
    }

    private static double sum(String metrics, String name) {
        Matcher matcher = Pattern.compile("(?m)^" + name + "\\{[^}]*area=\"heap\"[^}]*} (\\S+)$").matcher(metrics);
        double total = 0;
        while (matcher.find()) {
            total += Math.max(0, Double.parseDouble(matcher.group(1)));
        }
        return total;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
