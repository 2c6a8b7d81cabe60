package io.storefrontsync.sandbox.shopify;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * {@code POST /_sim/shops/{shop}/storm}: a seeded random sequence of store changes (the
 * {@link StoreChanges} topics), applied at once, whose webhooks are then delivered the way Shopify
 * may deliver them: each one {@code duplicate} times, every copy after its own random delay up to
 * {@code reorderWindowMs} (so they arrive out of order), and with {@code dropRate} some never
 * (only those of {@code dropKinds} when given). The same seed on the same store applies the same
 * changes to the same targets and drops the same webhooks; only delivery timing varies.
 *
 * <p>Body: {@code {"seed":1, "mutations":50, "duplicate":2, "reorderWindowMs":500, "dropRate":0,
 * "dropKinds":[…], "kinds":[…]}} — {@code kinds} limits the changes drawn (names in {@link #KINDS}).
 * The answer, once every copy was delivered or ran out of attempts: the changes in order (kind,
 * topic, targets, event id, copies, dropped) and the delivery counts.
 */
final class Storm {

    static final int MAX_MUTATIONS = 10_000;
    static final long MAX_WINDOW_MS = 60_000;

    /** A kind of change, how often it is drawn, and how it picks its targets (null: impossible now). */
    private record Kind(String name, String topic, int weight, BiFunction<FixtureStore, Random, JsonObject> targets) {
    }

    private static final List<Kind> KIND_LIST = List.of(
            new Kind("product_price", "products/update", 20, Storm::price),
            new Kind("product_title", "products/update", 8, (s, r) -> product(s, r, "title")),
            new Kind("product_create", "products/create", 4, (s, r) -> new JsonObject()),
            new Kind("product_delete", "products/delete", 4, (s, r) -> s.products().size() < 2 ? null
                    : new JsonObject().put("id", any(s.products(), r).get("id"))),
            new Kind("inventory_update", "inventory_levels/update", 20, Storm::inventory),
            new Kind("inventory_connect", "inventory_levels/connect", 3, Storm::connect),
            new Kind("inventory_disconnect", "inventory_levels/disconnect", 3, Storm::disconnect),
            new Kind("collection_create", "collections/create", 2, Storm::newCollection),
            new Kind("collection_title", "collections/update", 2, (s, r) -> s.collections().isEmpty() ? null
                    : new JsonObject().put("id", any(s.collections(), r).get("id"))),
            new Kind("collection_add", "collections/update", 5, (s, r) -> membership(s, r, true)),
            new Kind("collection_remove", "collections/update", 5, (s, r) -> membership(s, r, false)),
            new Kind("collection_delete", "collections/delete", 1, (s, r) -> s.collections().size() < 2 ? null
                    : new JsonObject().put("id", any(s.collections(), r).get("id"))),
            new Kind("discount_create", "discounts/create", 2, (s, r) -> new JsonObject()),
            new Kind("discount_update", "discounts/update", 3, (s, r) -> s.discountNodes().isEmpty() ? null
                    : new JsonObject().put("id", any(s.discountNodes(), r).get("id"))),
            new Kind("discount_delete", "discounts/delete", 2, (s, r) -> s.discountNodes().isEmpty() ? null
                    : new JsonObject().put("id", any(s.discountNodes(), r).get("id"))),
            new Kind("shop_update", "shop/update", 1, (s, r) -> new JsonObject()),
            new Kind("location_create", "locations/create", 1, (s, r) -> new JsonObject()),
            new Kind("location_update", "locations/update", 1, (s, r) -> new JsonObject()
                    .put("id", any(s.locations(), r).get("id"))),
            new Kind("location_delete", "locations/delete", 1, Storm::emptyLocation));

    /** The kind names a storm draws from, in the order of the table. */
    static final List<String> KINDS = KIND_LIST.stream().map(Kind::name).toList();

    record Options(long seed, int mutations, int duplicate, long reorderWindowMs, double dropRate,
                   List<String> dropKinds, List<String> kinds) {

        /** Reads and checks the request body; a bad value throws {@link IllegalArgumentException}. */
        static Options parse(JsonObject body) {
            try {
                long seed = body.getLong("seed", 1L);
                int mutations = body.getInteger("mutations", 50);
                int duplicate = body.getInteger("duplicate", 2);
                long window = body.getLong("reorderWindowMs", 500L);
                double dropRate = body.getDouble("dropRate", 0.0);
                List<String> dropKinds = names(body.getJsonArray("dropKinds", new JsonArray()));
                List<String> kinds = names(body.getJsonArray("kinds", new JsonArray()));
                if (mutations < 1 || mutations > MAX_MUTATIONS) {
                    throw new IllegalArgumentException("mutations must be between 1 and " + MAX_MUTATIONS);
                }
                if (duplicate < 1 || duplicate > 10) {
                    throw new IllegalArgumentException("duplicate (copies of each webhook) must be between 1 and 10");
                }
                if (window < 0 || window > MAX_WINDOW_MS) {
                    throw new IllegalArgumentException("reorderWindowMs must be between 0 and " + MAX_WINDOW_MS);
                }
                if (!(dropRate >= 0 && dropRate <= 1)) {
                    throw new IllegalArgumentException("dropRate must be between 0 and 1");
                }
                for (String kind : concat(dropKinds, kinds)) {
                    if (!KINDS.contains(kind)) {
                        throw new IllegalArgumentException("unknown kind '" + kind + "'; kinds: " + String.join(", ", KINDS));
                    }
                }
                return new Options(seed, mutations, duplicate, window, dropRate, dropKinds, kinds);
            } catch (ClassCastException e) {
                throw new IllegalArgumentException("seed, mutations, duplicate, reorderWindowMs must be integers, "
                        + "dropRate a number, kinds and dropKinds lists of names");
            }
        }

        private static List<String> names(JsonArray array) {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) {
                out.add(array.getString(i));
            }
            return out;
        }

        private static List<String> concat(List<String> a, List<String> b) {
            List<String> out = new ArrayList<>(a);
            out.addAll(b);
            return out;
        }
    }

    private final WebhookDispatcher webhooks;

    Storm(WebhookDispatcher webhooks) {
        this.webhooks = webhooks;
    }

    /** Applies the changes now (on the event loop), then completes when every delivery ended. */
    Future<Map<String, Object>> run(SimulatedShop shop, Options options) {
        long started = System.nanoTime();
        Random random = new Random(options.seed());
        List<Kind> kinds = KIND_LIST.stream()
                .filter(k -> options.kinds().isEmpty() || options.kinds().contains(k.name())).toList();
        List<Map<String, Object>> applied = new ArrayList<>();
        List<Future<List<Map<String, Object>>>> deliveries = new ArrayList<>();
        int dropped = 0;
        for (int n = 1; n <= options.mutations(); n++) {
            Kind kind = null;
            JsonObject targets = null;
            for (int attempt = 0; attempt < 50 && targets == null; attempt++) {
                kind = draw(kinds, random);
                targets = kind.targets().apply(shop.store(), random);
            }
            if (targets == null) {
                break; // nothing the allowed kinds can change any more
            }
            Map<String, Object> payload = StoreChanges.apply(shop.store(), kind.topic(), targets);
            boolean drop = random.nextDouble() < options.dropRate()
                    && (options.dropKinds().isEmpty() || options.dropKinds().contains(kind.name()));
            List<Long> delays = new ArrayList<>();
            for (int c = 0; c < options.duplicate(); c++) {
                delays.add(options.reorderWindowMs() == 0 ? 0 : (long) (random.nextDouble() * options.reorderWindowMs()));
            }
            // Random, not seeded: a second storm with the same seed must not look like a resend of the first.
            String eventId = UUID.randomUUID().toString();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("n", n);
            entry.put("kind", kind.name());
            entry.put("topic", kind.topic());
            entry.put("targets", targets.getMap());
            entry.put("eventId", eventId);
            entry.put("resource", payload == null ? null : payload.getOrDefault("admin_graphql_api_id", payload.get("id")));
            entry.put("dropped", drop);
            entry.put("copies", drop ? 0 : delays.size());
            applied.add(entry);
            if (drop) {
                dropped++;
            } else if (payload != null) {
                deliveries.add(webhooks.dispatchCopies(shop, kind.topic(), payload, eventId, delays));
            }
        }
        int droppedWebhooks = dropped;
        return Future.all(deliveries).map(all -> {
            long delivered = 0;
            long failed = 0;
            for (int i = 0; i < all.size(); i++) {
                List<Map<String, Object>> outcomes = all.resultAt(i);
                delivered += outcomes.stream().filter(o -> "delivered".equals(o.get("status"))).count();
                failed += outcomes.stream().filter(o -> "failed".equals(o.get("status"))).count();
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("seed", options.seed());
            answer.put("applied", applied.size());
            answer.put("dropped", droppedWebhooks);
            answer.put("delivered", delivered);
            answer.put("failed", failed);
            answer.put("durationMs", (System.nanoTime() - started) / 1_000_000);
            answer.put("mutations", applied);
            return answer;
        });
    }

    private static Kind draw(List<Kind> kinds, Random random) {
        int total = kinds.stream().mapToInt(Kind::weight).sum();
        int pick = random.nextInt(total);
        for (Kind kind : kinds) {
            pick -= kind.weight();
            if (pick < 0) {
                return kind;
            }
        }
        throw new IllegalStateException("weights");
    }

    private static <T> T any(List<T> list, Random random) {
        return list.get(random.nextInt(list.size()));
    }

    // ---- target pickers: a JsonObject of StoreChanges targets, or null when the kind cannot apply ----

    private static JsonObject product(FixtureStore store, Random random, String change) {
        if (store.products().isEmpty()) {
            return null;
        }
        return new JsonObject().put("id", any(store.products(), random).get("id")).put("change", change);
    }

    /** A new price for one variant: a whole number of cents between 1.00 and 200.00. */
    private static JsonObject price(FixtureStore store, Random random) {
        JsonObject targets = product(store, random, "price");
        if (targets == null) {
            return null;
        }
        Map<String, Object> product = store.byId(targets.getString("id"));
        Map<String, Object> variant = any(FixtureStore.variants(product), random);
        return targets.put("variantId", variant.get("id"))
                .put("price", BigDecimal.valueOf(100 + random.nextInt(19_901), 2).toPlainString());
    }

    @SuppressWarnings("unchecked")
    private static JsonObject inventory(FixtureStore store, Random random) {
        List<Map<String, Object>> levels = StoreChanges.allLevels(store);
        if (levels.isEmpty()) {
            return null;
        }
        Map<String, Object> level = any(levels, random);
        int delta = random.nextInt(15) - 5;
        return new JsonObject()
                .put("inventoryItemId", ((Map<String, Object>) level.get("item")).get("id"))
                .put("locationId", ((Map<String, Object>) level.get("location")).get("id"))
                .put("delta", delta == 0 ? 1 : delta);
    }

    @SuppressWarnings("unchecked")
    private static JsonObject connect(FixtureStore store, Random random) {
        if (store.products().isEmpty()) {
            return null;
        }
        Map<String, Object> variant = any(FixtureStore.variants(any(store.products(), random)), random);
        Map<String, Object> item = (Map<String, Object>) variant.get("inventoryItem");
        List<Map<String, Object>> free = store.locations().stream()
                .filter(l -> StoreChanges.levelAt(item, l) == null).toList();
        if (free.isEmpty()) {
            return null;
        }
        return new JsonObject().put("inventoryItemId", item.get("id")).put("locationId", any(free, random).get("id"))
                .put("available", random.nextInt(20));
    }

    @SuppressWarnings("unchecked")
    private static JsonObject disconnect(FixtureStore store, Random random) {
        JsonObject targets = inventory(store, random);
        if (targets == null) {
            return null;
        }
        targets.remove("delta");
        return targets;
    }

    private static JsonObject newCollection(FixtureStore store, Random random) {
        JsonArray members = new JsonArray();
        int count = store.products().isEmpty() ? 0 : random.nextInt(Math.min(3, store.products().size()) + 1);
        for (int i = 0; i < count; i++) {
            Object id = any(store.products(), random).get("id");
            if (!members.contains(id)) {
                members.add(id);
            }
        }
        return new JsonObject().put("productIds", members);
    }

    /** Adds a product to, or removes one from, a custom collection (smart ones follow their rules). */
    private static JsonObject membership(FixtureStore store, Random random, boolean add) {
        List<Map<String, Object>> custom = store.collections().stream().filter(c -> c.get("ruleSet") == null).toList();
        if (custom.isEmpty() || store.products().isEmpty()) {
            return null;
        }
        Map<String, Object> collection = any(custom, random);
        List<Map<String, Object>> members = FixtureStore.collectionProducts(collection);
        List<Map<String, Object>> candidates = add
                ? store.products().stream().filter(p -> !members.contains(p)).toList() : members;
        if (candidates.isEmpty()) {
            return null;
        }
        return new JsonObject().put("id", collection.get("id"))
                .put(add ? "addProductId" : "removeProductId", any(candidates, random).get("id"));
    }

    private static JsonObject emptyLocation(FixtureStore store, Random random) {
        List<Map<String, Object>> empty = store.locations().stream().filter(l -> !StoreChanges.stocks(store, l)).toList();
        if (empty.isEmpty() || store.locations().size() < 2) {
            return null;
        }
        return new JsonObject().put("id", any(empty, random).get("id"));
    }
}
