package io.storefrontsync.worker.testing;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** ChangeEventBatch bodies as the gateway's publisher sends them. */
public final class Events {

    private Events() {
    }

    public static Map<String, Object> shopify(String shop, String topic) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventId", UUID.randomUUID().toString());
        event.put("source", "SHOPIFY");
        event.put("topic", topic);
        event.put("shop", shop);
        event.put("receivedAt", Instant.now().toString());
        return event;
    }

    public static Map<String, Object> facebook(String pageId, String topic) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventId", UUID.randomUUID().toString());
        event.put("source", "FACEBOOK");
        event.put("topic", topic);
        event.put("pageId", pageId);
        event.put("receivedAt", Instant.now().toString());
        return event;
    }

    @SafeVarargs
    public static Map<String, Object> batch(Map<String, Object>... events) {
        return Map.of("events", List.of(events));
    }

    public static Map<String, Object> batch(List<Map<String, Object>> events) {
        return Map.of("events", events);
    }

    static List<Map<String, Object>> list(Map<String, Object>... events) {
        return Arrays.asList(events);
    }
}
