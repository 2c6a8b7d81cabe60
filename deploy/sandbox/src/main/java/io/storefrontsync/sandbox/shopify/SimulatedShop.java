package io.storefrontsync.sandbox.shopify;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Everything the simulator keeps for one shop: its data, its cost bucket and its counters. */
final class SimulatedShop {

    private static final int DELIVERY_LOG_SIZE = 200;

    private final String domain;
    private final FixtureStore store;
    private final LeakyBucket bucket;
    private final Deque<Map<String, Object>> deliveries = new ArrayDeque<>();
    /** The shop's bulk operations, oldest first (event loop only; {@link BulkOperationRunner} runs them). */
    final List<BulkOperation> bulkOperations = new ArrayList<>();

    long graphqlRequests;
    long totalActualCost;
    long totalRequestedCost;
    long throttledResponses;
    long maxCostRefusals;
    long invalidQueries;
    long faultsServed;
    long unauthorized;
    /** Every call of /admin/oauth/access_token, answered or refused: proves a forged callback never got this far. */
    long tokenRequests;
    long webhooksDelivered;
    long webhooksFailed;
    /** Valid Admin requests per operation name ({@code (anonymous)} without one): which reads a sync made. */
    private final Map<String, Long> requestsByOperation = new TreeMap<>();

    synchronized void countOperation(String name) {
        requestsByOperation.merge(name == null ? "(anonymous)" : name, 1L, Long::sum);
    }

    SimulatedShop(String domain, FixtureStore store, LeakyBucket bucket) {
        this.domain = domain;
        this.store = store;
        this.bucket = bucket;
    }

    String domain() {
        return domain;
    }

    FixtureStore store() {
        return store;
    }

    LeakyBucket bucket() {
        return bucket;
    }

    synchronized void recordDelivery(Map<String, Object> outcome) {
        deliveries.addLast(outcome);
        while (deliveries.size() > DELIVERY_LOG_SIZE) {
            deliveries.removeFirst();
        }
    }

    /** The {@code GET /_sim/shops/{shop}/state} document. */
    synchronized Map<String, Object> state(int pendingFaults) {
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("products", store.products().size());
        counts.put("variants", store.products().stream().mapToInt(p -> FixtureStore.variants(p).size()).sum());
        counts.put("collections", store.collections().size());
        counts.put("discounts", store.discountNodes().size());
        counts.put("webhookSubscriptions", store.webhookSubscriptions().size());
        counts.put("changes", store.changeCount());

        Map<String, Object> bucketState = new LinkedHashMap<>();
        bucketState.put("maximumAvailable", bucket.maximum());
        bucketState.put("currentlyAvailable", bucket.currentlyAvailable());
        bucketState.put("restoreRate", bucket.restoreRate());

        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("graphqlRequests", graphqlRequests);
        stats.put("totalRequestedCost", totalRequestedCost);
        stats.put("totalActualCost", totalActualCost);
        stats.put("throttledResponses", throttledResponses);
        stats.put("maxCostRefusals", maxCostRefusals);
        stats.put("invalidQueries", invalidQueries);
        stats.put("unauthorized", unauthorized);
        stats.put("tokenRequests", tokenRequests);
        stats.put("faultsServed", faultsServed);
        stats.put("webhooksDelivered", webhooksDelivered);
        stats.put("webhooksFailed", webhooksFailed);
        stats.put("requestsByOperation", new TreeMap<>(requestsByOperation));

        List<Map<String, Object>> subscriptions = new ArrayList<>();
        for (Map<String, Object> s : store.webhookSubscriptions()) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("id", s.get("id"));
            summary.put("topic", s.get("topic"));
            summary.put("uri", s.get("uri"));
            subscriptions.add(summary);
        }

        Map<String, Object> state = new LinkedHashMap<>();
        state.put("shop", domain);
        state.put("counts", counts);
        state.put("bucket", bucketState);
        state.put("stats", stats);
        state.put("subscriptions", subscriptions);
        state.put("deliveries", new ArrayList<>(deliveries));
        state.put("pendingFaults", pendingFaults);
        return state;
    }
}
