package io.storefrontsync.sandbox.shopify;

import io.storefrontsync.common.signature.ShopifyWebhookVerifier;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bulk query from start to finish as a client sees it: {@code CREATED} → {@code RUNNING} →
 * {@code COMPLETED}, the JSONL Shopify writes (and that it equals what paginated queries return), the
 * signed {@code bulk_operations/finish} webhook, the pace, the concurrency limit, cancelation.
 */
class BulkOperationLifecycleTest {

    record Received(Map<String, String> headers, byte[] body) {
    }

    private static final int PRODUCTS = 60;
    private static SimulatorFixture sim;
    private static HttpServer receiver;
    private static final List<Received> received = new CopyOnWriteArrayList<>();
    private static BulkClient bulk;
    private static List<String> locationIds;

    @BeforeAll
    static void start() throws Exception {
        // A bucket large enough that the paginated reference reads are never throttled.
        sim = new SimulatorFixture(SimulatorFixture.smallStore(PRODUCTS).withBucket(100_000, 100_000));
        receiver = sim.vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            request.headers().forEach(h -> headers.put(h.getKey(), h.getValue()));
            received.add(new Received(headers, body.getBytes()));
            request.response().setStatusCode(200).end();
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        bulk = new BulkClient(sim, sim.install().getString("access_token"));
        JsonObject subscribed = sim.graphql(bulk.token, "mutation($uri: String!) { webhookSubscriptionCreate("
                        + "topic: BULK_OPERATIONS_FINISH, webhookSubscription: {uri: $uri, format: JSON}) { "
                        + "webhookSubscription { id } userErrors { message } } }",
                new JsonObject().put("uri", "http://127.0.0.1:" + receiver.actualPort() + "/webhooks"));
        assertThat(subscribed.getJsonObject("data").getJsonObject("webhookSubscriptionCreate").getJsonArray("userErrors")).isEmpty();
        locationIds = sim.graphql(bulk.token, "{ locations(first: 10) { nodes { id } } }").getJsonObject("data")
                .getJsonObject("locations").getJsonArray("nodes").stream().map(n -> ((JsonObject) n).getString("id")).toList();
        assertThat(locationIds).hasSize(2);
    }

    @AfterAll
    static void stop() throws Exception {
        receiver.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        sim.close();
    }

    @BeforeEach
    void clear() throws Exception {
        received.clear();
        bulk.pace(ShopifySimulator.Config.DEFAULT_BULK_OBJECTS_PER_SECOND);
        sim.http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(sim.base() + "/_sim/bulk/faults")).DELETE().build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
    }

    /** The catalog fields the worker reads, inventory per location through aliased lookups (no third connection level). */
    private static String productFields() {
        return "id title handle status tags updatedAt options { name values } "
                + "priceRangeV2 { minVariantPrice { amount currencyCode } }";
    }

    private static String variantFields() {
        StringBuilder levels = new StringBuilder();
        for (int i = 0; i < locationIds.size(); i++) {
            levels.append(" at").append(i).append(": inventoryLevel(locationId: \"").append(locationIds.get(i))
                    .append("\") { id quantities(names: [\"available\", \"on_hand\"]) { name quantity } }");
        }
        return "id title sku price position selectedOptions { name value } inventoryItem { id tracked" + levels + " }";
    }

    private static final String METAFIELD_FIELDS = "id namespace key type value";

    /** first/after are ignored in bulk, as Shopify ignores them: every product, variant and metafield comes. */
    private static String bulkCatalogQuery() {
        return "{ products(first: 2, sortKey: ID) { edges { cursor node { " + productFields()
                + " variants(first: 1) { edges { node { " + variantFields() + " } } } "
                + " metafields(first: 1) { pageInfo { hasNextPage } edges { node { " + METAFIELD_FIELDS + " } } } } } } }";
    }

    /** The same fields through paginated queries, assembled into {@code [{product…, variants: [...], metafields: [...]}]} by id. */
    private static Map<String, JsonObject> paginatedCatalog() throws Exception {
        Map<String, JsonObject> products = new TreeMap<>();
        String after = null;
        do {
            JsonObject page = sim.graphql(bulk.token, "query($after: String) { products(first: 20, after: $after, sortKey: ID) { "
                            + "pageInfo { hasNextPage endCursor } nodes { " + productFields()
                            + " variants(first: 3) { nodes { " + variantFields() + " } } "
                            + " metafields(first: 2) { nodes { " + METAFIELD_FIELDS + " } } } } }",
                    new JsonObject().put("after", after));
            assertThat(page.getJsonArray("errors")).as(page.encode()).isNull();
            JsonObject connection = page.getJsonObject("data").getJsonObject("products");
            for (Object node : connection.getJsonArray("nodes")) {
                JsonObject product = (JsonObject) node;
                product.put("variants", product.getJsonObject("variants").getJsonArray("nodes"));
                product.put("metafields", product.getJsonObject("metafields").getJsonArray("nodes"));
                products.put(product.getString("id"), product);
            }
            after = connection.getJsonObject("pageInfo").getBoolean("hasNextPage")
                    ? connection.getJsonObject("pageInfo").getString("endCursor") : null;
        } while (after != null);
        return products;
    }

    /** Joins child lines to their parents by {@code __parentId}, whatever the order, children sorted by id. */
    private static Map<String, JsonObject> assemble(List<JsonObject> lines) {
        Map<String, JsonObject> byId = new HashMap<>();
        Map<String, JsonObject> products = new TreeMap<>();
        for (JsonObject line : lines) {
            byId.put(line.getString("id"), line);
            if (!line.containsKey("__parentId")) {
                products.put(line.getString("id"), line.copy().put("variants", new JsonArray()).put("metafields", new JsonArray()));
            }
        }
        for (JsonObject line : lines) {
            String parent = line.getString("__parentId");
            if (parent != null) {
                JsonObject child = line.copy();
                child.remove("__parentId");
                String list = line.getString("id").contains("/ProductVariant/") ? "variants" : "metafields";
                products.get(parent).getJsonArray(list).add(child);
            }
        }
        for (JsonObject product : products.values()) {
            for (String list : List.of("variants", "metafields")) {
                List<JsonObject> sorted = new ArrayList<>();
                product.getJsonArray(list).forEach(o -> sorted.add((JsonObject) o));
                sorted.sort(Comparator.comparing(o -> o.getString("id")));
                product.put(list, new JsonArray(new ArrayList<>(sorted)));
            }
        }
        return products;
    }

    @Test
    void shouldWriteTheSameCatalogAsPaginatedQueriesOneObjectPerLineWithParentIds() throws Exception {
        JsonObject created = bulk.start(bulkCatalogQuery(), false);
        assertThat(created.getString("id")).startsWith("gid://shopify/BulkOperation/");
        assertThat(created.getString("status")).isEqualTo("CREATED");
        assertThat(created.getString("type")).isEqualTo("QUERY");
        assertThat(created.getString("query")).isEqualTo(bulkCatalogQuery());
        assertThat(created.getString("objectCount")).isEqualTo("0");
        assertThat(created.getValue("url")).isNull();
        assertThat(Instant.parse(created.getString("createdAt"))).isBefore(Instant.now().plusSeconds(1));

        JsonObject done = bulk.await(created.getString("id"), "COMPLETED", "FAILED");
        assertThat(done.getString("status")).isEqualTo("COMPLETED");
        int objects = PRODUCTS * (1 + 3 + 2);
        assertThat(done.getString("objectCount")).isEqualTo(String.valueOf(objects));
        assertThat(done.getString("rootObjectCount")).isEqualTo(String.valueOf(PRODUCTS));
        assertThat(done.getValue("errorCode")).isNull();
        assertThat(done.getValue("partialDataUrl")).isNull();
        assertThat(Instant.parse(done.getString("completedAt"))).isAfterOrEqualTo(Instant.parse(done.getString("createdAt")));
        assertThat(done.getString("url")).startsWith(sim.base() + "/_sim/bulk/").contains(".jsonl?expires=").contains("&signature=");

        var file = bulk.download(done.getString("url"));
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.headers().firstValue("Content-Type")).contains("application/jsonl");
        assertThat(String.valueOf(file.body().getBytes(StandardCharsets.UTF_8).length)).isEqualTo(done.getString("fileSize"));
        assertThat(file.body()).endsWith("\n");
        List<JsonObject> lines = BulkClient.lines(file.body());
        assertThat(lines).hasSize(objects);

        // Shopify's shape: no connection wrappers, nested objects inline, children carry their parent's id last.
        Set<String> seen = new HashSet<>();
        for (JsonObject line : lines) {
            assertThat(line.fieldNames()).doesNotContain("edges", "node", "cursor", "pageInfo", "variants", "metafields");
            String parent = line.getString("__parentId");
            if (parent != null) {
                assertThat(seen).as("a child comes after its parent").contains(parent);
                assertThat(new ArrayList<>(line.fieldNames())).last().isEqualTo("__parentId");
            }
            seen.add(line.getString("id"));
        }
        JsonObject variant = lines.stream().filter(l -> l.getString("id").contains("/ProductVariant/")).findFirst().orElseThrow();
        assertThat(variant.getJsonObject("inventoryItem").getJsonObject("at1").getJsonArray("quantities")).hasSize(2);

        // groupObjects: false (the default) does not keep children next to their parent.
        assertThat(interleaved(lines)).as("a child line after a later product's line").isTrue();

        assertThat(assemble(lines)).isEqualTo(paginatedCatalog());
    }

    /**
     * A product's {@code collections} nested in the bulk query (the worker reads collection membership this way):
     * one line per membership, {@code {"id": collection, "__parentId": product}}, giving each collection exactly the
     * members its paginated {@code products} connection lists.
     */
    @Test
    void shouldWriteEachProductsCollectionsAsChildLinesWithTheMembersOfThePaginatedCollections() throws Exception {
        List<JsonObject> lines = bulk.runToLines(
                "{ products(sortKey: ID) { edges { node { id collections { edges { node { id } } } } } } }", false);
        Map<String, Set<String>> members = new TreeMap<>();
        int products = 0;
        for (JsonObject line : lines) {
            String parent = line.getString("__parentId");
            if (parent == null) {
                products++;
                assertThat(line.fieldNames()).containsExactly("id");
                continue;
            }
            assertThat(parent).startsWith("gid://shopify/Product/");
            assertThat(line.getString("id")).startsWith("gid://shopify/Collection/");
            assertThat(new ArrayList<>(line.fieldNames())).containsExactly("id", "__parentId");
            assertThat(members.computeIfAbsent(line.getString("id"), k -> new TreeSet<>()).add(parent))
                    .as("one line per membership").isTrue();
        }
        assertThat(products).isEqualTo(PRODUCTS);

        JsonObject page = sim.graphql(bulk.token,
                "{ collections(first: 10) { nodes { id products(first: " + PRODUCTS + ") { nodes { id } } } } }");
        assertThat(page.getJsonArray("errors")).as(page.encode()).isNull();
        Map<String, Set<String>> paginated = new TreeMap<>();
        for (Object node : page.getJsonObject("data").getJsonObject("collections").getJsonArray("nodes")) {
            JsonObject collection = (JsonObject) node;
            Set<String> ids = new TreeSet<>();
            collection.getJsonObject("products").getJsonArray("nodes").forEach(p -> ids.add(((JsonObject) p).getString("id")));
            if (!ids.isEmpty()) {
                paginated.put(collection.getString("id"), ids);
            }
        }
        assertThat(paginated).isNotEmpty();
        assertThat(members).isEqualTo(paginated);
    }

    /** True when some child comes after a top-level line that is not its parent's. */
    private static boolean interleaved(List<JsonObject> lines) {
        String lastRoot = null;
        for (JsonObject line : lines) {
            String parent = line.getString("__parentId");
            if (parent == null) {
                lastRoot = line.getString("id");
            } else if (line.getString("id").contains("/ProductVariant/") || line.getString("id").contains("/Metafield/")) {
                if (!parent.equals(lastRoot)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void shouldKeepChildrenRightAfterTheirParentWhenGrouped() throws Exception {
        List<JsonObject> lines = bulk.runToLines(bulkCatalogQuery(), true);
        assertThat(lines).hasSize(PRODUCTS * 6);
        String lastRoot = null;
        for (JsonObject line : lines) {
            if (!line.containsKey("__parentId")) {
                lastRoot = line.getString("id");
            } else {
                assertThat(line.getString("__parentId")).isEqualTo(lastRoot);
            }
        }
        assertThat(assemble(lines)).isEqualTo(paginatedCatalog());
    }

    @Test
    void shouldWriteTheSameFileForTheSameStoreAndJoinGrandchildrenToTheNearestConnectionNode() throws Exception {
        String query = "{ productVariants { edges { node { id sku inventoryItem { id "
                + "inventoryLevels { edges { node { id location { id } } } } } } } } }";
        List<JsonObject> first = bulk.runToLines(query, false);
        List<JsonObject> second = bulk.runToLines(query, false);
        assertThat(second).as("one store, one order").isEqualTo(first);
        assertThat(first).hasSize(PRODUCTS * 3 + PRODUCTS * 3 * 2);
        Map<String, JsonObject> variants = new HashMap<>();
        first.stream().filter(l -> !l.containsKey("__parentId")).forEach(l -> variants.put(l.getString("id"), l));
        for (JsonObject level : first.stream().filter(l -> l.containsKey("__parentId")).toList()) {
            JsonObject variant = variants.get(level.getString("__parentId"));
            assertThat(variant).as("an inventory level's parent is the variant line").isNotNull();
            assertThat(level.getString("id")).endsWith("inventory_item_id="
                    + variant.getJsonObject("inventoryItem").getString("id").replaceAll("\\D", ""));
            assertThat(variant.getJsonObject("inventoryItem").fieldNames()).containsExactly("id");
        }
    }

    @Test
    void shouldCompleteWithoutAUrlWhenNothingMatches() throws Exception {
        JsonObject done = bulk.await(bulk.start("{ products(query: \"title:'No such product'\") { edges { node { id } } } }",
                false).getString("id"), "COMPLETED");
        assertThat(done.getString("objectCount")).isEqualTo("0");
        assertThat(done.getValue("url")).isNull();
        assertThat(done.getValue("fileSize")).isNull();
    }

    @Test
    void shouldCompleteConnectionsTheFixtureDoesNotHoldAndTheBulkOperationsThemselves() throws Exception {
        JsonObject orders = bulk.await(bulk.start("{ orders { edges { node { id name } } } }", false).getString("id"),
                "COMPLETED", "FAILED");
        assertThat(orders.getString("status")).isEqualTo("COMPLETED");
        assertThat(orders.getString("objectCount")).isEqualTo("0");
        JsonObject operations = bulk.await(bulk.start("{ bulkOperations { edges { node { id status } } } }", false)
                .getString("id"), "COMPLETED", "FAILED");
        assertThat(operations.getString("status")).isEqualTo("COMPLETED");
        List<JsonObject> lines = BulkClient.lines(bulk.download(operations.getString("url")).body());
        assertThat(lines).extracting(l -> l.getString("id")).contains(orders.getString("id"), operations.getString("id"));
    }

    @Test
    void shouldSendASignedFinishWebhookWithLowerCaseStatus() throws Exception {
        JsonObject done = bulk.await(bulk.start("{ products { edges { node { id } } } }", false).getString("id"), "COMPLETED");
        Received webhook = awaitWebhook(done.getString("id"));
        assertThat(webhook.headers().get("X-Shopify-Topic")).isEqualTo("bulk_operations/finish");
        assertThat(webhook.headers().get("X-Shopify-Shop-Domain")).isEqualTo(SimulatorFixture.SHOP);
        assertThat(webhook.headers().get("X-Shopify-Webhook-Id")).isNotBlank();
        ShopifyWebhookVerifier.verify(webhook.body(), webhook.headers().get("X-Shopify-Hmac-Sha256"), SimulatorFixture.SECRET);
        JsonObject payload = new JsonObject(new String(webhook.body(), StandardCharsets.UTF_8));
        assertThat(payload.fieldNames()).containsExactly("admin_graphql_api_id", "completed_at", "created_at", "error_code",
                "status", "type");
        assertThat(payload.getString("status")).isEqualTo("completed");
        assertThat(payload.getString("type")).isEqualTo("query");
        assertThat(payload.getValue("error_code")).isNull();
        assertThat(payload.getString("created_at")).isEqualTo(done.getString("createdAt"));
        assertThat(payload.getString("completed_at")).isEqualTo(done.getString("completedAt"));
        assertThat(webhookOutcome(done.getString("id"))).isEqualTo("delivered");
    }

    /** The simulator's record of the finish webhook: a delivery status, or {@code suppressed}. */
    static String webhookOutcome(BulkClient client, String operationId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            JsonObject operation = client.controlView().stream().map(JsonObject.class::cast)
                    .filter(op -> op.getString("id").equals(operationId)).findFirst().orElseThrow();
            Object webhook = operation.getValue("webhook");
            if (webhook instanceof JsonArray deliveries) {
                return deliveries.getJsonObject(0).getString("status");
            }
            if (!"pending".equals(webhook) || System.nanoTime() > deadline) {
                return String.valueOf(webhook);
            }
            Thread.sleep(20);
        }
    }

    private static String webhookOutcome(String operationId) throws Exception {
        return webhookOutcome(bulk, operationId);
    }

    static Received awaitWebhook(String operationId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            for (Received webhook : received) {
                if (new JsonObject(new String(webhook.body(), StandardCharsets.UTF_8)).getString("admin_graphql_api_id", "")
                        .equals(operationId)) {
                    return webhook;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no bulk_operations/finish for " + operationId + " in " + received.size() + " webhooks");
    }

    @Test
    void shouldReportProgressWhileRunningAtThePaceSet() throws Exception {
        bulk.pace(100); // one window of 25 products (150 objects), then 1.5 s before the next
        JsonObject created = bulk.start(bulkCatalogQuery(), false);
        JsonObject running = bulk.await(created.getString("id"), "RUNNING");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (running.getString("objectCount").equals("0") && System.nanoTime() < deadline) {
            Thread.sleep(20);
            running = bulk.operation(created.getString("id"));
        }
        assertThat(running.getString("status")).isEqualTo("RUNNING");
        assertThat(Long.parseLong(running.getString("objectCount"))).isBetween(1L, PRODUCTS * 6L - 1);
        assertThat(running.getValue("url")).isNull();
        bulk.pace(ShopifySimulator.Config.DEFAULT_BULK_OBJECTS_PER_SECOND);
        assertThat(bulk.await(created.getString("id"), "COMPLETED").getString("objectCount"))
                .isEqualTo(String.valueOf(PRODUCTS * 6));
    }

    @Test
    void shouldAllowFiveRunningQueriesFrom2026_01AndOneBefore() throws Exception {
        bulk.pace(0); // held in CREATED
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(bulk.start("{ products { edges { node { id } } } }", false).getString("id"));
        }
        JsonObject sixth = bulk.run("{ products { edges { node { id } } } }", false);
        assertThat(sixth.getValue("bulkOperation")).isNull();
        JsonObject error = sixth.getJsonArray("userErrors").getJsonObject(0);
        assertThat(error.getString("code")).isEqualTo("OPERATION_IN_PROGRESS");
        assertThat(error.getValue("field")).isNull();
        assertThat(error.getString("message")).isEqualTo("A bulk query operation for this app and shop is already in progress: "
                + String.join(", ", ids) + ".");

        // bulkOperations filters by status and type, newest first; the deprecated currentBulkOperation is the newest.
        JsonObject listed = sim.graphql(bulk.token, "{ bulkOperations(first: 10, query: \"status:CREATED operation_type:QUERY\") { "
                + "nodes { id status } } current: currentBulkOperation { id } }").getJsonObject("data");
        assertThat(listed.getJsonObject("bulkOperations").getJsonArray("nodes").stream()
                .map(n -> ((JsonObject) n).getString("id")).toList()).containsExactlyElementsOf(newestFirst(ids));
        assertThat(listed.getJsonObject("current").getString("id")).isEqualTo(ids.get(4));
        JsonObject byNode = sim.graphql(bulk.token, "query($id: ID!) { node(id: $id) { ... on BulkOperation { id status } } }",
                new JsonObject().put("id", ids.get(0))).getJsonObject("data").getJsonObject("node");
        assertThat(byNode.getString("status")).isEqualTo("CREATED");

        for (String id : ids) {
            JsonObject canceled = sim.graphql(bulk.token, "mutation($id: ID!) { bulkOperationCancel(id: $id) { "
                    + "bulkOperation { status } userErrors { message } } }", new JsonObject().put("id", id))
                    .getJsonObject("data").getJsonObject("bulkOperationCancel");
            assertThat(canceled.getJsonObject("bulkOperation").getString("status")).isEqualTo("CANCELING");
            assertThat(bulk.await(id, "CANCELED").getValue("url")).isNull();
        }
        assertThat(new JsonObject(new String(awaitWebhook(ids.get(0)).body(), StandardCharsets.UTF_8)).getString("status"))
                .isEqualTo("canceled");
        JsonObject again = sim.graphql(bulk.token, "mutation($id: ID!) { bulkOperationCancel(id: $id) { "
                + "userErrors { field message } } }", new JsonObject().put("id", ids.get(0)))
                .getJsonObject("data").getJsonObject("bulkOperationCancel");
        assertThat(again.getJsonArray("userErrors").getJsonObject(0).getString("message"))
                .isEqualTo("A bulk operation cannot be canceled when it is canceled");

        // API versions before 2026-01: one bulk query at a time.
        JsonObject first = bulk.runRaw("2025-10", "{ products { edges { node { id } } } }", false)
                .getJsonObject("data").getJsonObject("bulkOperationRunQuery");
        assertThat(first.getJsonArray("userErrors")).isEmpty();
        JsonObject second = bulk.runRaw("2025-10", "{ products { edges { node { id } } } }", false)
                .getJsonObject("data").getJsonObject("bulkOperationRunQuery");
        assertThat(second.getJsonArray("userErrors").getJsonObject(0).getString("code")).isEqualTo("OPERATION_IN_PROGRESS");
        bulk.pace(ShopifySimulator.Config.DEFAULT_BULK_OBJECTS_PER_SECOND);
        bulk.await(first.getJsonObject("bulkOperation").getString("id"), "COMPLETED");
        JsonObject third = bulk.runRaw("2025-10", "{ products { edges { node { id } } } }", false)
                .getJsonObject("data").getJsonObject("bulkOperationRunQuery");
        assertThat(third.getJsonArray("userErrors")).isEmpty();
        bulk.await(third.getJsonObject("bulkOperation").getString("id"), "COMPLETED");
    }

    private static List<String> newestFirst(List<String> ids) {
        List<String> out = new ArrayList<>(ids);
        java.util.Collections.reverse(out);
        return out;
    }
}
