package io.storefrontsync.sandbox.shopify;

import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /_sim/shops/{shop}/storm}: the same seed on two identical stores applies the same
 * changes and leaves the same store; every webhook not dropped arrives {@code duplicate} times,
 * not in the order of the changes; dropped ones never arrive.
 */
class StormTest {

    private record Sim(SimulatorFixture fixture, HttpServer receiver, List<String> eventIds) implements AutoCloseable {

        static Sim start() throws Exception {
            SimulatorFixture fixture = new SimulatorFixture(SimulatorFixture.smallStore(15));
            List<String> eventIds = new CopyOnWriteArrayList<>();
            HttpServer receiver = fixture.vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
                eventIds.add(request.getHeader("X-Shopify-Event-Id"));
                request.response().setStatusCode(200).end();
            })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            String token = fixture.install().getString("access_token");
            for (String topic : StoreChanges.TOPICS) {
                fixture.graphql(token, "mutation($topic: WebhookSubscriptionTopic!, $uri: String!) { "
                                + "webhookSubscriptionCreate(topic: $topic, webhookSubscription: {uri: $uri, format: JSON}) { "
                                + "userErrors { message } } }",
                        new JsonObject().put("topic", WebhookPayloads.topicEnum(topic))
                                .put("uri", "http://127.0.0.1:" + receiver.actualPort() + "/webhooks"));
            }
            return new Sim(fixture, receiver, eventIds);
        }

        JsonObject storm(JsonObject body) throws Exception {
            HttpResponse<String> response = fixture.postJson(fixture.base() + "/_sim/shops/" + SimulatorFixture.SHOP + "/storm", body);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return new JsonObject(response.body());
        }

        String products() throws Exception {
            return fixture.get(fixture.base() + "/_sim/shops/" + SimulatorFixture.SHOP + "/products").body();
        }

        @Override
        public void close() throws Exception {
            receiver.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            fixture.close();
        }
    }

    /** The changes without their event outcome: what must be the same for a seed. */
    private static List<Object> changes(JsonObject answer) {
        List<Object> out = new ArrayList<>();
        for (Object m : answer.getJsonArray("mutations")) {
            JsonObject mutation = (JsonObject) m;
            out.add(List.of(mutation.getString("kind"), mutation.getJsonObject("targets"), mutation.getBoolean("dropped")));
        }
        return out;
    }

    @Test
    void shouldApplyTheSameChangesForASeedAndDeliverEachWebhookDuplicatedAndReordered() throws Exception {
        JsonObject body = new JsonObject().put("seed", 42).put("mutations", 60).put("duplicate", 2)
                .put("reorderWindowMs", 300).put("dropRate", 0.2);
        try (Sim a = Sim.start(); Sim b = Sim.start()) {
            JsonObject first = a.storm(body);
            JsonObject second = b.storm(body);
            assertThat(first.getInteger("applied")).isEqualTo(60);
            assertThat(changes(first)).isEqualTo(changes(second));
            assertThat(a.products()).isEqualTo(b.products());

            JsonArray mutations = first.getJsonArray("mutations");
            List<String> kinds = mutations.stream().map(m -> ((JsonObject) m).getString("kind")).distinct().toList();
            assertThat(kinds).hasSizeGreaterThan(8).contains("product_price", "inventory_update");
            int dropped = first.getInteger("dropped");
            assertThat(dropped).isBetween(3, 25);
            assertThat(first.getLong("delivered")).isEqualTo(2L * (60 - dropped));
            assertThat(first.getLong("failed")).isZero();

            Map<String, Integer> arrivals = new HashMap<>();
            a.eventIds().forEach(id -> arrivals.merge(id, 1, Integer::sum));
            List<String> sent = new ArrayList<>();
            for (Object m : mutations) {
                JsonObject mutation = (JsonObject) m;
                if (mutation.getBoolean("dropped")) {
                    assertThat(arrivals).doesNotContainKey(mutation.getString("eventId"));
                } else {
                    assertThat(arrivals.get(mutation.getString("eventId"))).as(mutation.encode()).isEqualTo(2);
                    sent.add(mutation.getString("eventId"));
                }
            }
            List<String> firstArrivals = a.eventIds().stream().distinct().toList();
            assertThat(firstArrivals).containsExactlyInAnyOrderElementsOf(sent).isNotEqualTo(sent);

            JsonObject other = a.storm(body.copy().put("seed", 43).put("dropRate", 0).put("mutations", 10));
            assertThat(changes(other)).isNotEqualTo(changes(first).subList(0, 10));
        }
    }

    @Test
    void shouldDropOnlyTheNamedKindsAndRefuseBadOptions() throws Exception {
        try (Sim sim = Sim.start()) {
            JsonObject answer = sim.storm(new JsonObject().put("seed", 7).put("mutations", 30).put("duplicate", 1)
                    .put("reorderWindowMs", 0).put("dropRate", 1.0).put("dropKinds", new JsonArray().add("product_price"))
                    .put("kinds", new JsonArray().add("product_price").add("product_title")));
            for (Object m : answer.getJsonArray("mutations")) {
                JsonObject mutation = (JsonObject) m;
                assertThat(mutation.getString("kind")).isIn("product_price", "product_title");
                assertThat(mutation.getBoolean("dropped")).isEqualTo(mutation.getString("kind").equals("product_price"));
            }
            assertThat(answer.getInteger("dropped")).isPositive();
            assertThat(answer.getLong("delivered")).isEqualTo(30L - answer.getInteger("dropped"));

            for (JsonObject bad : List.of(new JsonObject().put("mutations", 0), new JsonObject().put("duplicate", 11),
                    new JsonObject().put("dropRate", 1.5), new JsonObject().put("kinds", new JsonArray().add("meteor")),
                    new JsonObject().put("seed", "x"))) {
                HttpResponse<String> refused = sim.fixture().postJson(
                        sim.fixture().base() + "/_sim/shops/" + SimulatorFixture.SHOP + "/storm", bad);
                assertThat(refused.statusCode()).as(bad.encode()).isEqualTo(400);
                assertThat(new JsonObject(refused.body()).getString("error")).isNotBlank();
            }
        }
    }
}
