package dev.adapterloop.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.events.CloudEventSender;
import dev.adapterloop.events.TrainingEvent;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/** Publishes a job's lifecycle to the {@code adapter-training} topic. A failed publish never fails the job. */
@ApplicationScoped
public class TrainingEvents {

    private final CloudEventSender sender;

    public TrainingEvents(@Channel("adapter-training") Emitter<String> emitter, ObjectMapper json) {
        this.sender = new CloudEventSender(emitter, json);
    }

    void started(TrainingJob job, String method) {
        send(job, phase(job, method, "started"));
    }

    void progress(TrainingJob job, String method, TrainingProgress p) {
        send(job, new TrainingEvent(TrainingEvent.SCHEMA_VERSION, job.jobId(), job.task(), method, "progress",
                p.step(), p.totalSteps(), p.loss(), p.examplesPerSecond(), p.eta().toSeconds(), null, null, null));
    }

    void completed(TrainingJob job, String method, String version) {
        send(job, new TrainingEvent(TrainingEvent.SCHEMA_VERSION, job.jobId(), job.task(), method, "completed",
                null, null, null, null, null, version, null, null));
    }

    void failed(TrainingJob job, String method, FailureKind kind, String reason) {
        send(job, new TrainingEvent(TrainingEvent.SCHEMA_VERSION, job.jobId(), job.task(), method, "failed",
                null, null, null, null, null, null, reason, kind.wireName()));
    }

    private static TrainingEvent phase(TrainingJob job, String method, String phase) {
        return new TrainingEvent(TrainingEvent.SCHEMA_VERSION, job.jobId(), job.task(), method, phase,
                null, null, null, null, null, null, null, null);
    }

    private void send(TrainingJob job, TrainingEvent event) {
        try {
            sender.send(event.type(), job.task(), event);
        } catch (RuntimeException e) {
            Log.warnf("job %s: could not publish %s: %s", job.jobId(), event.type(), e.getMessage());
        }
    }
}
