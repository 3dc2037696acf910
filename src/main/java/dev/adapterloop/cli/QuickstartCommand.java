package dev.adapterloop.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.bundled.BundledAssets;
import dev.adapterloop.engine.EngineConfig;
import dev.adapterloop.events.KafkaClientSecurity;
import dev.adapterloop.events.LabeledDataEvent;
import dev.adapterloop.intake.IntakeDecision;
import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.training.JobOutcome;
import io.quarkus.arc.Unremovable;
import io.quarkus.runtime.Quarkus;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.ConfigProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The main job: puts the bundled model and data into the bucket, announces the data with a labeled-data event, lets
 * the service (running in this process) train and evaluate a LoRA adapter, and prints where the results are.
 */
@Singleton
@Unremovable // looked up by CdiFactory
@Command(name = LaunchPlan.DEFAULT_COMMAND, mixinStandardHelpOptions = true,
        description = "Runs the bundled end-to-end job (the default command): import model and data, publish a "
                + "labeled-data event, let the service train and evaluate a LoRA adapter, print the results; with "
                + "--serve, keep serving afterwards.")
public class QuickstartCommand implements Callable<Integer> {

    @Mixin
    QuickstartOptions options = new QuickstartOptions();

    @Inject
    AdapterRegistry registry;

    @Inject
    EngineConfig engine;

    @Inject
    ConsoleProgress progress;

    @Inject
    ObjectMapper json;


    private final CompletableFuture<JobOutcome> outcome = new CompletableFuture<>();
    /** By event id: the intake may decide before publish() has returned the id to this thread. */
    private final Map<String, CompletableFuture<IntakeDecision>> decisions = new ConcurrentHashMap<>();
    private volatile String eventId;

    void onIntake(@Observes IntakeDecision decision) {
        decisionOf(decision.eventId()).complete(decision);
    }

    private CompletableFuture<IntakeDecision> decisionOf(String id) {
        return decisions.computeIfAbsent(id, key -> new CompletableFuture<>());
    }

    void onOutcome(@Observes JobOutcome finished) {
        if (eventId != null && eventId.equals(finished.job().sourceEventId())) {
            outcome.complete(finished);
        }
    }

    @Override
    public Integer call() throws Exception {
        return run(options);
    }

    Integer run(QuickstartOptions options) throws Exception {
        Duration timeout = options.timeout;
        // Read here, not injected: batch commands start without Kafka, and an injected key must exist at start.
        String bootstrapServers = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        PrintStream out = System.out;
        out.printf("adapterloop: Kafka %s, bucket '%s' at %s%n", bootstrapServers, registry.store().bucket(),
                registry.store().settings().endpoint());
        boolean imported = BundledAssets.ensureModel(registry, engine.workDir());
        out.printf("base model   %s (%s)%n", AdapterRegistry.modelPrefix(BundledAssets.MODEL_ID),
                imported ? "imported from the bundled ONNX file" : "already in the bucket");
        BundledAssets.Datasets data = BundledAssets.ensureDatasets(registry);
        out.printf("datasets     %s (%d examples), held out %s (%d examples)%n    corpus: %s%n", data.train().key(),
                data.train().records(), data.heldOut().key(), data.heldOut().records(), data.corpusSummary());

        try (EventClient client = new EventClient(bootstrapServers,
                KafkaClientSecurity.from(ConfigProvider.getConfig()), json)) {
            client.subscribe(EventClient.EVALUATIONS_TOPIC);
            progress.enable();
            eventId = client.publishLabeledData(new LabeledDataEvent(BundledAssets.TASK, List.of(data.train()),
                    data.heldOut()));
            out.printf("published    %s event %s on topic %s%n", LabeledDataEvent.TYPE, eventId,
                    EventClient.LABELED_DATA_TOPIC);
            // A second run over the same data/ announces data the intake has taken in before: no job will come.
            CompletableFuture<IntakeDecision> alreadyTakenIn = decisionOf(eventId).thenCompose(decision ->
                    decision.duplicate() ? CompletableFuture.completedFuture(decision) : new CompletableFuture<>());
            JobOutcome result;
            try {
                Object first = CompletableFuture.anyOf(outcome, alreadyTakenIn).get(timeout.toMillis(),
                        TimeUnit.MILLISECONDS);
                if (first instanceof IntakeDecision) {
                    printAlreadyTrained(out, data);
                    return 0;
                }
                result = (JobOutcome) first;
            } catch (TimeoutException e) {
                out.printf("no result after %s; the job may still be running%n", timeout);
                return ExitCodes.FAILED;
            } finally {
                progress.close();
            }
            if (!result.succeeded()) {
                out.printf("job %s FAILED: %s%n", result.job().jobId(), result.failure());
                return ExitCodes.of(result.failureKind());
            }
            JsonNode evaluation = client.awaitEvaluation(eventId, Duration.ofMinutes(1));
            printResult(out, result, evaluation);
        }
        if (options.serve) {
            out.println("serving: consuming labeled-data events; Ctrl-C to stop");
            Quarkus.waitForExit();
        }
        return 0;
    }

    private void printAlreadyTrained(PrintStream out, BundledAssets.Datasets data) {
        List<String> versions = registry.listVersions(BundledAssets.TASK);
        out.printf("nothing new  %s was taken in before for task '%s' in this bucket: no job runs for it again%n",
                data.train().key(), BundledAssets.TASK);
        out.printf("adapters     adapters/%s/%s%n", BundledAssets.TASK,
                versions.isEmpty() ? " (none yet: the first job may still be running in a service on this bucket)"
                        : " " + versions);
        out.println("             remove the embedded bucket's folder (adapterloop.embedded.data-dir, data/ by default) to "
                + "train from scratch");
    }

    private static void printResult(PrintStream out, JobOutcome result, JsonNode evaluation) {
        out.printf("adapter      %s (adapter_config.json, adapter_model.safetensors, manifest.json)%n",
                result.adapterPrefix());
        out.printf("training     %d steps, %.1f examples/s, %.0f tokens/s, final loss %.4f, %.1f s%n",
                result.training().steps(), result.training().examplesPerSecond(),
                result.training().tokensPerSecond(), result.training().finalLoss(20),
                result.training().duration().toMillis() / 1000.0);
        out.printf("held-out     accuracy %.4f vs majority baseline %.4f ('%s'), macro-F1 %.4f, %d examples%n",
                result.report().accuracy(), result.report().majorityBaseline(), result.report().majorityLabel(),
                result.report().macroF1(), result.report().examples());
        out.printf("event        %s on topic %s: %s%n", evaluation.path("candidate").path("version").asText(),
                EventClient.EVALUATIONS_TOPIC, evaluation);
    }
}
