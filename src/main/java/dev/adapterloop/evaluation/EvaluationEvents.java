package dev.adapterloop.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.events.AdapterEvaluatedEvent;
import dev.adapterloop.events.CloudEventSender;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/** Publishes evaluation results to the {@code adapter-evaluations} topic. */
@ApplicationScoped
public class EvaluationEvents {

    private final CloudEventSender sender;

    public EvaluationEvents(@Channel("adapter-evaluations") Emitter<String> emitter, ObjectMapper json) {
        this.sender = new CloudEventSender(emitter, json);
    }

    /** @return the id of the published event */
    public String publish(AdapterEvaluatedEvent event) {
        return sender.send(AdapterEvaluatedEvent.TYPE, event.task(), event);
    }

    public static AdapterEvaluatedEvent.Metrics metrics(EvaluationReport report) {
        Map<String, Map<String, Double>> perLabel = new LinkedHashMap<>();
        report.perLabel().forEach((label, m) -> {
            Map<String, Double> values = new LinkedHashMap<>();
            values.put("precision", m.precision());
            values.put("recall", m.recall());
            values.put("f1", m.f1());
            values.put("support", (double) m.support());
            perLabel.put(label, values);
        });
        return new AdapterEvaluatedEvent.Metrics(report.examples(), report.accuracy(), report.macroF1(),
                report.majorityLabel(), report.majorityBaseline(), perLabel, report.confusion());
    }
}
