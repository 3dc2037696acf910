package dev.adapterloop.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.adapters.AdapterMethods;
import dev.adapterloop.adapters.SharedHyperparameters;
import dev.adapterloop.adapters.TargetModules;
import dev.adapterloop.bundled.CorpusSplits;
import dev.adapterloop.bundled.SpamAssassinCorpus;
import dev.adapterloop.config.TasksConfig;
import dev.adapterloop.dataset.LabeledExample;
import dev.adapterloop.events.AdapterManifest;
import dev.adapterloop.events.DatasetRef;
import dev.adapterloop.events.LabeledDataEvent;
import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.registry.AliasStore;
import dev.adapterloop.registry.AliasTarget;
import dev.adapterloop.testing.EmbeddedInfraResource;
import dev.adapterloop.testing.KafkaTestClient;
import dev.adapterloop.testing.PipelineTestData;
import dev.adapterloop.testing.TestApiKeys;
import dev.adapterloop.testing.TinyDecoderPretraining;
import dev.adapterloop.training.JobOutcome;
import dev.adapterloop.training.JobSettings;
import dev.adapterloop.training.TrainingJob;
import dev.adapterloop.training.TrainingJobRunner;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A classification task on a decoder, over the real Kafka broker and S3 server, through the pipeline the encoder's
 * tasks use: a small Llama-shaped decoder is pretrained from scratch here on the bundled emails and imported; a
 * labeled-data event trains its first adapter, the offline gate makes it champion, serving answers with it; then every
 * other method trains on the same data through the same job runner and is judged by the gate against it.
 */
@QuarkusTest
@Tag("quarkus")
@QuarkusTestResource(value = EmbeddedInfraResource.class, restrictToAnnotatedClass = true)
class DecoderTaskPipelineTest {

    private static final String TASK = "decoder";
    private static final String MODEL = "tiny-decoder";
    private static final String TRAIN_KEY = "datasets/decoder/train.jsonl";
    private static final String HELD_OUT_KEY = "datasets/decoder/heldout.jsonl";
    private static final String GEN_TASK = "decoder-gen";
    /** adapterloop.tasks.decoder-gen.promotion.feedback-datasets.records-per-dataset in the test profile. */
    private static final int FEEDBACK_RECORDS = 32;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TinyDecoderPretraining.Result pretrained;

    @Inject
    AdapterRegistry registry;

    @Inject
    AliasStore aliases;

    @Inject
    TrainingJobRunner runner;

    @Inject
    TasksConfig tasks;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @TestHTTPResource("/api/tasks/" + TASK + "/predictions")
    URL predictions;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    @Timeout(900)
    void aDecoderTaskTrainsFromAnEventIsPromotedAndServedAndEveryMethodTrainsOnIt() throws Exception {
        CorpusSplits splits = SpamAssassinCorpus.loadBundled().splits();
        List<LabeledExample> train = PipelineTestData.shuffled(splits.train(), 20261207L);
        List<LabeledExample> heldOutExamples = PipelineTestData.shuffled(splits.heldOut(), 20261207L).subList(0, 300);
        importPretrainedDecoder(train);
        DatasetRef trainData = PipelineTestData.put(registry, TASK, TRAIN_KEY, train.subList(0, 384));
        DatasetRef heldOut = PipelineTestData.put(registry, TASK, HELD_OUT_KEY, heldOutExamples);

        try (KafkaTestClient kafka = new KafkaTestClient(bootstrapServers)) {
            String eventId = kafka.sendCloudEvent("labeled-data", TASK, LabeledDataEvent.TYPE,
                    JSON.writeValueAsString(new LabeledDataEvent(TASK, List.of(trainData), heldOut)));
            JsonNode first = PipelineTestData.evaluationOf(kafka, eventId);
            System.out.printf("decoder pipeline: first version %s (%s), verdict %s, metrics %s%n",
                    first.at("/candidate/version").asText(), first.at("/candidate/method").asText(),
                    first.get("verdict").asText(), first.get("metrics"));
            assertThat(first.get("verdict").asText()).as("%s", first).isEqualTo("promote-to-champion");
            String champion = first.at("/candidate/version").asText();
            assertThat(aliases.read(TASK).alias(AliasStore.CHAMPION).map(AliasTarget::version)).contains(champion);

            // Serving picks the champion up without a restart and answers with it.
            Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                HttpResponse<String> response = predict(heldOutExamples.getFirst().text());
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                JsonNode body = JSON.readTree(response.body());
                assertThat(body.toString()).contains(champion);
                assertThat(body.toString()).containsAnyOf("\"ham\"", "\"spam\"");
            });

            // Every other method, through the same runner, on the same data; the gate judges each.
            JobSettings configured = JobSettings.of(tasks.tasks().get(TASK));
            for (String method : AdapterMethods.names()) {
                if (method.equals(configured.method().name())) {
                    continue;
                }
                String jobId = "decoder-" + method;
                JobOutcome outcome = runner.run(new TrainingJob(jobId, TASK, jobId, List.of(trainData), heldOut),
                        configured.withMethod(AdapterMethods.create(method, new SharedHyperparameters(8, 16, 0,
                                TargetModules.of("q_proj", "v_proj", "o_proj", "down_proj")))));
                assertThat(outcome.succeeded()).as("%s: %s", method, outcome.failure()).isTrue();
                JsonNode evaluation = PipelineTestData.evaluationOf(kafka, jobId);
                System.out.printf("decoder pipeline: %s version %s accuracy %.3f (majority %.3f), loss %.3f ->"
                                + " %.3f, verdict %s%n", method, outcome.version(), outcome.report().accuracy(),
                        outcome.report().majorityBaseline(), outcome.training().lossCurve().getFirst(),
                        outcome.training().finalLoss(5), evaluation.get("verdict").asText());
                assertThat(evaluation.at("/candidate/method").asText()).isEqualTo(method);
                assertThat(evaluation.get("verdict").asText()).isNotEqualTo("ungated");
                AdapterManifest manifest = registry.manifest(TASK, outcome.version()).orElseThrow();
                assertThat(manifest.method()).isEqualTo(method);
                assertThat(manifest.baseModel()).isEqualTo(MODEL);
            }
        }
    }

    /**
     * A generation task on the same decoder: prompt → completion records (the first words of an email → "yes" for
     * spam, "no" for ham) train its first adapter from a kcat-style event (sent as kcat would: no held-out set named); the gate makes it champion because its
     * held-out loss beats the base model's; a second event's version is judged against it by the paired test;
     * {@code /generations} answers with the champion, reproducibly for a seed.
     */
    @Test
    @Timeout(900)
    void aGenerationTaskTrainsFromAnEventBeatsTheBaseIsGatedByThePairedTestAndGenerates() throws Exception {
        CorpusSplits splits = SpamAssassinCorpus.loadBundled().splits();
        List<LabeledExample> train = PipelineTestData.shuffled(splits.train(), 20261207L);
        importPretrainedDecoder(train);
        List<LabeledExample> heldOutEmails = PipelineTestData.shuffled(splits.heldOut(), 7L).subList(0, 120);
        DatasetRef first = putCompletions(GEN_TASK, "datasets/decoder-gen/first.jsonl", train.subList(0, 320));
        DatasetRef second = putCompletions(GEN_TASK, "datasets/decoder-gen/second.jsonl", train.subList(320, 960));
        DatasetRef heldOut = putCompletions(GEN_TASK, "datasets/decoder-gen/heldout.jsonl", heldOutEmails);

        try (KafkaTestClient kafka = new KafkaTestClient(bootstrapServers)) {
            // As kcat would send it: the event names only the data; the held-out set is the task's configured one.
            String firstEvent = kafka.sendCloudEvent("labeled-data", GEN_TASK, LabeledDataEvent.TYPE,
                    JSON.writeValueAsString(new LabeledDataEvent(GEN_TASK, List.of(first), null)));
            JsonNode evaluation = PipelineTestData.evaluationOf(kafka, firstEvent);
            System.out.printf("generation pipeline: first version %s, verdict %s, metrics %s%n",
                    evaluation.at("/candidate/version").asText(), evaluation.get("verdict").asText(),
                    evaluation.get("generation"));
            assertThat(evaluation.get("verdict").asText()).as("%s", evaluation).isEqualTo("promote-to-champion");
            JsonNode metrics = evaluation.get("generation");
            assertThat(metrics.get("examples").asInt()).isEqualTo(heldOutEmails.size());
            assertThat(metrics.get("meanLoss").asDouble()).isLessThan(metrics.get("baseMeanLoss").asDouble());
            assertThat(metrics.get("exactMatch").asDouble()).isBetween(0.0, 1.0);
            assertThat(evaluation.at("/evidence/baseMetrics/meanLoss").asDouble())
                    .isEqualTo(metrics.get("baseMeanLoss").asDouble());
            String champion = evaluation.at("/candidate/version").asText();
            assertThat(aliases.read(GEN_TASK).alias(AliasStore.CHAMPION).map(AliasTarget::version))
                    .contains(champion);
            AdapterManifest manifest = registry.manifest(GEN_TASK, champion).orElseThrow();
            assertThat(manifest.generates()).isTrue();
            assertThat(manifest.labels()).isEmpty();

            String secondEvent = kafka.sendCloudEvent("labeled-data", GEN_TASK, LabeledDataEvent.TYPE,
                    JSON.writeValueAsString(new LabeledDataEvent(GEN_TASK, List.of(second), null)));
            JsonNode judged = PipelineTestData.evaluationOf(kafka, secondEvent);
            System.out.printf("generation pipeline: second version %s, verdict %s, paired test %s%n",
                    judged.at("/candidate/version").asText(), judged.get("verdict").asText(),
                    judged.at("/evidence/paired"));
            JsonNode paired = judged.at("/evidence/paired");
            assertThat(paired.get("test").asText()).isEqualTo("wilcoxon-signed-rank");
            assertThat(paired.get("pairs").asInt()).isEqualTo(heldOutEmails.size());
            assertThat(judged.at("/champion/version").asText()).isEqualTo(champion);
            // The second version builds on the champion: its factors to start from, a replay of its records.
            AdapterManifest secondManifest = registry.manifest(GEN_TASK, judged.at("/candidate/version").asText())
                    .orElseThrow();
            assertThat(secondManifest.parentVersion()).isEqualTo(champion);
            @SuppressWarnings("unchecked")
            Map<String, Object> incremental = (Map<String, Object>) secondManifest.training().get("incremental");
            assertThat(incremental).as("%s", incremental).containsEntry("warmStarted", true)
                    .containsEntry("replayedFrom", List.of("datasets/decoder-gen/first.jsonl"));
            assertThat(((Number) incremental.get("replayedExamples")).intValue()).isEqualTo(320);
            boolean significant = paired.get("significant").asBoolean();
            assertThat(significant).isEqualTo(paired.get("pValue").asDouble() <= 0.05);
            if (!judged.get("verdict").asText().equals("reject")) {
                assertThat(significant).as("a challenger must have passed the paired test").isTrue();
            }

            // Served without a restart; a seed makes sampling reproducible; a routing key sticks to one variant.
            String prompt = promptOf(heldOutEmails.getFirst());
            Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                HttpResponse<String> response = generate(Map.of("prompt", prompt, "key", "user-1"));
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            });
            JsonNode greedy = JSON.readTree(generate(Map.of("prompt", prompt, "key", "user-1", "max_tokens", 4))
                    .body());
            // The 223-thousand-parameter decoder is too weak to make " yes" / " no" its greedy choice (its loss on
            // them stays near 3.5 nats, a floor its tiny tied embeddings set); the answer's form is what is checked.
            assertThat(greedy.get("completionTokens").asInt()).isBetween(0, 4);
            assertThat(greedy.get("finishReason").asText()).isIn("stop", "length");
            assertThat(greedy.get("version").asText()).isIn(champion, judged.at("/candidate/version").asText());
            assertThat(greedy.get("predictionId").asText()).isNotBlank();
            Map<String, Object> sampled = Map.of("prompt", prompt, "key", "user-2", "temperature", 1.5,
                    "seed", 1234, "max_tokens", 12);
            String once = JSON.readTree(generate(sampled).body()).get("text").asText();
            String again = JSON.readTree(generate(sampled).body()).get("text").asText();
            assertThat(again).isEqualTo(once);
            // Streamed as server-sent events: the text as it grows, then the same answer.
            Map<String, Object> streamed = new java.util.HashMap<>(sampled);
            streamed.put("stream", true);
            HttpResponse<String> events = generate(streamed);
            assertThat(events.statusCode()).as(events.body()).isEqualTo(200);
            assertThat(events.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
            StringBuilder grown = new StringBuilder();
            JsonNode done = null;
            for (String event : events.body().split("\n\n")) {
                String data = event.substring(event.indexOf("data: ") + "data: ".length());
                if (event.startsWith("event: text")) {
                    grown.append(JSON.readTree(data).get("text").asText());
                } else if (event.startsWith("event: done")) {
                    done = JSON.readTree(data);
                }
            }
            assertThat(done).as(events.body()).isNotNull();
            assertThat(done.get("text").asText()).isEqualTo(once);
            assertThat(grown.toString()).isEqualTo(once);

            // A request may name the version: the first one, whichever the aliases serve now.
            JsonNode named = JSON.readTree(generate(Map.of("prompt", prompt, "max_tokens", 4, "version", champion))
                    .body());
            assertThat(named.get("version").asText()).as(named.toString()).isEqualTo(champion);
            assertThat(named.get("variant").asText()).isEqualTo("requested");
            HttpResponse<String> noSuchVersion = generate(Map.of("prompt", prompt, "version", "v-none"));
            assertThat(noSuchVersion.statusCode()).isEqualTo(404);
            assertThat(noSuchVersion.body()).contains("unknown-version");

            HttpResponse<String> emptyPrompt = generate(Map.of("prompt", "  "));
            assertThat(emptyPrompt.statusCode()).as(emptyPrompt.body()).isEqualTo(400);
            assertThat(emptyPrompt.body()).contains("empty-text");
            HttpResponse<String> longPrompt = generate(Map.of("prompt", "y".repeat(16_001)));
            assertThat(longPrompt.statusCode()).as(longPrompt.body()).isEqualTo(413);
            assertThat(longPrompt.body()).contains("text-too-long").contains("16000");
            HttpResponse<String> classifier = post(URI.create(predictions.toString().replace("/predictions",
                    "/generations")), Map.of("prompt", prompt));
            assertThat(classifier.statusCode()).as(classifier.body()).isEqualTo(400);
            assertThat(classifier.body()).contains("wrong-task-kind").contains("/predictions");
            HttpResponse<String> unknownField = generate(Map.of("prompt", prompt, "max_token", 5));
            assertThat(unknownField.statusCode()).isEqualTo(400);
            assertThat(unknownField.body()).contains("max_token");
            HttpResponse<String> tooMany = generate(Map.of("prompt", prompt, "max_tokens", 33));
            assertThat(tooMany.statusCode()).isEqualTo(400);
            assertThat(tooMany.body()).contains("max-tokens");
            HttpResponse<String> chat = generate(Map.of("messages", List.of(Map.of("role", "user", "content", "hi"))));
            assertThat(chat.statusCode()).isEqualTo(400);
            assertThat(chat.body()).contains("has no chat template");
            HttpResponse<String> wrongKind = post(URI.create(predictions.toString().replace("/" + TASK + "/",
                    "/" + GEN_TASK + "/")), Map.of("text", prompt));
            assertThat(wrongKind.statusCode()).isEqualTo(400);
            assertThat(wrongKind.body()).contains("wrong-task-kind").contains("/generations");

            // Feedback closes the loop: each generation rated, and corrected with the completion it should have been;
            // the corrections become a prompt/completion dataset, announced on labeled-data, that trains a version.
            for (LabeledExample email : train.subList(960, 960 + FEEDBACK_RECORDS)) {
                String wanted = " " + (email.label().equals("spam") ? "yes" : "no");
                JsonNode answer = JSON.readTree(generate(Map.of("prompt", promptOf(email), "max_tokens", 4)).body());
                double reward = answer.get("text").asText().equals(wanted) ? 1 : 0;
                kafka.sendCloudEvent("prediction-feedback", GEN_TASK, "adapterloop.feedback", JSON.writeValueAsString(
                        Map.of("predictionId", answer.get("predictionId").asText(), "reward", reward,
                                "text", promptOf(email), "completion", wanted)));
            }
            // The test profile sends feedback datasets' announcements to a topic of their own (so that the feedback
            // tests start no trainings); production sends them to labeled-data. Forward this one as production would.
            org.apache.kafka.clients.consumer.ConsumerRecord<String, String> announced = kafka.readUntil(
                    "feedback-labeled-data-test", Duration.ofMinutes(2), seen -> seen.stream()
                            .anyMatch(r -> r.value().contains("\"" + GEN_TASK + "\""))).stream()
                    .filter(r -> r.value().contains("\"" + GEN_TASK + "\"")).findFirst().orElseThrow();
            kafka.sendCloudEvent("labeled-data", GEN_TASK, LabeledDataEvent.TYPE, announced.value());
            AdapterManifest fromFeedback = Awaitility.await().atMost(Duration.ofMinutes(4))
                    .pollInterval(Duration.ofSeconds(1)).until(() -> registry.listVersions(GEN_TASK).stream()
                            .map(this::generationManifest)
                            .filter(m -> m != null && m.datasets().stream()
                                    .anyMatch(d -> d.key().startsWith("datasets/decoder-gen/feedback-")))
                            .findFirst().orElse(null), java.util.Objects::nonNull);
            System.out.printf("generation pipeline: version %s trained on feedback %s, held-out loss %.3f%n",
                    fromFeedback.version(), fromFeedback.datasets(), fromFeedback.generation().meanLoss());
            assertThat(fromFeedback.datasets().getFirst().records()).isEqualTo(FEEDBACK_RECORDS);
            assertThat(fromFeedback.generation().meanLoss()).isLessThan(fromFeedback.generation().baseMeanLoss());
        }
    }

    /** Pretrains the tiny decoder once per test JVM and stores it as the tasks' base model. */
    private synchronized void importPretrainedDecoder(List<LabeledExample> train) throws Exception {
        if (pretrained == null) {
            long started = System.nanoTime();
            pretrained = TinyDecoderPretraining.pretrain(train.stream().map(LabeledExample::text).toList(),
                    Path.of("target", "test-data", MODEL), 150, 1);
            System.out.printf("decoder pipeline: %d-parameter decoder pretrained, loss %.3f -> %.3f (%.1f s)%n",
                    pretrained.parameters(), pretrained.firstLoss(), pretrained.lastLoss(),
                    (System.nanoTime() - started) / 1e9);
        }
        registry.putModel(MODEL, pretrained.folder());
    }

    private AdapterManifest generationManifest(String version) {
        try {
            return registry.manifest(GEN_TASK, version).orElse(null);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String promptOf(LabeledExample email) {
        String[] words = email.text().strip().split("\\s+");
        return String.join(" ", java.util.Arrays.copyOf(words, Math.min(words.length, 12))) + " ? answer :";
    }

    private DatasetRef putCompletions(String task, String key, List<LabeledExample> emails) throws Exception {
        StringBuilder jsonl = new StringBuilder();
        for (LabeledExample email : emails) {
            jsonl.append(JSON.writeValueAsString(Map.of("prompt", promptOf(email),
                    "completion", " " + (email.label().equals("spam") ? "yes" : "no")))).append('\n');
        }
        byte[] bytes = jsonl.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        registry.putDataset(task, key, bytes);
        return new DatasetRef(key, (long) emails.size(), dev.adapterloop.dataset.DatasetDigest.sha256Hex(bytes));
    }

    private HttpResponse<String> generate(Map<String, Object> body) throws Exception {
        return post(URI.create(predictions.toString().replace("/" + TASK + "/predictions",
                "/" + GEN_TASK + "/generations")), body);
    }

    private HttpResponse<String> post(URI uri, Map<String, Object> body) throws Exception {
        return http.send(TestApiKeys.asPredictor(HttpRequest.newBuilder(uri))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> predict(String text) throws Exception {
        String body = JSON.writeValueAsString(Map.of("text", text.length() > 1500 ? text.substring(0, 1500) : text));
        return http.send(TestApiKeys.asPredictor(HttpRequest.newBuilder(URI.create(predictions.toString())))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
