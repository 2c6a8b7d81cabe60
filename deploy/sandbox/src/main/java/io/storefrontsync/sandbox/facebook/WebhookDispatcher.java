package io.storefrontsync.sandbox.facebook;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;

/**
 * Delivers Page change notifications to the app's callback the way Meta does: one POST per change batch,
 * {@code {"object":"page","entry":[{"id","time","changes":[{"field","value"}]}]}}, signed with the app secret in
 * {@code X-Hub-Signature-256} (and legacy {@code X-Hub-Signature}), retried while the callback answers non-2xx.
 * Delivery happens only when both the app subscription (object {@code page}) and the Page's
 * {@code subscribed_apps} include the field, which is why a missing {@code subscribed_apps} call is visible here.
 */
final class WebhookDispatcher {

    private final Vertx vertx;
    private final WebClient client;
    private final FacebookWorld world;
    private final String appSecret;
    private final int maxAttempts;
    private final long retryDelayMillis;

    WebhookDispatcher(Vertx vertx, WebClient client, FacebookWorld world, String appSecret, int maxAttempts,
            long retryDelayMillis) {
        this.vertx = vertx;
        this.client = client;
        this.world = world;
        this.appSecret = appSecret;
        this.maxAttempts = Math.max(1, maxAttempts);
        this.retryDelayMillis = retryDelayMillis;
    }

    /** Delivers one change; the future always succeeds with what happened (never fails the caller). */
    Future<FacebookWorld.Delivery> deliver(String pageId, String field, Object value) {
        long time = world.now().getEpochSecond();
        var subscription = world.appSubscription("page").filter(FacebookWorld.AppSubscription::active);
        if (subscription.isEmpty()) {
            return Future.succeededFuture(skipped(pageId, field, null, time,
                    "the app has no active webhook subscription for object page"));
        }
        String callbackUrl = subscription.get().callbackUrl();
        if (!subscription.get().fields().contains(field)) {
            return Future.succeededFuture(skipped(pageId, field, callbackUrl, time,
                    "the app subscription for object page does not include field " + field));
        }
        if (!world.pageSubscription(pageId).map(fields -> fields.contains(field)).orElse(false)) {
            return Future.succeededFuture(skipped(pageId, field, callbackUrl, time,
                    "page " + pageId + " has not subscribed the app to field " + field + " (subscribed_apps)"));
        }
        JsonObject payload = new JsonObject()
                .put("object", "page")
                .put("entry", new JsonArray().add(new JsonObject()
                        .put("id", pageId)
                        .put("time", time)
                        .put("changes", new JsonArray().add(new JsonObject().put("field", field).put("value", value)))));
        byte[] body = payload.encode().getBytes(StandardCharsets.UTF_8);
        Promise<FacebookWorld.Delivery> result = Promise.promise();
        attempt(pageId, field, callbackUrl, body, time, 1, result);
        return result.future().onSuccess(world::recordDelivery);
    }

    private void attempt(String pageId, String field, String callbackUrl, byte[] body, long time, int attempt,
            Promise<FacebookWorld.Delivery> result) {
        client.postAbs(callbackUrl)
                .timeout(10_000)
                .putHeader("Content-Type", "application/json")
                .putHeader("User-Agent", "facebookexternalua")
                .putHeader("X-Hub-Signature", MetaSignatures.hubSignature(appSecret, body))
                .putHeader("X-Hub-Signature-256", MetaSignatures.hubSignature256(appSecret, body))
                .sendBuffer(Buffer.buffer(body))
                .onComplete(ar -> {
                    int status = ar.succeeded() ? ar.result().statusCode() : 0;
                    if (status >= 200 && status < 300) {
                        result.complete(new FacebookWorld.Delivery(pageId, field, callbackUrl, attempt, status, true,
                                null, time));
                    } else if (attempt < maxAttempts) {
                        // Meta backs off between retries; doubling keeps a flapping receiver from being hammered.
                        long delay = Math.max(1, retryDelayMillis << (attempt - 1));
                        vertx.setTimer(delay, id -> attempt(pageId, field, callbackUrl, body, time, attempt + 1,
                                result));
                    } else {
                        String error = ar.succeeded() ? "callback answered HTTP " + status
                                : "callback unreachable: " + ar.cause().getMessage();
                        result.complete(new FacebookWorld.Delivery(pageId, field, callbackUrl, attempt, status,
                                false, error, time));
                    }
                });
    }

    private static FacebookWorld.Delivery skipped(String pageId, String field, String callbackUrl, long time,
            String reason) {
        return new FacebookWorld.Delivery(pageId, field, callbackUrl, 0, 0, false, reason, time);
    }
}
