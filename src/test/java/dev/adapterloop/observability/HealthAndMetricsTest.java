package dev.adapterloop.observability;

import dev.adapterloop.training.JobLogContext;
import dev.adapterloop.training.JobStarted;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.adapterloop.events.DatasetRef;
import dev.adapterloop.training.JobOutcome;
import dev.adapterloop.training.TrainingJob;
import dev.adapterloop.training.TrainingProgress;
import dev.adapterloop.testing.EmbeddedInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

/**
 * The service's health and metrics endpoints over a real Kafka broker and a real S3 server, asked without
 * credentials: health is always open, and metrics are by default ({@code adapterloop.security.metrics=open};
 * ApiSecurityTest covers {@code read}).
 */
@QuarkusTest
@Tag("quarkus")
@QuarkusTestResource(value = EmbeddedInfraResource.class, restrictToAnnotatedClass = true)
@Timeout(300)
class HealthAndMetricsTest {

    @Inject
    Event<JobStarted> started;
    @Inject
    Event<TrainingProgress> progress;
    @Inject
    Event<JobOutcome> outcomes;
    @Inject
    PipelineMetrics metrics;

    @Test
    void readinessCoversKafkaTheBucketAndTheEngine() {
        given().when().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", is("UP"))
                .body("checks.name", hasItem("s3-bucket"))
                .body("checks.find { it.name == 's3-bucket' }.status", is("UP"))
                .body("checks.find { it.name == 's3-bucket' }.data.bucket", is(EmbeddedInfraResource.BUCKET))
                .body("checks.find { it.name == 'training-engine' }.status", is("UP"))
                .body("checks.find { it.name == 'training-engine' }.data.engine", is("PyTorch"))
                .body("checks.find { it.name == 'training-engine' }.data.device", not(equalTo(null)))
                .body("checks.name", hasItem(containsString("Kafka")));
    }

    @Test
    void livenessCoversTheTrainingWorker() {
        given().when().get("/q/health/live").then()
                .statusCode(200)
                .body("status", is("UP"))
                .body("checks.name", hasItem("training-worker"));
    }

    @Test
    void metricsExposeThePipelineAfterItsEvents() {
        TrainingJob job = new TrainingJob("metrics-job", "spam", "event-1",
                List.of(new DatasetRef("datasets/spam/a.jsonl", null, null)),
                new DatasetRef("datasets/spam/held-out.jsonl", null, null));
        started.fire(new JobStarted(job.jobId(), job.task()));
        try (JobLogContext context = JobLogContext.open(job.jobId(), job.task())) {
            progress.fire(new TrainingProgress(4, 24, 1, 0.6, 1e-3, 30, 2000, Duration.ofSeconds(2),
                    Duration.ofSeconds(10)));
        }
        outcomes.fire(new JobOutcome(job, false, null, null, null, null, null, "TrainingFailedException: test", null));
        metrics.recordIntake("spam", IntakeOutcome.ACCEPTED);
        metrics.recordEventLag("spam", Duration.ofMillis(250));

        given().when().get("/q/metrics").then()
                .statusCode(200)
                .body(containsString("adapterloop_jobs_started_total{task=\"spam\"} 1.0"))
                .body(containsString("adapterloop_jobs_failed_total{reason=\"TrainingFailedException\",task=\"spam\"} 1.0"))
                .body(containsString("adapterloop_jobs_running "))
                .body(containsString("adapterloop_job_duration_seconds_count{outcome=\"failed\",task=\"spam\"} 1"))
                .body(containsString("adapterloop_training_steps_total{task=\"spam\"} 4.0"))
                .body(containsString("adapterloop_training_steps_per_second{task=\"spam\"}"))
                .body(containsString("adapterloop_training_examples_per_second{task=\"spam\"}"))
                .body(containsString("adapterloop_intake_events_total{outcome=\"accepted\",reason=\"none\",task=\"spam\"} 1.0"))
                .body(containsString("adapterloop_intake_event_lag_seconds_count{task=\"spam\"} 1"))
                .body(containsString("adapterloop_s3_retries_total"))
                .body(containsString("kafka_consumer_"));
    }
}
