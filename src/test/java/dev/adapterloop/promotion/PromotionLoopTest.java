package dev.adapterloop.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.bundled.BundledAssets;
import dev.adapterloop.bundled.CorpusSplits;
import dev.adapterloop.bundled.SpamAssassinCorpus;
import dev.adapterloop.dataset.LabeledExample;
import dev.adapterloop.events.DatasetRef;
import dev.adapterloop.events.LabeledDataEvent;
import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.registry.AliasStore;
import dev.adapterloop.registry.AliasTarget;
import dev.adapterloop.testing.EmbeddedInfraResource;
import dev.adapterloop.testing.KafkaTestClient;
import dev.adapterloop.testing.PipelineTestData;
import dev.adapterloop.testing.TestApiKeys;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 6's whole loop over a real Kafka broker, a real S3 server and the real engine, on the test-only task
 * {@value #TASK} (application.properties, section Tests): a labeled-data event trains a first version, which the
 * offline gate makes champion; a second event trains a clearly better one, which the gate makes challenger on a
 * significant McNemar test; serving gives the challenger half of the routing keys; client threads send predictions
 * and feedback with the true labels until the online test promotes the challenger (an {@code adapter-promotions}
 * event with its evidence); serving then answers with the new champion, and no request fails before, during or after
 * the swap.
 *
 * <p>The first version is made weak on purpose: half of its training data's spam is labelled ham, so it learns to let
 * spam through and is clearly worse than the second, trained on clean data. Both versions train cold (no warm start).
 */
@QuarkusTest
@Tag("quarkus")
@QuarkusTestResource(value = EmbeddedInfraResource.class, restrictToAnnotatedClass = true)
class PromotionLoopTest {

    private static final String TASK = "abtest";
    private static final String WEAK_KEY = "datasets/abtest/weak-train.jsonl";
    private static final String CLEAN_KEY = "datasets/abtest/clean-train.jsonl";
    /** Also the task's configured held-out key. */
    private static final String HELD_OUT_KEY = "datasets/abtest/heldout.jsonl";
    private static final int TRAIN_EXAMPLES = 384;
    private static final int HELD_OUT_EXAMPLES = 240;
    private static final int CLIENTS = 3;
    private static final int MAX_TEXT_CHARS = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AdapterRegistry registry;

    @Inject
    AliasStore aliases;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @TestHTTPResource("/api/tasks/" + TASK + "/predictions")
    URL predictions;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    @Timeout(900)
    void aBetterChallengerIsPromotedOnFeedbackAndSwappedInWithoutAFailedRequest() throws Exception {
        long started = System.nanoTime();
        BundledAssets.ensureModel(registry, Path.of("target", "test-data", "work"));
        CorpusSplits splits = SpamAssassinCorpus.loadBundled().splits();
        List<LabeledExample> train = PipelineTestData.shuffled(splits.train(), 20261123L);
        List<LabeledExample> heldOutExamples = PipelineTestData.shuffled(splits.heldOut(), 20261123L).subList(0, HELD_OUT_EXAMPLES);
        DatasetRef weak = PipelineTestData.put(registry, TASK, WEAK_KEY,
                halfTheSpamLabelledHam(train.subList(0, TRAIN_EXAMPLES)));
        DatasetRef clean = PipelineTestData.put(registry, TASK, CLEAN_KEY,
                train.subList(TRAIN_EXAMPLES, 2 * TRAIN_EXAMPLES));
        DatasetRef heldOut = PipelineTestData.put(registry, TASK, HELD_OUT_KEY, heldOutExamples);

        try (KafkaTestClient kafka = new KafkaTestClient(bootstrapServers);
             KafkaProducer<String, String> feedback = producer()) {
            // 1. The first version: the gate's value thresholds only (no champion yet) make it champion.
            JsonNode first = PipelineTestData.evaluationOf(kafka, kafka.sendCloudEvent("labeled-data", TASK,
                    LabeledDataEvent.TYPE,
                    JSON.writeValueAsString(new LabeledDataEvent(TASK, List.of(weak), heldOut))));
            System.out.printf("promotion loop: first version %s, verdict %s, metrics %s%n",
                    first.at("/candidate/version").asText(), first.get("verdict").asText(), first.get("metrics"));
            assertThat(first.get("verdict").asText()).as("%s", first).isEqualTo("promote-to-champion");
            String champion = first.at("/candidate/version").asText();
            assertThat(alias(AliasStore.CHAMPION)).contains(champion);

            // 2. The second version: better on the same held-out examples by a significant McNemar test.
            JsonNode second = PipelineTestData.evaluationOf(kafka, kafka.sendCloudEvent("labeled-data", TASK,
                    LabeledDataEvent.TYPE,
                    JSON.writeValueAsString(new LabeledDataEvent(TASK, List.of(clean), heldOut))));
            System.out.printf("promotion loop: second version %s, verdict %s, evidence %s%n",
                    second.at("/candidate/version").asText(), second.get("verdict").asText(),
                    second.get("evidence"));
            assertThat(second.get("verdict").asText()).as("%s", second).isEqualTo("promote-to-challenger");
            String challenger = second.at("/candidate/version").asText();
            assertThat(challenger).isNotEqualTo(champion);
            JsonNode significance = second.at("/evidence/significance");
            assertThat(significance.get("test").asText()).isEqualTo("exact-mcnemar");
            assertThat(significance.get("n").asInt()).isEqualTo(HELD_OUT_EXAMPLES);
            assertThat(significance.get("significant").asBoolean()).isTrue();
            assertThat(significance.get("b").asInt()).isGreaterThan(significance.get("c").asInt());
            assertThat(second.at("/evidence/champion").asText()).isEqualTo(champion);
            assertThat(alias(AliasStore.CHAMPION)).contains(champion);
            assertThat(alias(AliasStore.CHALLENGER)).contains(challenger);

            // 3. Serving: both versions answer, each for about half of the routing keys.
            Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                Map<String, Long> variants = new java.util.TreeMap<>();
                for (int i = 0; i < 16; i++) {
                    HttpResponse<String> answer = predict(heldOutExamples.get(i).text(), "warm-up-" + i);
                    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                    JsonNode prediction = JSON.readTree(answer.body());
                    variants.merge(prediction.get("variant").asText() + "=" + prediction.get("version").asText(),
                            1L, Long::sum);
                }
                assertThat(variants).containsOnlyKeys("champion=" + champion, "challenger=" + challenger);
            });

            // 4. Traffic and feedback until the online test promotes the challenger; traffic goes on over the swap.
            Traffic traffic = new Traffic(heldOutExamples, feedback);
            long trafficStarted = System.nanoTime();
            traffic.start();
            long promotedAt;
            try {
                Awaitility.await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofMillis(20))
                        .until(() -> alias(AliasStore.CHAMPION).equals(Optional.of(challenger))
                                || traffic.failed.get() > 0);
                promotedAt = System.nanoTime();
                traffic.feedbackOn.set(false);
                // The swap: the first answer by the new champion as champion, while the clients go on.
                Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                        .until(() -> traffic.newChampionSince(challenger, promotedAt) != null
                                || traffic.failed.get() > 0);
                // A little more traffic after the swap: the old champion's slot is released under load.
                Thread.sleep(2_000);
            } finally {
                traffic.stop();
            }
            assertThat(traffic.failures).as("every request answered").isEmpty();
            assertThat(traffic.failed.get()).isZero();
            Long swapped = traffic.newChampionSince(challenger, promotedAt);
            assertThat(swapped).as("the new champion answered as champion").isNotNull();
            long swappedAt = swapped;
            long holdBackLate = traffic.answers.stream().filter(a -> a.sent > swappedAt
                    && a.version.equals(challenger) && a.variant.equals("challenger")).mapToLong(Traffic.Answer::at)
                    .max().orElse(swappedAt);
            System.out.printf("promotion loop: %d requests (%d failed), %d feedback events sent until the promotion"
                            + " was seen, %.1f s of traffic; %d requests between the alias change and the swap;"
                            + " swap seen %.0f ms after the alias change; the hold-back share answered by the new"
                            + " champion for %.0f ms after the swap; test %.1f s%n",
                    traffic.answers.size() + traffic.failed.get(), traffic.failed.get(), traffic.feedbackSent.get(),
                    (promotedAt - trafficStarted) / 1e9,
                    traffic.answers.stream().filter(a -> a.at >= promotedAt && a.at <= swappedAt).count(),
                    (swappedAt - promotedAt) / 1e6, (holdBackLate - swappedAt) / 1e6,
                    (System.nanoTime() - started) / 1e9);
            // Requests sent after the swap: the champion's share is the new champion's. The challenger's share (the
            // previous champion as hold-back) may still be answered by the new champion for a poll or two: the
            // promotion moves the champion alias first and the challenger alias in a second compare-and-set.
            assertThat(traffic.answers.stream().filter(a -> a.sent > swappedAt))
                    .as("requests sent after the swap").isNotEmpty()
                    .allSatisfy(a -> assertThat(a.version + "/" + a.variant).isIn(
                            challenger + "/champion", champion + "/challenger", challenger + "/challenger"));

            // 5. The decision's event: the online test's evidence, and the aliases it moved.
            List<ConsumerRecord<String, String>> promotions = kafka.readUntil("adapter-promotions",
                    Duration.ofSeconds(30), seen -> seen.stream().anyMatch(r -> isOnlinePromotion(r, challenger)));
            ConsumerRecord<String, String> event = promotions.stream().filter(r -> isOnlinePromotion(r, challenger))
                    .findFirst().orElseThrow(() -> new AssertionError("no promotion event for " + challenger + " in "
                            + promotions.stream().map(ConsumerRecord::value).toList()));
            JsonNode promoted = JSON.readTree(event.value());
            System.out.printf("promotion loop: promotion event %s%n", promoted);
            assertThat(event.key()).isEqualTo(TASK);
            assertThat(promoted.get("from").asText()).isEqualTo(champion);
            JsonNode evidence = promoted.get("evidence");
            assertThat(evidence.get("outcome").asText()).isEqualTo("promote");
            assertThat(evidence.get("champion").asText()).isEqualTo(champion);
            assertThat(evidence.get("challenger").asText()).isEqualTo(challenger);
            assertThat(evidence.get("effect").asDouble()).isPositive();
            assertThat(evidence.get("pValue").asDouble()).isLessThanOrEqualTo(evidence.get("alpha").asDouble());
            assertThat(evidence.at("/challengerArm/samples").asLong()).isGreaterThanOrEqualTo(40);
            assertThat(evidence.at("/championArm/samples").asLong()).isGreaterThanOrEqualTo(40);
            assertThat(evidence.get("guardrails")).isNotEmpty()
                    .allSatisfy(g -> assertThat(g.get("judged").asBoolean() && g.get("passed").asBoolean())
                            .as("guardrail %s", g).isTrue());
            // The previous champion stays as the hold-back challenger while the new champion is monitored.
            assertThat(alias(AliasStore.CHAMPION)).contains(challenger);
            assertThat(alias(AliasStore.CHALLENGER)).contains(champion);
        }
    }

    /** Client threads: predictions with distinct routing keys, each followed by feedback with the true label. */
    private final class Traffic {
        /** {@code sent}, {@code at}: when the request was sent and when its answer came (nanoTime). */
        record Answer(long sent, long at, String version, String variant) {
        }

        final List<LabeledExample> examples;
        final KafkaProducer<String, String> feedback;
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicBoolean feedbackOn = new AtomicBoolean(true);
        final AtomicInteger feedbackSent = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        final ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        final List<Future<?>> running_ = new ArrayList<>();

        Traffic(List<LabeledExample> examples, KafkaProducer<String, String> feedback) {
            this.examples = examples;
            this.feedback = feedback;
        }

        void start() {
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                running_.add(clients.submit(() -> {
                    for (int i = client; running.get(); i += CLIENTS) {
                        send(examples.get(i % examples.size()), "client-" + client + "-" + i);
                    }
                    return null;
                }));
            }
        }

        private void send(LabeledExample example, String key) throws Exception {
            HttpResponse<String> answer;
            long sent = System.nanoTime();
            try {
                answer = predict(example.text(), key);
            } catch (Exception e) {
                failed.incrementAndGet();
                failures.add(key + ": " + e);
                return;
            }
            long at = System.nanoTime();
            if (answer.statusCode() != 200) {
                failed.incrementAndGet();
                failures.add(key + ": HTTP " + answer.statusCode() + " " + answer.body());
                return;
            }
            JsonNode prediction = JSON.readTree(answer.body());
            answers.add(new Answer(sent, at, prediction.get("version").asText(), prediction.get("variant").asText()));
            if (feedbackOn.get()) {
                String data = JSON.writeValueAsString(Map.of("predictionId", prediction.get("predictionId").asText(),
                        "label", example.label()));
                ProducerRecord<String, String> record = new ProducerRecord<>("prediction-feedback", TASK, data);
                Map.of("ce_specversion", "1.0", "ce_id", UUID.randomUUID().toString(), "ce_type",
                                "adapterloop.feedback", "ce_source", "urn:test", "ce_subject", TASK,
                                "content-type", "application/json")
                        .forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
                feedback.send(record);
                feedbackSent.incrementAndGet();
            }
        }

        /** When the new champion first answered as champion after {@code since}, or null. */
        Long newChampionSince(String version, long since) {
            return answers.stream().filter(a -> a.at >= since && a.version.equals(version)
                    && a.variant.equals("champion")).map(Answer::at).min(Long::compare).orElse(null);
        }

        void stop() throws Exception {
            running.set(false);
            for (Future<?> client : running_) {
                client.get();
            }
            clients.shutdown();
        }
    }

    /**
     * One prediction. Texts are cut to {@value #MAX_TEXT_CHARS} characters (the test profile's max-text-chars is
     * 2,000): serving reads only the first 32 tokens of a text in tests, far fewer characters than that.
     */
    private HttpResponse<String> predict(String text, String key) throws Exception {
        String body = JSON.writeValueAsString(Map.of("text",
                text.length() > MAX_TEXT_CHARS ? text.substring(0, MAX_TEXT_CHARS) : text, "key", key));
        return http.send(TestApiKeys.asPredictor(HttpRequest.newBuilder(URI.create(predictions.toString())))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static boolean isOnlinePromotion(ConsumerRecord<String, String> record, String version) {
        if (!"adapterloop.adapter.promoted".equals(KafkaTestClient.header(record, "ce_type"))) {
            return false;
        }
        try {
            JsonNode event = JSON.readTree(record.value());
            return "champion".equals(event.path("alias").asText()) && version.equals(event.path("to").asText())
                    && event.path("evidence").has("outcome");
        } catch (Exception e) {
            return false;
        }
    }

    private Optional<String> alias(String name) {
        return aliases.read(TASK).alias(name).map(AliasTarget::version);
    }

    /** Every other spam example labelled ham: a model that lets about half of the spam through. */
    private static List<LabeledExample> halfTheSpamLabelledHam(List<LabeledExample> examples) {
        int[] spam = {0};
        return examples.stream().map(e -> e.label().equals("spam") && spam[0]++ % 2 == 0
                ? new LabeledExample(e.text(), "ham") : e).collect(Collectors.toList());
    }

    private KafkaProducer<String, String> producer() {
        java.util.Properties p = new java.util.Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }
}
