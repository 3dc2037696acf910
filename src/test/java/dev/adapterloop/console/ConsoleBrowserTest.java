package dev.adapterloop.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.bundled.BundledAssets;
import dev.adapterloop.events.AdapterManifest;
import dev.adapterloop.events.LabeledDataEvent;
import dev.adapterloop.events.TrainingCurve;
import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.registry.AliasStore;
import dev.adapterloop.registry.AliasTarget;
import dev.adapterloop.testing.EmbeddedInfraResource;
import dev.adapterloop.testing.KafkaTestClient;
import dev.adapterloop.testing.TestApiKeys;
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
 * champion; no page logs a browser console error. Screenshots go to target/console/. Fails, never skips, without
 * chromium and chromium-driver (.ci/run installs them).
 */
@QuarkusTest
@Tag("quarkus")
@QuarkusTestResource(value = EmbeddedInfraResource.class, restrictToAnnotatedClass = true)
class ConsoleBrowserTest {

    private static final String TASK = "spam";
    private static final String TRAIN_KEY = "datasets/spam/console-train.jsonl";
    private static final String HELD_OUT_KEY = "datasets/spam/sample-heldout.jsonl";
    private static final Path CHROMIUM = Path.of(System.getProperty("adapterloop.test.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("adapterloop.test.chromedriver",
            "/usr/bin/chromedriver"));
    private static final Path SCREENSHOTS = Path.of("target", "console");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AdapterRegistry registry;

    @Inject
    AliasStore aliases;

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
        // Live: the page that is already open shows the champion once the job is done, no reload.
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
        assertThat(browser.findElements(By.cssSelector("#confusion td.cell"))).hasSize(4);
        assertThat(browser.findElements(By.cssSelector("#per-label tbody tr"))).hasSize(2);
        assertThat(text("#version-page h1")).contains(champion).contains("champion");
        screenshot("version");
        collectConsoleErrors("version page");

        long lineageMillis = timedLoad(root + "#/tasks/spam/lineage", "#lineage li");
        assertThat(browser.findElements(By.cssSelector(
                "#lineage li[data-version='" + champion + "'] > .badge.champion"))).hasSize(1);
        screenshot("lineage");
        collectConsoleErrors("lineage page");

        System.out.printf("console: %d training steps, %d loss points; full page loads (from about:blank "
                        + "to content, headless chromium): tasks %d ms, version %d ms, lineage %d ms%n", steps,
                curve.points().size(), tasksMillis, versionMillis, lineageMillis);
        assertThat(consoleErrors).as("browser console errors").isEmpty();
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

    private String text(String css) {
        return browser.findElement(By.cssSelector(css)).getText().trim();
    }

    /** Every browser log entry at SEVERE (console.error, uncaught exceptions, failed requests), named by page. */
    private void collectConsoleErrors(String page) {
        for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
            System.out.printf("browser log (%s): %s %s%n", page, entry.getLevel(), entry.getMessage());
            if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
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
