package dev.adapterloop.promotion;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.events.AdapterPromotionEvent;
import dev.adapterloop.events.AliasesMoved;
import dev.adapterloop.events.CloudEventSender;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/**
 * Publishes applied promotion decisions to the {@code adapter-promotions} topic (CloudEvents, binary mode), and tells
 * this replica's serving first ({@link AliasesMoved}), so that the swap does not wait for its alias poll, nor for
 * Kafka.
 */
@ApplicationScoped
public class PromotionEvents implements PromotionPublisher {

    private final CloudEventSender sender;
    private final Event<AliasesMoved> moved;

    public PromotionEvents(@Channel("adapter-promotions") Emitter<String> emitter, ObjectMapper json,
                           Event<AliasesMoved> moved) {
        this.sender = new CloudEventSender(emitter, json);
        this.moved = moved;
    }

    @Override
    public String publish(String type, AdapterPromotionEvent event) {
        moved.fire(new AliasesMoved(event.task()));
        return sender.send(type, event.task(), event);
    }
}
