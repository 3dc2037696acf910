package dev.adapterloop.console;

import static dev.adapterloop.testing.TestApiKeys.bearer;

import dev.adapterloop.events.AdapterManifest;
import dev.adapterloop.events.TrainingCurve;
import dev.adapterloop.promotion.Promotions;
import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.registry.AliasStore;
import dev.adapterloop.registry.ObjectStore;
import dev.adapterloop.registry.PipelineRecords;
import dev.adapterloop.testing.EmbeddedInfraResource;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The measure of the console, printed, not asserted: with 10 tasks of 10 versions each (100 versions, each
 * with a manifest, a 240-point training curve and the gate's evidence; 10 job records and an A/B test per task; the
 * tasks are in the bucket, not configured), every page's API
 * calls are replayed as the page makes them (the same waves, up to 6 at once like a browser's connections to one
 * host, the key as bearer) and timed from the first request to the last answer: that is the page's server time, with
 * no bundle, no drawing. S3 calls per page are the store's own count ({@link ObjectStore#callCount}) across the
 * page's requests; background work (alias polls, trigger clock) can add one now and then, so the median is printed.
 * The first load of each page comes first (cold caches), then {@value #LOADS} loads per page.
 *
 * <p>Run: {@code ./mvnw -o test-compile && ./mvnw -o surefire:test@quarkus-tests -Dtest=ConsolePageBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}. Not part of the suite (its name is not a test's).
 */
@QuarkusTest
@Tag("quarkus")
@QuarkusTestResource(value = EmbeddedInfraResource.class, restrictToAnnotatedClass = true)
class ConsolePageBenchmark {

    private static final int TASKS = 10;
    private static final int VERSIONS = 10;
    private static final int JOBS = 10;
    private static final int CURVE_POINTS = 240;
    private static final int LOADS = 60;
    /** A browser opens at most six HTTP/1.1 connections to one host. */
    private static final int CONNECTIONS = 6;

    @Inject
    ObjectStore store;

    @Inject
    AliasStore aliases;

    @Inject
    PipelineRecords records;

    @Inject
    Promotions promotions;

    @TestHTTPResource("/")
    URL root;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final ExecutorService connections = Executors.newFixedThreadPool(CONNECTIONS);

    /** One page: its requests in waves, each wave's paths computed from nothing (the answers are not parsed). */
    private record Page(String name, List<List<String>> waves) {
    }

    @Test
    void pageLoadServerTimeAndS3CallsPerPage() throws Exception {
        seed();
        String task = task(3);
        String version = version(3, VERSIONS - 1);
        List<Page> pages = List.of(tasksPage(), versionPage(task, version), lineagePage(task), jobsPage(task),
                abPage(task));
        System.out.printf(Locale.ROOT, "console benchmark: %d tasks x %d versions, %d jobs per task, %d loads per "
                + "page, %d connections%n", TASKS, VERSIONS, JOBS, LOADS, CONNECTIONS);
        for (Page page : pages) {
            long[] first = load(page);
            long[] millis = new long[LOADS];
            long[] calls = new long[LOADS];
            for (int i = 0; i < LOADS; i++) {
                long[] measured = load(page);
                millis[i] = measured[0];
                calls[i] = measured[1];
            }
            Arrays.sort(millis);
            Arrays.sort(calls);
            System.out.printf(Locale.ROOT, "console benchmark: %-8s %2d requests | first load %4d ms, %4d S3 calls | "
                            + "then p50 %4d ms, p95 %4d ms, max %4d ms; S3 calls median %d (min %d, max %d)%n",
                    page.name(), page.waves().stream().mapToInt(List::size).sum(), first[0], first[1],
                    millis[LOADS / 2], millis[(int) Math.ceil(0.95 * LOADS) - 1], millis[LOADS - 1],
                    calls[LOADS / 2], calls[0], calls[LOADS - 1]);
        }
        connections.shutdownNow();
    }

    // The pages' calls, as src/main/resources/web/app/*-page.js make them on a fresh page load.

    private static Page tasksPage() {
        return new Page("tasks", List.of(List.of("/api/overview")));
    }

    private static Page versionPage(String task, String version) {
        return new Page("version", List.of(List.of(api(task, "versions/" + version),
                api(task, "versions/" + version + "/training-curve"), api(task, "aliases"),
                api(task, "versions/" + version + "/gate"))));
    }

    private static Page lineagePage(String task) {
        List<String> manifests = new ArrayList<>();
        int t = Integer.parseInt(task.substring(task.length() - 2));
        for (int v = 0; v < VERSIONS; v++) {
            manifests.add(api(task, "versions/" + version(t, v)));
        }
        return new Page("lineage", List.of(List.of(api(task, "versions"), api(task, "aliases"),
                api(task, "aliases/history?limit=20")), manifests));
    }

    private static Page jobsPage(String task) {
        return new Page("jobs", List.of(List.of(api(task, "jobs"), "/api/me")));
    }

    private static Page abPage(String task) {
        return new Page("ab", List.of(List.of(api(task, "experiment"))));
    }

    /** {@code [milliseconds from first request to last answer, S3 calls meanwhile]}. */
    private long[] load(Page page) throws Exception {
        long calls = store.callCount();
        long started = System.nanoTime();
        for (List<String> wave : page.waves()) {
            List<Future<Integer>> answers = new ArrayList<>();
            for (String path : wave) {
                answers.add(connections.submit(() -> get(path)));
            }
            for (Future<Integer> answer : answers) {
                int status = answer.get();
                if (status != 200) {
                    throw new IllegalStateException(page.name() + ": HTTP " + status);
                }
            }
        }
        return new long[] {(System.nanoTime() - started) / 1_000_000, store.callCount() - calls};
    }

    private int get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(root.toString().replaceAll("/$", "") + path))
                .header("Authorization", bearer(TestApiKeys.READ)).header("Accept", "application/json").GET().build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            System.out.printf("%s: %d %s%n", path, response.statusCode(),
                    new String(response.body(), StandardCharsets.UTF_8));
        }
        return response.statusCode();
    }

    private static String api(String task, String rest) {
        return "/api/tasks/" + task + "/" + rest;
    }

    private static String task(int t) {
        return String.format(Locale.ROOT, "bench-%02d", t);
    }

    private static String version(int t, int v) {
        return String.format(Locale.ROOT, "v-%02d%014d", t, v);
    }

    // The bucket: what 100 trained versions, their gates, jobs and one A/B test per task leave.

    private void seed() {
        for (int t = 0; t < TASKS; t++) {
            String task = task(t);
            for (int v = 0; v < VERSIONS; v++) {
                String version = version(t, v);
                String prefix = AdapterRegistry.adapterPrefix(task, version);
                for (String file : List.of("adapter_config.json", "adapter_model.safetensors", "head.safetensors",
                        "native/adapter.json", "native/weights.bin")) {
                    store.put(prefix + file, "{}".getBytes(StandardCharsets.UTF_8), "application/octet-stream");
                }
                store.put(prefix + TrainingCurve.FILE, curve(), "application/json");
                promotions.records().writeGate(task, version, java.util.Map.of("schemaVersion", 1, "kind",
                        "classification", "applied", "applied", "evidence", java.util.Map.of("verdict",
                                "promote-to-challenger", "examples", 300, "checks", List.of())));
                store.put(prefix + AdapterManifest.FILE, manifest(task, version, v == 0 ? null : version(t, v - 1)),
                        "application/json");
            }
            aliases.compareAndSet(task, 0, AliasStore.CHAMPION, version(t, VERSIONS - 2), "bench", "bench");
            aliases.compareAndSet(task, 1, AliasStore.CHALLENGER, version(t, VERSIONS - 1), "bench", "bench");
            for (int j = 0; j < JOBS; j++) {
                String at = String.format(Locale.ROOT, "2026-01-%02dT00:00:00Z", j + 1);
                records.write(PipelineRecords.jobKey(task, "job-bench-" + t + "-" + j), java.util.Map.ofEntries(
                        java.util.Map.entry("schemaVersion", 1),
                        java.util.Map.entry("jobId", "job-bench-" + t + "-" + j),
                        java.util.Map.entry("task", task), java.util.Map.entry("state", "SUCCEEDED"),
                        java.util.Map.entry("datasets", List.of(java.util.Map.of("key", "datasets/" + task + "/d" + j
                                + ".jsonl", "records", 100, "sha256", "a".repeat(64)))),
                        java.util.Map.entry("sourceEventIds", List.of("event-" + j)),
                        java.util.Map.entry("partition", 999), java.util.Map.entry("attempts", 1),
                        java.util.Map.entry("createdAt", at), java.util.Map.entry("updatedAt", at),
                        java.util.Map.entry("version", version(t, Math.min(j, VERSIONS - 1)))));
            }
            // Only a configured task is observed (its decider needs settings): these tasks' tests have no outcomes.
            promotions.experiments().start(task, version(t, VERSIONS - 2), version(t, VERSIONS - 1));
        }
    }

    private static byte[] curve() {
        StringBuilder points = new StringBuilder();
        for (int step = 1; step <= CURVE_POINTS; step++) {
            points.append(step == 1 ? "" : ",").append(String.format(Locale.ROOT,
                    "{\"step\":%d,\"loss\":%.6f,\"learningRate\":%.6e}", step, 0.7 / Math.sqrt(step), 5e-4));
        }
        return ("{\"schemaVersion\":1,\"points\":[" + points + "]}").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] manifest(String task, String version, String parent) {
        Function<String, String> label = l -> "\"" + l + "\":{\"precision\":0.93,\"recall\":0.91,\"f1\":0.92,"
                + "\"support\":150}";
        return ("{\"schemaVersion\":1,\"task\":\"" + task + "\",\"version\":\"" + version + "\""
                + (parent == null ? "" : ",\"parentVersion\":\"" + parent + "\"")
                + ",\"method\":\"lora\",\"baseModel\":\"all-minilm-l6-v2\",\"baseModelSha256\":\"" + "b".repeat(64)
                + "\",\"datasets\":[{\"key\":\"datasets/" + task + "/a.jsonl\",\"records\":384,\"sha256\":\""
                + "c".repeat(64) + "\"}],\"heldOut\":{\"key\":\"datasets/" + task + "/h.jsonl\",\"records\":300,"
                + "\"sha256\":\"" + "d".repeat(64) + "\"},\"labels\":[\"ham\",\"spam\"],\"hyperparameters\":"
                + "{\"method\":\"lora\",\"rank\":8,\"alpha\":16,\"learningRate\":0.0005,\"epochs\":1},"
                + "\"metrics\":{\"examples\":300,\"accuracy\":0.92,\"macroF1\":0.91,\"majorityLabel\":\"ham\","
                + "\"majorityBaseline\":0.6,\"perLabel\":{" + label.apply("ham") + "," + label.apply("spam") + "},"
                + "\"confusion\":[[170,10],[14,106]]},\"training\":{\"steps\":240,\"examples\":3840},"
                + "\"device\":\"cpu\",\"durationMillis\":60000,\"createdAt\":\"2026-01-01T00:00:00Z\"}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
