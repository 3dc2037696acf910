package dev.adapterloop.promotion;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.events.AdapterPromotionEvent;
import dev.adapterloop.events.CloudEventSender;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/** Publishes applied promotion decisions to the {@code adapter-promotions} topic (CloudEvents, binary mode). */
@ApplicationScoped
public class PromotionEvents implements PromotionPublisher {

    private final CloudEventSender sender;

    public PromotionEvents(@Channel("adapter-promotions") Emitter<String> emitter, ObjectMapper json) {
        this.sender = new CloudEventSender(emitter, json);
    }

    @Override
    public String publish(String type, AdapterPromotionEvent event) {
        return sender.send(type, event.task(), event);
    }
}
