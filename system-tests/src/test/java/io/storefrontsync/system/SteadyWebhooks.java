package io.storefrontsync.system;

import io.storefrontsync.common.signature.ShopifyWebhookVerifier;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Shopify's side of a webhook stream at a steady rate: {@code products/update} deliveries for a
 * round of shops, signed with the app secret exactly as Shopify signs them, each with a fresh
 * event id, every answer recorded with when it came. Like Shopify, it does not wait for one answer
 * before sending the next delivery, so an outage meets a steady flow.
 */
final class SteadyWebhooks implements AutoCloseable {

    /** One delivery and what the gateway answered: an HTTP status, or 0 with the I/O error. */
    record Delivery(String eventId, String shop, Instant sent, Instant answered, int status, String error) {
        boolean ok() {
            return status == 200;
        }

        boolean serverError() {
            return status >= 500;
        }
    }

    private final String url;
    private final String secret;
    private final List<String> shops;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final List<Delivery> deliveries = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();

    SteadyWebhooks(String gatewayUrl, String apiSecret, List<String> shops) {
        this.url = gatewayUrl + "/shopify/webhook";
        this.secret = apiSecret;
        this.shops = List.copyOf(shops);
    }

    /** Starts sending one delivery every {@code interval}, round robin over the shops. */
    SteadyWebhooks start(Duration interval) {
        timer.scheduleAtFixedRate(() -> send(UUID.randomUUID().toString(), shops.get(sent.getAndIncrement() % shops.size())),
                0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Sends one delivery (again): Shopify's retry of an event keeps its event id. */
    void send(String eventId, String shop) {
        byte[] body = ("{\"id\":1,\"admin_graphql_api_id\":\"gid://shopify/Product/1\",\"title\":\"steady "
                + eventId + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .header("X-Shopify-Hmac-Sha256", ShopifyWebhookVerifier.sign(body, secret))
                .header("X-Shopify-Topic", "products/update")
                .header("X-Shopify-Shop-Domain", shop)
                .header("X-Shopify-API-Version", "2026-07")
                .header("X-Shopify-Webhook-Id", UUID.randomUUID().toString())
                .header("X-Shopify-Event-Id", eventId)
                .header("X-Shopify-Triggered-At", Instant.now().toString())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        Instant sentAt = Instant.now();
        inFlight.incrementAndGet();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
            deliveries.add(new Delivery(eventId, shop, sentAt, Instant.now(), response == null ? 0 : response.statusCode(),
                    failure == null ? null : failure.toString()));
            inFlight.decrementAndGet();
        });
    }

    /** Stops sending and waits for the answers still outstanding. */
    void stop() throws InterruptedException {
        timer.shutdownNow();
        timer.awaitTermination(5, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    List<Delivery> deliveries() {
        synchronized (deliveries) {
            return List.copyOf(deliveries);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    static List<String> eventIds(List<Delivery> deliveries) {
        return deliveries.stream().map(Delivery::eventId).toList();
    }

    /** How the gateway's answers are spread: status → count, for the report. */
    static String summary(List<Delivery> deliveries) {
        Map<Integer, Long> byStatus = new TreeMap<>();
        deliveries.forEach(d -> byStatus.merge(d.status(), 1L, Long::sum));
        return byStatus.toString();
    }
}
