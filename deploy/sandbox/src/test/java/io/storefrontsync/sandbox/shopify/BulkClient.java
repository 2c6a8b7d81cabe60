package io.storefrontsync.sandbox.shopify;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a client of Shopify's bulk operations does, against a {@link SimulatorFixture}: run, poll, download. */
final class BulkClient {

    static final String OPERATION_FIELDS = "id status type query objectCount rootObjectCount fileSize url partialDataUrl "
            + "createdAt completedAt errorCode";

    private final SimulatorFixture sim;
    String token;

    BulkClient(SimulatorFixture sim, String token) {
        this.sim = sim;
        this.token = token;
    }

    /** The whole {@code bulkOperationRunQuery} response (data, extensions). */
    JsonObject runRaw(String version, String query, boolean groupObjects) throws Exception {
        JsonObject body = new JsonObject()
                .put("query", "mutation($q: String!, $g: Boolean!) { bulkOperationRunQuery(query: $q, groupObjects: $g) { "
                        + "bulkOperation { " + OPERATION_FIELDS + " } userErrors { field message code } } }")
                .put("variables", new JsonObject().put("q", query).put("g", groupObjects));
        HttpResponse<String> response = sim.http.send(HttpRequest.newBuilder(
                        URI.create(sim.shopUrl() + "/admin/api/" + version + "/graphql.json"))
                .header("Content-Type", "application/json").header("X-Shopify-Access-Token", token)
                .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new JsonObject(response.body());
    }

    /** {@code bulkOperationRunQuery}'s payload: {@code bulkOperation} and {@code userErrors}. */
    JsonObject run(String query, boolean groupObjects) throws Exception {
        return runRaw(SimulatorFixture.VERSION, query, groupObjects).getJsonObject("data").getJsonObject("bulkOperationRunQuery");
    }

    /** Runs a query that must be accepted; answers the created operation. */
    JsonObject start(String query, boolean groupObjects) throws Exception {
        JsonObject payload = run(query, groupObjects);
        assertThat(payload.getJsonArray("userErrors")).as(payload.encode()).isEmpty();
        return payload.getJsonObject("bulkOperation");
    }

    JsonObject operation(String id) throws Exception {
        JsonObject response = sim.graphql(token, "query($id: ID!) { bulkOperation(id: $id) { " + OPERATION_FIELDS + " } }",
                new JsonObject().put("id", id));
        assertThat(response.getJsonArray("errors")).as(response.encode()).isNull();
        return response.getJsonObject("data").getJsonObject("bulkOperation");
    }

    /** Polls {@code bulkOperation(id:)} (as a worker without webhooks does) until one of the statuses. */
    JsonObject await(String id, String... statuses) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonObject operation = operation(id);
        while (!Arrays.asList(statuses).contains(operation.getString("status"))) {
            assertThat(System.nanoTime()).as("operation %s still %s", id, operation.encode()).isLessThan(deadline);
            Thread.sleep(25);
            operation = operation(id);
        }
        return operation;
    }

    HttpResponse<String> download(String url) throws Exception {
        return sim.http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Runs a query to completion and answers its lines. */
    List<JsonObject> runToLines(String query, boolean groupObjects) throws Exception {
        JsonObject done = await(start(query, groupObjects).getString("id"), "COMPLETED");
        HttpResponse<String> file = download(done.getString("url"));
        assertThat(file.statusCode()).isEqualTo(200);
        return lines(file.body());
    }

    static List<JsonObject> lines(String jsonl) {
        List<JsonObject> out = new ArrayList<>();
        for (String line : jsonl.split("\n", -1)) {
            if (!line.isEmpty()) {
                out.add(new JsonObject(line));
            }
        }
        return out;
    }

    void pace(int objectsPerSecond) throws Exception {
        var response = sim.postJson(sim.base() + "/_sim/bulk/pace", new JsonObject().put("objectsPerSecond", objectsPerSecond));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    void arm(JsonObject fault) throws Exception {
        var response = sim.postJson(sim.base() + "/_sim/bulk/faults", fault);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    JsonArray controlView() throws Exception {
        return new JsonObject(sim.get(sim.base() + "/_sim/shops/" + SimulatorFixture.SHOP + "/bulk").body())
                .getJsonArray("operations");
    }
}
