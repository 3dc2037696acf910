package dev.adapterloop.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.bundled.BundledAssets;
import dev.adapterloop.dataset.LabeledExample;
import dev.adapterloop.events.AdapterManifest;
import dev.adapterloop.events.DatasetRef;
import dev.adapterloop.events.LabeledDataEvent;
import dev.adapterloop.events.TrainingCurve;
import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.registry.AliasStore;
import dev.adapterloop.registry.AliasTarget;
import dev.adapterloop.testing.EmbeddedInfraResource;
import dev.adapterloop.promotion.Promotions;
import dev.adapterloop.testing.KafkaTestClient;
import dev.adapterloop.testing.PipelineTestData;
import dev.adapterloop.testing.TestApiKeys;
import dev.adapterloop.training.JobRecord;
import dev.adapterloop.training.JobStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console (docs/console.md) in Debian's headless Chromium over the real service, Kafka and S3: the tasks
 * page, open before any version exists, shows the champion once the job that trains it is done, without a reload
 * (polling); the version page draws one loss point per training step and the confusion matrix; the lineage marks the
 * champion; the jobs page shows the running job's progress bar, and an admin key's Retry button queues a failed job
 * again (a refusal is shown as text); the lineage, left open, draws an incremental job's version under its parent;
 * the A/B page counts feedback sent through Kafka on predictions served to both arms as it arrives; the lineage marks
 * a version an operator rolled back; no page logs a browser console error. Screenshots go to target/console/. Fails,
 * never skips, without
 * chromium and chromium-driver (.ci/run installs them).
 */
@QuarkusTest
@Tag("quarkus")
@QuarkusTestResource(value = EmbeddedInfraResource.class, restrictToAnnotatedClass = true)
class ConsoleBrowserTest {

    private static final String TASK = "spam";
    private static final String TRAIN_KEY = "datasets/spam/console-train.jsonl";
    private static final String HELD_OUT_KEY = "datasets/spam/sample-heldout.jsonl";
    /** The second event's data: a smaller sample of the same split, so another digest. */
    private static final String TRAIN_KEY_2 = "datasets/spam/console-train-2.jsonl";
    private static final Path CHROMIUM = Path.of(System.getProperty("adapterloop.test.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("adapterloop.test.chromedriver",
            "/usr/bin/chromedriver"));
    private static final Path SCREENSHOTS = Path.of("target", "console");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** No replica owns it: a job queued there stays QUEUED. */
    private static final int NOBODYS_PARTITION = 999;

    @Inject
    AdapterRegistry registry;

    @Inject
    AliasStore aliases;

    @Inject
    JobStore jobs;

    @Inject
    Promotions promotions;

    private BundledAssets.Datasets datasets;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @TestHTTPResource("/")
    URL root;

    private WebDriver browser;
    private final List<String> consoleErrors = new ArrayList<>();

    @BeforeEach
    void startBrowser() {
        assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
                .as("the console's browser test needs Debian's chromium and chromium-driver (%s, %s): "
                        + "apt-get install -y chromium chromium-driver (.ci/run installs them)", CHROMIUM, CHROMEDRIVER)
                .isTrue();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-dev-shm-usage", "--window-size=1280,1400");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    @Timeout(600)
    void theConsoleShowsTheChampionItsLossCurveAndItsLineage() throws Exception {
        BundledAssets.ensureModel(registry, Path.of("target", "test-data", "work"));
        BundledAssets.Datasets data = BundledAssets.ensureDatasets(registry, TASK, TRAIN_KEY, HELD_OUT_KEY, 384, 300);
        datasets = data;

        // The page and its bundle are open (they hold no data); the data behind them is not.
        given().get("/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("<main id=\"view\">"));
        given().get("/api/tasks").then().statusCode(401);

        // Tasks page, before any version: the static page opens without a key, then asks for one.
        browser.get(root.toString());
        WebElement key = waitFor(By.id("api-key"));
        key.sendKeys(TestApiKeys.READ);
        browser.findElement(By.id("sign-in-button")).click();
        WebElement championCell = waitFor(By.cssSelector("#tasks tr[data-task='spam'] td.champion"));
        assertThat(championCell.getText()).isEqualTo("none");
        // The log this test reads is live: an error the page logs is seen (then set aside, it is the test's own).
        ((JavascriptExecutor) browser).executeScript("console.error('console-test-probe')");
        assertThat(browser.manage().logs().get(LogType.BROWSER).getAll()).as("browser log after a probe")
                .anySatisfy(entry -> assertThat(entry.getMessage()).contains("console-test-probe"));
        collectConsoleErrors("tasks page, no version yet");

        try (KafkaTestClient kafka = new KafkaTestClient(bootstrapServers)) {
            kafka.sendCloudEvent("labeled-data", TASK, LabeledDataEvent.TYPE,
                    JSON.writeValueAsString(new LabeledDataEvent(TASK, List.of(data.train()), data.heldOut())));
        }
        // While the job runs, its jobs page shows a progress bar (step of total, loss, ETA), without a reload.
        browser.get(root + "#/tasks/spam/jobs");
        WebElement bar = new WebDriverWait(browser, Duration.ofMinutes(6), Duration.ofMillis(300)).until(
                ExpectedConditions.presenceOfElementLocated(By.cssSelector("#running .progress[data-step] progress")));
        WebElement running = browser.findElement(By.cssSelector("#running .progress[data-step]"));
        int step = Integer.parseInt(running.getDomAttribute("data-step"));
        int total = Integer.parseInt(running.getDomAttribute("data-total"));
        assertThat(step).isBetween(1, total);
        assertThat(bar.getDomAttribute("max")).isEqualTo(String.valueOf(total));
        assertThat(running.getText()).contains("step " + step + " of " + total).contains("loss").contains("ETA");
        screenshot("jobs-running");
        collectConsoleErrors("jobs page, a job running");

        // Live: the tasks page, opened while the job runs, shows the champion once it is done (polling).
        browser.get(root + "#/");
        new WebDriverWait(browser, Duration.ofMinutes(8), Duration.ofMillis(500)).until(ExpectedConditions
                .presenceOfElementLocated(By.cssSelector("#tasks tr[data-task='spam'] td.champion a.version")));
        String champion = aliases.read(TASK).alias(AliasStore.CHAMPION).map(AliasTarget::version).orElseThrow();
        assertThat(text("#tasks tr[data-task='spam'] td.champion")).isEqualTo(champion);
        // The alias moves just before the job record says SUCCEEDED: the next polls show it.
        new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(200)).until(ExpectedConditions
                .textToBe(By.cssSelector("#tasks tr[data-task='spam'] .state"), "SUCCEEDED"));
        collectConsoleErrors("tasks page, polled until the champion appeared");

        // A fresh load of the tasks page, timed.
        long tasksMillis = timedLoad(root + "#/", "#tasks tr[data-task='spam'] td.champion a.version");
        screenshot("tasks");
        collectConsoleErrors("tasks page");

        AdapterManifest manifest = registry.manifest(TASK, champion).orElseThrow();
        TrainingCurve curve = registry.trainingCurve(TASK, champion).orElseThrow();
        int steps = ((Number) manifest.training().get("steps")).intValue();
        assertThat(curve.points()).hasSize(steps);
        long versionMillis = timedLoad(root + "#/tasks/spam/versions/" + champion, "#loss-chart[data-points]");
        assertThat(browser.findElement(By.id("loss-chart")).getDomAttribute("data-points"))
                .isEqualTo(String.valueOf(steps));
        // Every step's throughput was kept (the job ran without a resume).
        assertThat(curve.points()).allSatisfy(p -> assertThat(p.tokensPerSecond()).isPositive());
        assertThat(browser.findElement(By.id("throughput-chart")).getDomAttribute("data-points"))
                .isEqualTo(String.valueOf(steps));
        assertThat(text("#throughput")).contains("tokens/s").doesNotContain("without timing");
        assertThat(browser.findElements(By.cssSelector("#confusion td.cell"))).hasSize(4);
        assertThat(browser.findElements(By.cssSelector("#per-label tbody tr"))).hasSize(2);
        assertThat(text("#version-page h1")).contains(champion).contains("champion");
        // The gate's evidence is stored with the version: the first champion of a task had nothing to be compared
        // with, so there is no McNemar test, only the checks.
        assertThat(browser.findElement(By.id("gate")).getDomAttribute("data-verdict"))
                .isEqualTo("promote-to-champion");
        assertThat(browser.findElements(By.cssSelector("#gate-checks tbody tr"))).isNotEmpty();
        assertThat(browser.findElements(By.id("no-test"))).hasSize(1);
        screenshot("version");
        collectConsoleErrors("version page");

        long lineageMillis = timedLoad(root + "#/tasks/spam/lineage", "#lineage li");
        assertThat(browser.findElements(By.cssSelector(
                "#lineage li[data-version='" + champion + "'] > .badge.champion"))).hasSize(1);
        screenshot("lineage");
        collectConsoleErrors("lineage page");

        long jobsMillis = retryButtonQueuesAFailedJobAgainAndShowsARefusalAsText();
        String child = theLineageDrawsTheEdgeToAnIncrementalJobsVersion(champion);
        long abMillis = theAbPageFollowsFeedbackOnServedPredictions(champion, child);
        theLineageMarksAVersionRolledBack(champion, child);

        System.out.printf("console: jobs page %d ms, A/B page %d ms (full loads)%n", jobsMillis, abMillis);
        System.out.printf("console: %d training steps, %d loss points; full page loads (from about:blank "
                        + "to content, headless chromium): tasks %d ms, version %d ms, lineage %d ms%n", steps,
                curve.points().size(), tasksMillis, versionMillis, lineageMillis);
        assertThat(consoleErrors).as("browser console errors").isEmpty();
    }

    /**
     * A second event trains an incremental version on top of the champion (warm start, manifest parent): the lineage
     * page, polled, draws it under its parent with the dataset it was trained on.
     */
    private String theLineageDrawsTheEdgeToAnIncrementalJobsVersion(String parent) throws Exception {
        DatasetRef more = BundledAssets.ensureDatasets(registry, TASK, TRAIN_KEY_2, HELD_OUT_KEY, 128, 300).train();
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrapServers)) {
            kafka.sendCloudEvent("labeled-data", TASK, LabeledDataEvent.TYPE,
                    JSON.writeValueAsString(new LabeledDataEvent(TASK, List.of(more), datasets.heldOut())));
        }
        browser.get(root + "#/tasks/spam/lineage");
        // The page, left open, polls: the child appears without a reload once its job is done (a minute or two).
        String child = "#lineage li[data-version='" + parent + "'] > ul > li";
        new WebDriverWait(browser, Duration.ofMinutes(8), Duration.ofMillis(500))
                .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(child)));
        List<WebElement> children = browser.findElements(By.cssSelector(child));
        assertThat(children).as("a version drawn under its parent " + parent).hasSize(1);
        String version = attribute(child, "data-version");
        assertThat(registry.manifest(TASK, version).orElseThrow().parentVersion()).isEqualTo(parent);
        assertThat(text(child + " > .edge")).contains("from parent").contains(TRAIN_KEY_2)
                .contains(more.sha256().substring(0, 8));
        screenshot("lineage-incremental");
        collectConsoleErrors("lineage page with an incremental version");
        return version;
    }

    /**
     * An operator promotes the incremental version by hand and then points the champion back at its parent (both
     * through the admin API): the lineage page marks the child rolled back, with the version restored and the reason,
     * and lists the moves.
     */
    private void theLineageMarksAVersionRolledBack(String parent, String child) throws IOException {
        browser.get(root + "#/tasks/spam/lineage");
        waitFor(By.cssSelector("#lineage li[data-version='" + child + "']"));
        assertThat(browser.findElements(By.cssSelector(".badge.rolled-back"))).as("nothing rolled back yet").isEmpty();
        moveChampion(child, "promoted by hand for the console test");
        moveChampion(parent, "roll back: the console test's operator");

        String mark = "#lineage li[data-version='" + child + "'] > .rolled-back";
        new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(200))
                .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(mark + " .badge.rolled-back")));
        assertThat(text(mark)).contains("rolled back").contains("to " + parent.replaceFirst("^v-", "").substring(0,
                Math.min(10, parent.replaceFirst("^v-", "").length()))).contains("by test-admin")
                .contains("roll back: the console test's operator");
        assertThat(browser.findElements(By.cssSelector("#lineage li[data-version='" + parent + "'] > .rolled-back")))
                .as("the restored parent is not marked").isEmpty();
        assertThat(text("#lineage li[data-version='" + parent + "'] > .badge.champion")).isEqualTo("champion");
        assertThat(text("#alias-moves tbody tr:first-child")).contains("champion")
                .contains("roll back: the console test's operator");
        screenshot("lineage");
        collectConsoleErrors("lineage page with a rolled-back version");
    }

    private void moveChampion(String version, String reason) throws IOException {
        long generation = aliases.read(TASK).generation();
        TestApiKeys.asAdmin().contentType("application/json")
                .body(JSON.writeValueAsString(java.util.Map.of("version", version, "expectedGeneration", generation,
                        "reason", reason)))
                .put("/api/tasks/" + TASK + "/aliases/champion").then().statusCode(200);
    }

    /**
     * Two FAILED jobs on a partition no replica owns (so a retried one stays QUEUED, nothing trains): one whose data
     * is as intake recorded it, one whose dataset was overwritten since. A read key sees no Retry button; an admin key
     * does: the first job is queued again, the second's refusal (422) is shown as text.
     */
    private long retryButtonQueuesAFailedJobAgainAndShowsARefusalAsText() throws Exception {
        String then = java.time.Instant.now().toString();
        DatasetRef heldOut = datasets.heldOut();
        JobRecord intact = failed("job-console-retry", List.of(datasets.train()), heldOut, then);
        DatasetRef changing = PipelineTestData.put(registry, TASK, "datasets/spam/console-changed.jsonl",
                List.of(new LabeledExample("win money now", "spam"), new LabeledExample("lunch at noon?", "ham")));
        JobRecord changed = failed("job-console-changed", List.of(changing), heldOut, then);
        PipelineTestData.put(registry, TASK, "datasets/spam/console-changed.jsonl",
                List.of(new LabeledExample("other bytes under the same key", "ham")));

        long millis = timedLoad(root + "#/tasks/spam/jobs", "#jobs tr[data-job='job-console-retry']");
        assertThat(text("#jobs tr[data-job='job-console-retry'] .failure")).contains("base-model-missing")
                .contains("not in the bucket");
        assertThat(browser.findElements(By.cssSelector("#jobs button.retry"))).as("a read key gets no Retry")
                .isEmpty();
        collectConsoleErrors("jobs page, read key");

        browser.findElement(By.id("sign-out")).click();
        waitFor(By.id("api-key")).sendKeys(TestApiKeys.ADMIN);
        browser.findElement(By.id("sign-in-button")).click();
        waitFor(By.cssSelector("#jobs tr[data-job='job-console-retry'] button.retry")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(200)).until(ExpectedConditions
                .textToBe(By.cssSelector("#jobs tr[data-job='job-console-retry'] .state"), "QUEUED"));
        JobRecord queued = jobs.find(TASK, intact.jobId()).orElseThrow();
        assertThat(queued.state()).isEqualTo(JobRecord.State.QUEUED);
        assertThat(queued.history()).singleElement().satisfies(r -> assertThat(r.retriedBy()).isEqualTo("test-admin"));
        assertThat(text("#jobs tr[data-job='job-console-retry'] ol.history")).contains("retried by test-admin");
        collectConsoleErrors("jobs page, admin key, retried");

        browser.findElement(By.cssSelector("#jobs tr[data-job='job-console-changed'] button.retry")).click();
        WebElement refusal = waitFor(By.cssSelector("#jobs tr[data-job='job-console-changed'] .retry-answer.error"));
        assertThat(refusal.getText()).contains("422").contains("changed since intake")
                .contains("datasets/spam/console-changed.jsonl");
        assertThat(jobs.find(TASK, changed.jobId()).orElseThrow().state()).isEqualTo(JobRecord.State.FAILED);
        screenshot("jobs");
        // The refused POST is logged by the browser as a failed request: expected, the only one let through.
        collectConsoleErrors("jobs page, refused retry",
                entry -> entry.getMessage().contains("/jobs/job-console-changed/retry")
                        && entry.getMessage().contains("422"));
        return millis;
    }

    private JobRecord failed(String jobId, List<DatasetRef> data, DatasetRef heldOut, String at) {
        JobRecord record = new JobRecord(JobRecord.SCHEMA_VERSION, jobId, TASK, JobRecord.State.FAILED, data,
                heldOut, List.of("event-" + jobId), NOBODYS_PARTITION, 1, at, at, null,
                "base model all-minilm-l6-v2 is not in the bucket (a made-up failure for the console test)", null,
                "base-model-missing", List.of());
        jobs.save(record);
        return record;
    }

    /**
     * The incremental version as challenger in an A/B test against its parent (what the gate does for a candidate
     * that passes; this one need not have, so the test sets the alias and starts the test itself): predictions are
     * served over HTTP, routed by their keys to both arms, and feedback with the true labels goes to Kafka's
     * {@code prediction-feedback}, where the feedback consumer joins it to the served predictions through their
     * signed ids. The A/B page, left open, counts each arm's outcomes as they arrive, without a reload.
     */
    private long theAbPageFollowsFeedbackOnServedPredictions(String champion, String challenger) throws Exception {
        if (!aliases.read(TASK).alias(AliasStore.CHALLENGER).map(AliasTarget::version).equals(
                java.util.Optional.of(challenger))) {
            assertThat(aliases.compareAndSet(aliases.read(TASK), AliasStore.CHALLENGER, challenger,
                    "console test: A/B test of the incremental version", "test")).isTrue();
        }
        promotions.experiments().start(TASK, champion, challenger);
        long millis = timedLoad(root + "#/tasks/spam/ab", "#ab-page[data-outcomes='0']");
        assertThat(text("#arms tr[data-arm='challenger'] .samples")).isEqualTo("0");

        List<Served> first = serveBothArms(champion, challenger, 3, "a");
        sendFeedback(first);
        expectOutcomes(first);
        assertThat(browser.findElements(By.cssSelector("#guardrails tbody tr"))).hasSize(2);
        assertThat(text("#statistic")).contains("collecting the minimum samples");

        List<Served> both = new ArrayList<>(first);
        List<Served> second = serveBothArms(champion, challenger, 2, "b");
        sendFeedback(second);
        both.addAll(second);
        expectOutcomes(both);
        screenshot("ab");
        collectConsoleErrors("A/B page");
        return millis;
    }

    /** A prediction as served: its signed id, the arm that answered and the true label of its text. */
    private record Served(String predictionId, String variant, String label) {
    }

    /**
     * Predictions with fresh routing keys until each arm has answered at least {@code perArm} (the test's challenger
     * share is one half; the challenger answers once serving has loaded it, a moment after its alias moved).
     */
    private List<Served> serveBothArms(String champion, String challenger, int perArm, String round)
            throws Exception {
        List<LabeledExample> texts = List.of(new LabeledExample("Congratulations, you won a free cruise: reply now",
                "spam"), new LabeledExample("Can we move our meeting to Thursday afternoon?", "ham"),
                new LabeledExample("Cheap meds without prescription, order today", "spam"),
                new LabeledExample("Here are the minutes from yesterday's call", "ham"));
        List<Served> served = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        for (int i = 0; count(served, "champion") < perArm || count(served, "challenger") < perArm; i++) {
            assertThat(System.nanoTime()).as("both arms answered %d predictions within 90 s: %s", perArm, served)
                    .isLessThan(deadline);
            LabeledExample example = texts.get(i % texts.size());
            String text = example.text();
            com.fasterxml.jackson.databind.JsonNode answer = JSON.readTree(TestApiKeys.asPredictor()
                    .contentType("application/json")
                    .body(JSON.writeValueAsString(java.util.Map.of("text", text, "key", "console-" + round + "-" + i)))
                    .post("/api/tasks/" + TASK + "/predictions").then().statusCode(200).extract().asString());
            String variant = answer.get("variant").asText();
            String version = answer.get("version").asText();
            assertThat(version).isEqualTo(variant.equals("challenger") ? challenger : champion);
            if (count(served, variant) < perArm) {
                served.add(new Served(answer.get("predictionId").asText(), variant, example.label()));
            }
        }
        return served;
    }

    private static long count(List<Served> served, String variant) {
        return served.stream().filter(s -> s.variant().equals(variant)).count();
    }

    private void sendFeedback(List<Served> served) throws Exception {
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrapServers)) {
            for (Served s : served) {
                kafka.sendCloudEvent("prediction-feedback", TASK, "adapterloop.feedback",
                        JSON.writeValueAsString(java.util.Map.of("predictionId", s.predictionId(), "label",
                                s.label())));
            }
        }
    }

    /** The open page (it polls) shows every fed-back prediction as an outcome in its own arm, and the trace. */
    private void expectOutcomes(List<Served> served) {
        new WebDriverWait(browser, Duration.ofSeconds(60), Duration.ofMillis(200)).until(ExpectedConditions
                .presenceOfElementLocated(By.cssSelector("#ab-page[data-outcomes='" + served.size() + "']")));
        assertThat(text("#arms tr[data-arm='champion'] .samples")).isEqualTo(String.valueOf(count(served,
                "champion")));
        assertThat(text("#arms tr[data-arm='challenger'] .samples")).isEqualTo(String.valueOf(count(served,
                "challenger")));
        assertThat(attribute("#ab-chart", "data-points")).isNotNull();
    }

    /**
     * A full page load (from about:blank, so not an in-page hash change): HTML, bundle, the page's API calls, drawing.
     * The tab's sessionStorage keeps the key across it.
     */
    private long timedLoad(String url, String readyWhen) {
        browser.get("about:blank");
        long started = System.nanoTime();
        browser.get(url);
        waitFor(By.cssSelector(readyWhen));
        return (System.nanoTime() - started) / 1_000_000;
    }

    private WebElement waitFor(By by) {
        return new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(100))
                .until(ExpectedConditions.presenceOfElementLocated(by));
    }

    /** The element's text; read again if a poll redrew the page between finding the element and reading it. */
    private String text(String css) {
        return new WebDriverWait(browser, Duration.ofSeconds(10), Duration.ofMillis(50))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(b -> b.findElement(By.cssSelector(css)).getText().trim());
    }

    private String attribute(String css, String name) {
        return new WebDriverWait(browser, Duration.ofSeconds(10), Duration.ofMillis(50))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(b -> java.util.Optional.ofNullable(b.findElement(By.cssSelector(css)).getDomAttribute(name))
                        .orElse(""));
    }

    /** Every browser log entry at SEVERE (console.error, uncaught exceptions, failed requests), named by page. */
    private void collectConsoleErrors(String page) {
        collectConsoleErrors(page, entry -> false);
    }

    /** As above, letting through the entries {@code expected} names (a request the test made to be refused). */
    private void collectConsoleErrors(String page, java.util.function.Predicate<LogEntry> expected) {
        for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
            System.out.printf("browser log (%s): %s %s%n", page, entry.getLevel(), entry.getMessage());
            if (entry.getLevel().intValue() >= Level.SEVERE.intValue() && !expected.test(entry)) {
                consoleErrors.add(page + ": " + entry.getMessage());
            }
        }
    }

    private void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        File shot = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
