package io.storefrontsync.sandbox.shopify;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Delivers webhooks like Shopify: one signed POST per subscription of the event's topic, retried
 * with growing delays when the receiver answers non-2xx or not in time. The webhook id stays the
 * same across the retries of one delivery; the event id is shared by every delivery of one event.
 */
final class WebhookDispatcher {

    private final Vertx vertx;
    private final ShopifySimulator.Config config;
    private final WebClient client;

    WebhookDispatcher(Vertx vertx, ShopifySimulator.Config config) {
        this.vertx = vertx;
        this.config = config;
        this.client = WebClient.create(vertx, new WebClientOptions().setUserAgent("Shopify-Captain-Hook")
                .setKeepAlive(true));
    }

    void close() {
        client.close();
    }

    /**
     * Delivers one event to every subscription of its topic, or only to {@code uriOverride} when
     * given (compliance topics go to the URL in the app's configuration, not to a subscription);
     * completes when every delivery has succeeded or run out of attempts.
     */
    Future<List<Map<String, Object>>> dispatch(SimulatedShop shop, String topic, Map<String, Object> payload,
                                               String uriOverride) {
        String eventId = UUID.randomUUID().toString();
        Instant triggeredAt = Instant.now(); // real time: receivers compare it with their clock
        byte[] body = Json.encode(payload).getBytes(StandardCharsets.UTF_8);
        String topicEnum = WebhookPayloads.topicEnum(topic);
        List<Future<Map<String, Object>>> deliveries = new ArrayList<>();
        if (uriOverride != null) {
            Map<String, Object> direct = new LinkedHashMap<>();
            direct.put("id", null);
            direct.put("uri", uriOverride);
            direct.put("apiVersion", Map.of("handle", config.apiVersions().contains("2026-07") ? "2026-07"
                    : config.apiVersions().get(0)));
            deliveries.add(deliver(shop, direct, topic, eventId, triggeredAt, body));
        } else {
            for (Map<String, Object> subscription : List.copyOf(shop.store().webhookSubscriptions())) {
                if (topicEnum.equals(subscription.get("topic"))
                        && ((String) subscription.get("uri")).matches("(?i)https?://.+")) {
                    deliveries.add(deliver(shop, subscription, topic, eventId, triggeredAt, body));
                }
            }
        }
        if (deliveries.isEmpty()) {
            Map<String, Object> none = new LinkedHashMap<>();
            none.put("eventId", eventId);
            none.put("topic", topic);
            none.put("webhookId", null);
            none.put("status", "no_subscription");
            return Future.succeededFuture(List.of(none));
        }
        return Future.all(deliveries).map(all -> {
            List<Map<String, Object>> outcomes = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                outcomes.add(all.resultAt(i));
            }
            return outcomes;
        });
    }

    /**
     * A storm's delivery: the body is fixed now (later changes must not leak into it), then each
     * subscription of the topic gets one copy per entry of {@code delaysMillis}, sent that long
     * from now. The copies of one event share its event id and, per subscription, its webhook id
     * (a duplicate, as when Shopify resends a delivery it thinks failed). Completes with every
     * copy's outcome once the last one ended.
     */
    Future<List<Map<String, Object>>> dispatchCopies(SimulatedShop shop, String topic, Map<String, Object> payload,
                                                     String eventId, List<Long> delaysMillis) {
        Instant triggeredAt = Instant.now();
        byte[] body = Json.encode(payload).getBytes(StandardCharsets.UTF_8);
        String topicEnum = WebhookPayloads.topicEnum(topic);
        List<Future<Map<String, Object>>> deliveries = new ArrayList<>();
        for (Map<String, Object> subscription : List.copyOf(shop.store().webhookSubscriptions())) {
            if (!topicEnum.equals(subscription.get("topic"))
                    || !((String) subscription.get("uri")).matches("(?i)https?://.+")) {
                continue;
            }
            String webhookId = UUID.randomUUID().toString();
            for (long delay : delaysMillis) {
                Promise<Map<String, Object>> copy = Promise.promise();
                vertx.setTimer(Math.max(1, delay), id -> deliver(shop, subscription, topic, eventId, webhookId,
                        triggeredAt, body).onComplete(copy));
                deliveries.add(copy.future());
            }
        }
        return Future.all(deliveries).map(all -> {
            List<Map<String, Object>> outcomes = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                outcomes.add(all.resultAt(i));
            }
            return outcomes;
        });
    }

    private Future<Map<String, Object>> deliver(SimulatedShop shop, Map<String, Object> subscription, String topic,
                                                String eventId, Instant triggeredAt, byte[] body) {
        return deliver(shop, subscription, topic, eventId, UUID.randomUUID().toString(), triggeredAt, body);
    }

    @SuppressWarnings("unchecked")
    private Future<Map<String, Object>> deliver(SimulatedShop shop, Map<String, Object> subscription, String topic,
                                                String eventId, String webhookId, Instant triggeredAt, byte[] body) {
        String uri = (String) subscription.get("uri");
        Map<String, Object> version = (Map<String, Object>) subscription.get("apiVersion");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("X-Shopify-Topic", topic);
        headers.put("X-Shopify-Hmac-Sha256", Signatures.bodyHmac(body, config.apiSecret()));
        headers.put("X-Shopify-Shop-Domain", shop.domain());
        headers.put("X-Shopify-API-Version", (String) version.get("handle"));
        headers.put("X-Shopify-Webhook-Id", webhookId);
        headers.put("X-Shopify-Event-Id", eventId);
        headers.put("X-Shopify-Triggered-At", triggeredAt.toString());
        Promise<Map<String, Object>> done = Promise.promise();
        attempt(uri, headers, body, 1, done, outcome -> {
            outcome.put("eventId", eventId);
            outcome.put("webhookId", webhookId);
            outcome.put("topic", topic);
            outcome.put("subscriptionId", subscription.get("id"));
            outcome.put("uri", uri);
            if ("delivered".equals(outcome.get("status"))) {
                shop.webhooksDelivered++;
            } else {
                shop.webhooksFailed++;
            }
            shop.recordDelivery(outcome);
            return outcome;
        });
        return done.future();
    }

    private void attempt(String uri, Map<String, String> headers, byte[] body, int attempt,
                         Promise<Map<String, Object>> done,
                         java.util.function.UnaryOperator<Map<String, Object>> finish) {
        var request = client.postAbs(uri).timeout(config.webhookTimeout().toMillis());
        headers.forEach(request::putHeader);
        request.sendBuffer(Buffer.buffer(body)).onComplete(result -> {
            int status = result.succeeded() ? result.result().statusCode() : 0;
            boolean ok = status >= 200 && status < 300;
            if (ok || attempt >= config.webhookMaxAttempts()) {
                Map<String, Object> outcome = new LinkedHashMap<>();
                outcome.put("status", ok ? "delivered" : "failed");
                outcome.put("httpStatus", status);
                outcome.put("attempts", attempt);
                if (!ok && result.failed()) {
                    outcome.put("error", String.valueOf(result.cause().getMessage()));
                }
                done.complete(finish.apply(outcome));
                return;
            }
            long delay = config.webhookRetryBackoff().toMillis() << (attempt - 1);
            vertx.setTimer(Math.max(1, delay), id -> attempt(uri, headers, body, attempt + 1, done, finish));
        });
    }
}
