package io.storefrontsync.sandbox.shopify;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code /_sim/…}: the loopback-only control API tests and {@code run.sh} use to drive the
 * simulator: fire store events (which change the data and send webhooks), arm faults, read counters,
 * move the token clock, reset. No authentication: the simulator listens on 127.0.0.1.
 */
final class ControlApiHandler {

    private static final int MAX_EVENTS_PER_CALL = 10_000;
    private static final java.util.Set<String> COMPLIANCE_TOPICS =
            java.util.Set.of("customers/data_request", "customers/redact", "shop/redact");

    private final ShopifySimulator simulator;
    private final WebhookDispatcher webhooks;
    private final TokenStore tokens;
    private final FaultInjector faults;
    private final SimClock clock;
    private final TokenRateLimit tokenRateLimit;
    private final BulkOperationRunner bulk;

    ControlApiHandler(ShopifySimulator simulator, WebhookDispatcher webhooks, TokenStore tokens,
                      FaultInjector faults, SimClock clock, TokenRateLimit tokenRateLimit, BulkOperationRunner bulk) {
        this.simulator = simulator;
        this.webhooks = webhooks;
        this.tokens = tokens;
        this.faults = faults;
        this.clock = clock;
        this.tokenRateLimit = tokenRateLimit;
        this.bulk = bulk;
    }

    void mount(Router router) {
        router.post("/_sim/reset").handler(this::reset);
        // Every simulated shop, and how many of them a request has touched (only those are generated and held).
        router.get("/_sim/shops").handler(ctx -> reply(ctx, 200,
                Map.of("shops", simulator.shopDomains(), "materialised", simulator.materialisedShops())));
        router.post("/_sim/shops").handler(this::addShops);
        router.post("/_sim/token-rate-limit").handler(this::setTokenRateLimit);
        // How often each refresh token was presented: proves a rotating token was spent exactly once.
        router.get("/_sim/token-redemptions").handler(ctx -> reply(ctx, 200, Map.of(
                "redemptions", tokens.redemptions(), "refused", tokens.refusedRedemptions(),
                "rateLimited", tokenRateLimit.refused())));
        router.get("/_sim/shops/:shop/products/count").handler(ctx -> withShop(ctx, shop ->
                reply(ctx, 200, Map.of("count", shop.store().products().size()))));
        // The store as the simulator holds it, for tests that compare what landed in Spaces.
        router.get("/_sim/shops/:shop/products").handler(ctx -> withShop(ctx, shop ->
                reply(ctx, 200, Map.of("products", shop.store().products().stream().map(ControlApiHandler::productView).toList()))));
        // The discounts with who may use them and every code, for tests that check what a shopper may be told.
        router.get("/_sim/shops/:shop/discounts").handler(ctx -> withShop(ctx, shop ->
                reply(ctx, 200, Map.of("discounts", shop.store().discountNodes().stream().map(ControlApiHandler::discountView).toList()))));
        // Every access and refresh token ever issued: leak checks grep logs, responses and objects for them.
        router.get("/_sim/tokens").handler(ctx -> reply(ctx, 200, Map.of("tokens", tokens.everIssued())));
        router.get("/_sim/shops/:shop/state").handler(ctx -> withShop(ctx, shop ->
                reply(ctx, 200, shop.state(faults.pending()))));
        router.post("/_sim/shops/:shop/events").handler(ctx -> withShop(ctx, shop -> events(ctx, shop)));
        router.post("/_sim/shops/:shop/storm").handler(ctx -> withShop(ctx, shop -> storm(ctx, shop)));
        // A smart collection's members moved by its rules: no webhook (Shopify sends none), only the poll sees it.
        router.post("/_sim/shops/:shop/smart-collection-members").handler(ctx -> withShop(ctx, shop -> {
            JsonObject body = json(ctx);
            if (body == null) {
                return;
            }
            try {
                reply(ctx, 200, StoreChanges.ruleMatch(shop.store(), body));
            } catch (StoreChanges.Refused e) {
                reply(ctx, e.status, Map.of("error", e.getMessage()));
            }
        }));
        router.post("/_sim/faults").handler(this::armFault);
        router.delete("/_sim/faults").handler(ctx -> {
            faults.clear();
            ctx.response().setStatusCode(204).end();
        });
        router.post("/_sim/clock").handler(this::advanceClock);
        router.post("/_sim/latency").handler(this::setLatency);
        // {"reason":"https://shopify.dev/..."}: every Admin API answer carries X-Shopify-API-Deprecated-Reason; DELETE
        // (or DELETE /_sim/faults, /_sim/reset) stops it.
        router.post("/_sim/deprecation").handler(ctx -> {
            JsonObject body = json(ctx);
            if (body == null) {
                return;
            }
            Object reason = body.getValue("reason");
            if (!(reason instanceof String text) || text.isBlank() || text.length() > 500) {
                reply(ctx, 400, Map.of("error", "reason must be a non-blank string of at most 500 characters"));
                return;
            }
            faults.deprecate(text);
            reply(ctx, 200, Map.of("reason", text));
        });
        router.delete("/_sim/deprecation").handler(ctx -> {
            faults.deprecate(null);
            ctx.response().setStatusCode(204).end();
        });
        // Bulk operations: result downloads, pace, faults, and each shop's operations.
        bulk.mount(router);
        router.route("/_sim/*").handler(ShopifySimulator::notFound);
    }

    private void reset(RoutingContext ctx) {
        bulk.reset();
        simulator.resetShops();
        tokens.clear();
        faults.clear();
        faults.latency(0);
        clock.reset();
        tokenRateLimit.reset();
        ctx.response().setStatusCode(204).end();
    }

    /**
     * {@code {"prefix":"scale-","count":5000}}: adds shops {@code scale-0.myshopify.com} … with an
     * empty catalogue, each installed with an expiring offline token pair (as if OAuth had run), and
     * answers their tokens so a test can store them as the gateway would.
     */
    private void addShops(RoutingContext ctx) {
        JsonObject body = json(ctx);
        if (body == null) {
            return;
        }
        String prefix = body.getString("prefix", "");
        int count = body.getInteger("count", 1);
        if (!prefix.matches("[a-z0-9][a-z0-9-]{0,40}") || count < 1 || count > MAX_EVENTS_PER_CALL) {
            reply(ctx, 400, Map.of("error", "prefix must be [a-z0-9-] and count between 1 and " + MAX_EVENTS_PER_CALL));
            return;
        }
        String scope = body.getString("scope", "read_products");
        List<Map<String, Object>> added = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String domain = simulator.addEmptyShop(prefix + i);
            if (domain == null) {
                reply(ctx, 409, Map.of("error", "shop " + prefix + i + " exists"));
                return;
            }
            TokenStore.Issued issued = tokens.issue(domain, scope, true, clock.now(), null);
            Map<String, Object> installed = new LinkedHashMap<>();
            installed.put("shop", domain);
            installed.put("access_token", issued.accessToken());
            installed.put("expires_in", issued.expiresIn());
            installed.put("refresh_token", issued.refreshToken());
            added.add(installed);
        }
        reply(ctx, 201, Map.of("shops", added));
    }

    /** {@code {"perSecond":100}}: token endpoint calls allowed per second, all shops together; 0 lifts the limit. */
    private void setTokenRateLimit(RoutingContext ctx) {
        JsonObject body = json(ctx);
        if (body == null) {
            return;
        }
        try {
            tokenRateLimit.set(body.getInteger("perSecond", 0));
            reply(ctx, 200, Map.of("perSecond", tokenRateLimit.perSecond()));
        } catch (ClassCastException e) {
            reply(ctx, 400, Map.of("error", "perSecond must be an integer"));
        }
    }

    private void withShop(RoutingContext ctx, java.util.function.Consumer<SimulatedShop> action) {
        SimulatedShop shop = simulator.shop(ctx.pathParam("shop"));
        if (shop == null) {
            ShopifySimulator.notFound(ctx);
            return;
        }
        action.accept(shop);
    }

    /**
     * {@code {"topic":"products/update","count":3}}: change the store, then deliver the webhooks.
     * Optional targets aim the change ({@code "id"}, {@code "inventoryItemId"}+{@code "locationId"},
     * … see {@link StoreChanges}); a missing target answers 404, a change Shopify refuses 409.
     * Optional {@code "uri"} sends to that URL instead of the topic's subscriptions (required for the
     * compliance topics, which Shopify sends to the URL in the app's configuration).
     */
    private void events(RoutingContext ctx, SimulatedShop shop) {
        JsonObject body = json(ctx);
        if (body == null) {
            return;
        }
        String topic = body.getString("topic", "");
        if (topic.matches("[A-Z_]+")) {
            topic = WebhookPayloads.topicHeader(topic);
        }
        int count = body.getInteger("count", 1);
        String uri = body.getString("uri");
        if (uri != null && !uri.matches("(?i)https?://.+")) {
            reply(ctx, 400, Map.of("error", "uri must be an http(s) URL"));
            return;
        }
        if (COMPLIANCE_TOPICS.contains(topic) && uri == null) {
            reply(ctx, 400, Map.of("error", "compliance topics are not subscribed to: give the app's compliance "
                    + "webhook URL as \"uri\""));
            return;
        }
        if (count < 1 || count > MAX_EVENTS_PER_CALL) {
            reply(ctx, 400, Map.of("error", "count must be between 1 and " + MAX_EVENTS_PER_CALL));
            return;
        }
        Function<FixtureStore, Map<String, Object>> change = change(topic, body);
        if (change == null) {
            reply(ctx, 400, Map.of("error", "unsupported topic '" + topic + "'; supported: "
                    + String.join(", ", StoreChanges.TOPICS) + ", app/uninstalled, customers/data_request, "
                    + "customers/redact, shop/redact"));
            return;
        }
        List<Future<List<Map<String, Object>>>> deliveries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, Object> payload;
            try {
                payload = change.apply(shop.store());
            } catch (StoreChanges.Refused | ClassCastException | ArithmeticException | NumberFormatException e) {
                if (i == 0) {
                    int status = e instanceof StoreChanges.Refused refused ? refused.status : 400;
                    reply(ctx, status, Map.of("error", String.valueOf(e.getMessage())));
                    return;
                }
                break; // e.g. the second delete of the same target: the first ones happened
            }
            if (payload != null) {
                deliveries.add(webhooks.dispatch(shop, topic, payload, uri));
            }
        }
        Future<List<Map<String, Object>>> all = Future.all(deliveries).map(done -> {
            List<Map<String, Object>> events = new ArrayList<>();
            for (int i = 0; i < done.size(); i++) {
                List<Map<String, Object>> outcomes = done.resultAt(i);
                events.addAll(outcomes);
            }
            return events;
        });
        if ("app/uninstalled".equals(topic)) {
            // Shopify revokes the app's access and drops its subscriptions once it is uninstalled.
            all = all.onComplete(done -> {
                tokens.revokeShop(shop.domain());
                shop.store().removeAllSubscriptions();
            });
        }
        if ("true".equals(ctx.queryParams().get("async"))) {
            reply(ctx, 202, Map.of("accepted", deliveries.size()));
            return;
        }
        all.onSuccess(events -> {
            long delivered = events.stream().filter(e -> "delivered".equals(e.get("status"))).count();
            long failed = events.stream().filter(e -> "failed".equals(e.get("status"))).count();
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("changes", deliveries.size());
            answer.put("delivered", delivered);
            answer.put("failed", failed);
            answer.put("events", events);
            reply(ctx, 200, answer);
        }).onFailure(e -> reply(ctx, 500, Map.of("error", String.valueOf(e.getMessage()))));
    }

    /** A seeded storm of changes delivered duplicated, delayed, reordered and partly dropped ({@link Storm}). */
    private void storm(RoutingContext ctx, SimulatedShop shop) {
        JsonObject body = json(ctx);
        if (body == null) {
            return;
        }
        Storm.Options options;
        try {
            options = Storm.Options.parse(body);
        } catch (IllegalArgumentException e) {
            reply(ctx, 400, Map.of("error", e.getMessage()));
            return;
        }
        Future<Map<String, Object>> run;
        try {
            run = new Storm(webhooks).run(shop, options);
        } catch (RuntimeException e) {
            reply(ctx, 500, Map.of("error", "storm failed: " + e));
            return;
        }
        run.onSuccess(answer -> reply(ctx, 200, answer))
                .onFailure(e -> reply(ctx, 500, Map.of("error", String.valueOf(e.getMessage()))));
    }

    /**
     * The store change of a topic: {@link StoreChanges} for the catalogue topics (aimed by the
     * event's optional targets), else the topics that change nothing.
     */
    private static Function<FixtureStore, Map<String, Object>> change(String topic, JsonObject event) {
        if (StoreChanges.TOPICS.contains(topic)) {
            return store -> StoreChanges.apply(store, topic, event);
        }
        return switch (topic) {
            case "app/uninstalled" -> store -> WebhookPayloads.shop(store.shop());
            case "customers/data_request", "customers/redact", "shop/redact" -> store ->
                    WebhookPayloads.compliance(topic, store.shop(), store.nextSequence());
            default -> null;
        };
    }

    /**
     * {@code {"shop":…, "kind":"429"|"500"|"503"|"slow"|"throttled"|"token_expired", "count":N,
     * "retryAfterSeconds":2, "delayMillis":…}}; {@code throttled} empties the shop's bucket before the
     * request is priced; {@code token_expired} makes the request's access token lapse and answers 401.
     */
    private void armFault(RoutingContext ctx) {
        JsonObject body = json(ctx);
        if (body == null) {
            return;
        }
        try {
            FaultInjector.Kind kind = FaultInjector.Kind.parse(body.getString("kind", ""));
            String shopName = body.getString("shop");
            String domain = null;
            if (shopName != null) {
                SimulatedShop shop = simulator.shop(shopName);
                if (shop == null) {
                    ShopifySimulator.notFound(ctx);
                    return;
                }
                domain = shop.domain();
            }
            int count = body.getInteger("count", 1);
            faults.arm(new FaultInjector.Fault(domain, kind, body.getInteger("retryAfterSeconds", 2),
                    body.getLong("delayMillis", 2000L)), count);
            reply(ctx, 201, Map.of("pending", faults.pending()));
        } catch (IllegalArgumentException | ClassCastException e) {
            reply(ctx, 400, Map.of("error", String.valueOf(e.getMessage())));
        }
    }

    /**
     * {@code {"millis":100}}: every Admin API request is answered that much later (a realistic round trip to Shopify;
     * the event loop is not blocked); 0 turns it off.
     */
    private void setLatency(RoutingContext ctx) {
        JsonObject body = json(ctx);
        if (body == null) {
            return;
        }
        try {
            faults.latency(body.getLong("millis", 0L));
            reply(ctx, 200, Map.of("millis", faults.latencyMillis()));
        } catch (IllegalArgumentException | ClassCastException e) {
            reply(ctx, 400, Map.of("error", String.valueOf(e.getMessage())));
        }
    }

    /** {@code {"advanceSeconds":3600}}: moves the clock tokens and codes expire by. */
    private void advanceClock(RoutingContext ctx) {
        JsonObject body = json(ctx);
        if (body == null) {
            return;
        }
        clock.advance(Duration.ofSeconds(body.getLong("advanceSeconds", 0L)));
        reply(ctx, 200, Map.of("now", clock.now().toString()));
    }

    private static JsonObject json(RoutingContext ctx) {
        try {
            return ctx.body().length() == 0 ? new JsonObject() : ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            reply(ctx, 400, Map.of("error", "body must be a JSON object"));
            return null;
        }
    }

    /**
     * A product's own scalar fields and its variants' scalar fields. The fixture's maps link to
     * each other (product, collections, locations), so they are not serialised whole.
     */
    private static Map<String, Object> productView(Map<String, Object> product) {
        Map<String, Object> view = scalars(product);
        view.put("variants", FixtureStore.variants(product).stream().map(ControlApiHandler::scalars).toList());
        return view;
    }

    /** {@code {id, __typename, title, status, usageLimit, codesCount, context, codes: [..]}}: context is the buyers' type. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> discountView(Map<String, Object> node) {
        Map<String, Object> discount = (Map<String, Object>) node.get("discount");
        Map<String, Object> view = scalars(discount);
        view.put("id", node.get("id"));
        view.put("context", ((Map<String, Object>) discount.get("context")).get("__typename"));
        List<Map<String, Object>> codes = (List<Map<String, Object>>) discount.getOrDefault("codes", List.of());
        view.put("codes", codes.stream().map(code -> code.get("code")).toList());
        Object codesCount = discount.get("codesCount");
        view.put("codesCount", codesCount == null ? 0 : ((Map<String, Object>) codesCount).get("count"));
        return view;
    }

    private static Map<String, Object> scalars(Map<String, Object> source) {
        Map<String, Object> view = new LinkedHashMap<>();
        source.forEach((k, v) -> {
            if (v instanceof String || v instanceof Number || v instanceof Boolean) {
                view.put(k, v);
            }
        });
        return view;
    }

    private static void reply(RoutingContext ctx, int status, Object body) {
        AdminGraphQLHandler.reply(ctx, status, body);
    }
}
