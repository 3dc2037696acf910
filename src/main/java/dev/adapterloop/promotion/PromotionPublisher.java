package dev.adapterloop.promotion;

import dev.adapterloop.events.AdapterPromotionEvent;

/** Where applied decisions are announced: {@link PromotionEvents} sends them to the {@code adapter-promotions} topic. */
@FunctionalInterface
public interface PromotionPublisher {
    /** @return the event id */
    String publish(String type, AdapterPromotionEvent event);
}
