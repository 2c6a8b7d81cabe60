package io.storefrontsync.sandbox.facebook;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.WebClient;
import java.security.SecureRandom;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code /{v}/{app-id}/subscriptions}: the app-level Webhooks configuration. As on Graph, a POST first performs
 * the verification request against the callback ({@code hub.mode=subscribe&hub.challenge&hub.verify_token}) and
 * stores the subscription only if the callback echoes the challenge
 * (https://developers.facebook.com/docs/graph-api/webhooks/getting-started/).
 */
final class AppSubscriptionHandler {

    /** Objects an app can subscribe to (Webhooks reference; only {@code page} is ever delivered here). */
    private static final Set<String> OBJECTS = Set.of("page", "user", "permissions", "application", "instagram",
            "whatsapp_business_account");

    private final FacebookWorld world;
    private final GraphAuth auth;
    private final WebClient client;
    private final String graphVersionForListing;
    private final SecureRandom random = new SecureRandom();

    AppSubscriptionHandler(FacebookWorld world, GraphAuth auth, WebClient client, String graphVersionForListing) {
        this.world = world;
        this.auth = auth;
        this.client = client;
        this.graphVersionForListing = graphVersionForListing;
    }

    Future<JsonObject> handle(RoutingContext ctx) {
        AccessToken token = auth.require(ctx);
        if (token.kind() != AccessToken.Kind.APP) {
            throw GraphErrors.appTokenRequired();
        }
        return switch (ctx.request().method().name()) {
            case "POST" -> subscribe(ctx);
            case "DELETE" -> {
                String object = ctx.request().getParam("object");
                if (object == null) {
                    world.appSubscriptions().forEach(s -> world.removeAppSubscription(s.object()));
                } else {
                    world.removeAppSubscription(object);
                }
                yield Future.succeededFuture(new JsonObject().put("success", true));
            }
            default -> Future.succeededFuture(list());
        };
    }

    private JsonObject list() {
        JsonArray data = new JsonArray();
        for (FacebookWorld.AppSubscription s : world.appSubscriptions()) {
            JsonArray fields = new JsonArray();
            s.fields().forEach(f -> fields.add(new JsonObject().put("name", f).put("version", graphVersionForListing)));
            data.add(new JsonObject().put("object", s.object()).put("callback_url", s.callbackUrl())
                    .put("active", s.active()).put("fields", fields));
        }
        return new JsonObject().put("data", data);
    }

    private Future<JsonObject> subscribe(RoutingContext ctx) {
        String object = require(ctx, "object");
        if (!OBJECTS.contains(object)) {
            throw GraphErrors.invalidParameter("Param object must be one of {" + String.join(", ",
                    OBJECTS.stream().sorted().toList()) + "} - got \"" + object + "\"");
        }
        String callbackUrl = require(ctx, "callback_url");
        String verifyToken = ctx.request().getParam("verify_token", "");
        List<String> fields = PageHandler.parseList(ctx.request().getParam("fields", ""));
        if (object.equals("page")) {
            for (String field : fields) {
                if (!PageFields.WEBHOOK_FIELDS.contains(field)) {
                    throw GraphErrors.invalidParameter("Invalid field \"" + field + "\" for object page");
                }
            }
        }
        String challenge = Long.toString(1_000_000_000L + (random.nextLong() & Long.MAX_VALUE) % 9_000_000_000L);
        return client.getAbs(callbackUrl)
                .timeout(10_000)
                .addQueryParam("hub.mode", "subscribe")
                .addQueryParam("hub.challenge", challenge)
                .addQueryParam("hub.verify_token", verifyToken)
                .putHeader("User-Agent", "facebookplatform/1.0 (+http://developers.facebook.com)")
                .send()
                .recover(e -> Future.failedFuture(GraphErrors.callbackVerificationFailed(
                        "Couldn't connect to server: " + e.getMessage())))
                .map(response -> {
                    if (response.statusCode() != 200) {
                        throw GraphErrors.callbackVerificationFailed(
                                "Callback verification failed with HTTP status " + response.statusCode());
                    }
                    String body = response.bodyAsString();
                    if (!challenge.equals(body)) {
                        throw GraphErrors.callbackVerificationFailed(
                                "The URL couldn't be validated. Response does not match challenge, expected value=\""
                                        + challenge + "\", received=\"" + abbreviate(body) + "\"");
                    }
                    // Graph adds fields to an existing subscription of the same object rather than replacing it.
                    Set<String> merged = new LinkedHashSet<>(world.appSubscription(object)
                            .map(FacebookWorld.AppSubscription::fields).orElse(List.of()));
                    merged.addAll(fields);
                    world.putAppSubscription(new FacebookWorld.AppSubscription(object, callbackUrl,
                            List.copyOf(merged), verifyToken, true));
                    return new JsonObject().put("success", true);
                });
    }

    private static String require(RoutingContext ctx, String name) {
        String value = ctx.request().getParam(name);
        if (value == null || value.isBlank()) {
            throw GraphErrors.missingParameter(name);
        }
        return value;
    }

    private static String abbreviate(String body) {
        if (body == null) {
            return "";
        }
        return body.length() > 100 ? body.substring(0, 100) + "..." : body;
    }
}
