package io.storefrontsync.sandbox.facebook;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;

/**
 * The {@code /_sim/} control API used by tests and the walkthrough: change Pages and fire their webhooks, arm
 * faults, read state, mint {@code signed_request}s. A loopback tool, so no authentication.
 */
final class SimControlHandler {

    /** Event fields this simulator can produce: each changes the Page, then notifies. */
    static final Set<String> EVENT_FIELDS = Set.of("name", "description", "category", "website", "phone", "email",
            "location", "hours", "picture", "price_range", "mission", "company_overview", "general_info", "feed");

    private final FacebookWorld world;
    private final FaultInjector faults;
    private final WebhookDispatcher webhooks;
    private final String appSecret;

    SimControlHandler(FacebookWorld world, FaultInjector faults, WebhookDispatcher webhooks, String appSecret) {
        this.world = world;
        this.faults = faults;
        this.webhooks = webhooks;
        this.appSecret = appSecret;
    }

    void mount(Router router) {
        router.post("/_sim/pages/:pageId/events").handler(this::events);
        router.post("/_sim/faults").handler(this::armFault);
        router.delete("/_sim/faults").handler(ctx -> {
            faults.clear();
            json(ctx, 200, new JsonObject().put("cleared", true));
        });
        router.get("/_sim/faults").handler(ctx -> json(ctx, 200, new JsonObject().put("armed", faults.describe())));
        router.get("/_sim/state").handler(ctx -> json(ctx, 200, world.stateJson().put("faults", faults.describe())));
        router.get("/_sim/user").handler(ctx -> json(ctx, 200, world.userJson()));
        router.post("/_sim/next-login").handler(this::nextLogin);
        router.post("/_sim/signed-request").handler(this::signedRequest);
    }

    private void events(RoutingContext ctx) {
        String pageId = ctx.pathParam("pageId");
        JsonObject body = bodyJson(ctx);
        if (body == null) {
            return;
        }
        String field = body.getString("field", "name");
        int count = body.getInteger("count", 1);
        if (world.page(pageId).isEmpty()) {
            json(ctx, 404, problem("no such page: " + pageId));
            return;
        }
        if (!EVENT_FIELDS.contains(field) || count < 1 || count > 1000) {
            json(ctx, 400, problem("field must be one of " + EVENT_FIELDS.stream().sorted().toList()
                    + " and count 1..1000"));
            return;
        }
        JsonArray results = new JsonArray();
        Future<Void> chain = Future.succeededFuture();
        for (int i = 0; i < count; i++) {
            // Sequential on purpose: each event is one change in order, as a real Page edit history would be.
            chain = chain.compose(v -> {
                Object value = PageEvents.apply(world, pageId, field);
                return webhooks.deliver(pageId, field, value).map(d -> {
                    results.add(new JsonObject().put("value", value).put("delivered", d.delivered())
                            .put("attempts", d.attempts()).put("status", d.lastStatus())
                            .put("callback_url", d.callbackUrl()).put("reason", d.error()));
                    return null;
                });
            });
        }
        chain.onComplete(ar -> json(ctx, ar.succeeded() ? 200 : 500, new JsonObject().put("page_id", pageId)
                .put("field", field).put("events", results)
                .put("delivered", results.stream().filter(r -> ((JsonObject) r).getBoolean("delivered")).count())));
    }

    private void armFault(RoutingContext ctx) {
        JsonObject body = bodyJson(ctx);
        if (body == null) {
            return;
        }
        String kind = body.getString("kind", "");
        int count = body.getInteger("count", 1);
        switch (kind) {
            case "rate_limit" -> {
                int code = body.getInteger("code", 4);
                if (!List.of(4, 17, 32, 613).contains(code)) {
                    json(ctx, 400, problem("rate_limit code must be 4, 17, 32 or 613"));
                    return;
                }
                faults.arm(kind, code, count);
            }
            case "500" -> faults.arm(kind, 2, count);
            case "login_denied" -> faults.armLoginDenied(count);
            case "token_expired" -> {
                String pageId = body.getString("pageId");
                if (pageId == null || world.page(pageId).isEmpty()) {
                    json(ctx, 404, problem("token_expired needs the pageId of a simulated page"));
                    return;
                }
                int expired = world.expirePageTokens(pageId);
                json(ctx, 200, new JsonObject().put("kind", kind).put("pageId", pageId).put("tokens_expired", expired));
                return;
            }
            default -> {
                json(ctx, 400, problem("kind must be rate_limit, token_expired, 500 or login_denied"));
                return;
            }
        }
        json(ctx, 200, new JsonObject().put("armed", faults.describe()));
    }

    /** {@code {"user_id": "..."}}: the next Login dialog approves as that user (e.g. the analyst of /_sim/user). */
    private void nextLogin(RoutingContext ctx) {
        JsonObject body = bodyJson(ctx);
        if (body == null) {
            return;
        }
        String userId = String.valueOf(body.getValue("user_id", ""));
        if (!world.loginNextAs(userId)) {
            json(ctx, 404, problem("user_id must be a simulated user (see GET /_sim/user)"));
            return;
        }
        json(ctx, 200, new JsonObject().put("next_login", userId));
    }

    private void signedRequest(RoutingContext ctx) {
        JsonObject body = bodyJson(ctx);
        if (body == null) {
            return;
        }
        long now = world.now().getEpochSecond();
        JsonObject payload = new JsonObject()
                .put("user_id", body.getValue("user_id", world.user().id()).toString())
                .put("algorithm", "HMAC-SHA256")
                .put("issued_at", body.getLong("issued_at", now))
                .put("expires", now + 3600);
        String secret = body.getString("app_secret", appSecret); // a different secret lets tests forge bad ones
        json(ctx, 200, new JsonObject().put("signed_request", MetaSignatures.signedRequest(secret, payload))
                .put("payload", payload));
    }

    private static JsonObject bodyJsonOrEmpty(RoutingContext ctx) {
        String raw = ctx.body().asString();
        return raw == null || raw.isBlank() ? new JsonObject() : new JsonObject(raw);
    }

    private static JsonObject bodyJson(RoutingContext ctx) {
        try {
            return bodyJsonOrEmpty(ctx);
        } catch (RuntimeException e) {
            json(ctx, 400, problem("body must be a JSON object"));
            return null;
        }
    }

    private static JsonObject problem(String message) {
        return new JsonObject().put("error", message);
    }

    static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
    }
}
