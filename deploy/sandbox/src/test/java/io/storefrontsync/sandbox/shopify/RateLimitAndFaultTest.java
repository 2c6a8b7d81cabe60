package io.storefrontsync.sandbox.shopify;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitAndFaultTest {

    /** products(first: 20) { nodes { id } } = 2 + 20 × 1. */
    private static final String QUERY_22 = "{ products(first: 20) { nodes { id } } }";

    private static SimulatorFixture sim;
    private static String token;

    @BeforeAll
    static void start() throws Exception {
        // A bucket of 50 restoring 25 points/s: two 22-point queries fit, the third must wait ~1 s.
        sim = new SimulatorFixture(SimulatorFixture.smallStore(30).withBucket(50, 25));
        token = sim.install().getString("access_token");
    }

    @AfterAll
    static void stop() throws Exception {
        sim.close();
    }

    @AfterEach
    void disarm() throws Exception {
        sim.http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(sim.base() + "/_sim/faults")).DELETE().build(),
                HttpResponse.BodyHandlers.discarding());
    }

    @Test
    void shouldThrottleWhenBucketIsEmptyAndRecoverAfterRefill() throws Exception {
        Thread.sleep(2100); // start from a full bucket
        assertThat(sim.graphql(token, QUERY_22).containsKey("errors")).isFalse();
        assertThat(sim.graphql(token, QUERY_22).containsKey("errors")).isFalse();
        JsonObject throttled = sim.graphql(token, QUERY_22);
        JsonObject error = throttled.getJsonArray("errors").getJsonObject(0);
        assertThat(error.getString("message")).isEqualTo("Throttled");
        assertThat(error.getJsonObject("extensions").getString("code")).isEqualTo("THROTTLED");
        assertThat(error.getJsonObject("extensions").getString("documentation"))
                .isEqualTo("https://shopify.dev/api/usage/rate-limits");
        assertThat(throttled.containsKey("data")).isFalse();
        JsonObject cost = throttled.getJsonObject("extensions").getJsonObject("cost");
        assertThat(cost.getInteger("requestedQueryCost")).isEqualTo(22);
        assertThat(cost.getValue("actualQueryCost")).isNull();
        assertThat(cost.getJsonObject("throttleStatus").getInteger("currentlyAvailable")).isLessThan(22);
        assertThat(cost.getJsonObject("throttleStatus").getDouble("restoreRate")).isEqualTo(25.0);

        int wait = (22 - cost.getJsonObject("throttleStatus").getInteger("currentlyAvailable")) * 1000 / 25 + 100;
        Thread.sleep(wait);
        JsonObject recovered = sim.graphql(token, QUERY_22);
        assertThat(recovered.containsKey("errors")).isFalse();
        assertThat(recovered.getJsonObject("extensions").getJsonObject("cost").getInteger("actualQueryCost")).isEqualTo(22);

        JsonObject stats = sim.state().getJsonObject("stats");
        assertThat(stats.getLong("throttledResponses")).isGreaterThanOrEqualTo(1L);
        assertThat(stats.getLong("totalActualCost")).isGreaterThanOrEqualTo(66L);
    }

    @Test
    void shouldRefundUnusedCost() throws Exception {
        Thread.sleep(2100);
        // 40 products asked of a 30-product store: requested 2 + 40, actual 2 + 30.
        JsonObject response = sim.graphql(token, "{ products(first: 40) { nodes { id } } }");
        JsonObject cost = response.getJsonObject("extensions").getJsonObject("cost");
        assertThat(cost.getInteger("requestedQueryCost")).isEqualTo(42);
        assertThat(cost.getInteger("actualQueryCost")).isEqualTo(32);
        // 50 − 42 + 10 refunded (+ a little refill)
        assertThat(cost.getJsonObject("throttleStatus").getInteger("currentlyAvailable")).isBetween(18, 22);
    }

    @Test
    void shouldAnswer429WithRetryAfterWhenArmed() throws Exception {
        HttpResponse<String> armed = sim.postJson(sim.base() + "/_sim/faults", new JsonObject()
                .put("shop", SimulatorFixture.SHOP).put("kind", "429").put("count", 1).put("retryAfterSeconds", 2));
        assertThat(armed.statusCode()).isEqualTo(201);
        HttpResponse<String> limited = sim.graphqlRaw(token, new JsonObject().put("query", "{ shop { id } }"));
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("2.0");
        assertThat(new JsonObject(limited.body()).getString("errors")).contains("Exceeded");
        Thread.sleep(100);
        assertThat(sim.graphqlRaw(token, new JsonObject().put("query", "{ shop { id } }")).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldAnswer5xxAndSlowWhenArmed() throws Exception {
        sim.postJson(sim.base() + "/_sim/faults", new JsonObject().put("kind", "503").put("count", 1));
        sim.postJson(sim.base() + "/_sim/faults", new JsonObject().put("kind", "500").put("count", 1));
        sim.postJson(sim.base() + "/_sim/faults", new JsonObject().put("kind", "slow").put("count", 1).put("delayMillis", 300));
        JsonObject query = new JsonObject().put("query", "{ shop { id } }");
        assertThat(sim.graphqlRaw(token, query).statusCode()).isEqualTo(503);
        assertThat(sim.graphqlRaw(token, query).statusCode()).isEqualTo(500);
        long started = System.nanoTime();
        assertThat(sim.graphqlRaw(token, query).statusCode()).isEqualTo(200);
        assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(300);
        assertThat(sim.state().getJsonObject("stats").getLong("faultsServed")).isGreaterThanOrEqualTo(3L);
    }

    @Test
    void shouldAnswerThrottledFromAnEmptiedBucketWhenArmed() throws Exception {
        Thread.sleep(2100); // a full bucket: without the fault this query would run
        HttpResponse<String> armed = sim.postJson(sim.base() + "/_sim/faults", new JsonObject()
                .put("shop", SimulatorFixture.SHOP).put("kind", "throttled").put("count", 1));
        assertThat(armed.statusCode()).isEqualTo(201);

        JsonObject throttled = sim.graphql(token, QUERY_22);

        assertThat(throttled.getJsonArray("errors").getJsonObject(0).getJsonObject("extensions").getString("code"))
                .isEqualTo("THROTTLED");
        JsonObject status = throttled.getJsonObject("extensions").getJsonObject("cost").getJsonObject("throttleStatus");
        assertThat(status.getInteger("currentlyAvailable")).isLessThan(22);
        int wait = (22 - status.getInteger("currentlyAvailable")) * 1000 / 25 + 100;
        Thread.sleep(wait);
        assertThat(sim.graphql(token, QUERY_22).containsKey("errors")).as("the fault was used up").isFalse();
    }

    @Test
    void tokenExpiredShouldRefuseTheRequestsTokenFromThenOnAndNoOtherToken() throws Exception {
        String lapsing = sim.install().getString("access_token");
        JsonObject query = new JsonObject().put("query", "{ shop { id } }");
        assertThat(sim.graphqlRaw(lapsing, query).statusCode()).isEqualTo(200);
        sim.postJson(sim.base() + "/_sim/faults", new JsonObject()
                .put("shop", SimulatorFixture.SHOP).put("kind", "token_expired").put("count", 1));

        HttpResponse<String> refused = sim.graphqlRaw(lapsing, query);

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("Invalid API key or access token");
        assertThat(sim.graphqlRaw(lapsing, query).statusCode()).as("the token stays refused").isEqualTo(401);
        assertThat(sim.graphqlRaw(token, query).statusCode()).as("another token of the shop").isEqualTo(200);
    }
}
