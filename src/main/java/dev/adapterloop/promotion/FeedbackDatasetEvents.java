package dev.adapterloop.promotion;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.events.CloudEventSender;
import dev.adapterloop.events.LabeledDataEvent;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/**
 * Announces feedback datasets on the channel {@code feedback-labeled-data}, which publishes to the intake's own
 * {@code labeled-data} topic: the next adapter trains on them like on any other labeled data.
 */
@ApplicationScoped
public class FeedbackDatasetEvents implements FeedbackDatasets.Publisher {

    private final CloudEventSender sender;

    public FeedbackDatasetEvents(@Channel("feedback-labeled-data") Emitter<String> emitter, ObjectMapper json) {
        this.sender = new CloudEventSender(emitter, json);
    }

    @Override
    public String publish(LabeledDataEvent event) {
        return sender.send(LabeledDataEvent.TYPE, event.task(), event);
    }
}
