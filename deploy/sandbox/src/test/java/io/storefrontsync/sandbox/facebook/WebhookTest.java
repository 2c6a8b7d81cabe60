package io.storefrontsync.sandbox.facebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.storefrontsync.common.signature.MetaSignatureVerifier;
import io.storefrontsync.common.signature.SignatureVerificationException;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookTest extends SimulatorTestSupport {

    private static final String APP_TOKEN = APP_ID + "|" + APP_SECRET;
    private WebhookReceiver receiver;
    private String pageId;
    private String pageToken;

    @BeforeAll
    void startReceiverAndLogin() throws Exception {
        receiver = new WebhookReceiver(vertx, VERIFY_TOKEN);
        pageId = firstPageId();
        pageToken = pageToken(longLivedUserToken(), pageId);
    }

    @AfterAll
    void stopReceiver() throws Exception {
        receiver.close();
    }

    @BeforeEach
    void resetReceiver() {
        receiver.posts.clear();
        receiver.postStatuses.clear();
        receiver.echoWrongChallenge.set(false);
    }

    private Reply subscribeApp(String fields) {
        return postForm("/v26.0/" + APP_ID + "/subscriptions", Map.of("access_token", APP_TOKEN,
                "object", "page", "callback_url", receiver.url(), "fields", fields, "verify_token", VERIFY_TOKEN));
    }

    private Reply subscribePage(String fields) {
        return postForm("/v26.0/" + pageId + "/subscribed_apps", Map.of("access_token", pageToken,
                "subscribed_fields", fields));
    }

    @Test
    void subscribedAppsPostThenGet() {
        assertThat(subscribePage("name,category,description,feed").json().getBoolean("success")).isTrue();

        Reply listed = get("/v26.0/" + pageId + "/subscribed_apps?access_token=" + enc(pageToken));

        JsonObject app = listed.json().getJsonArray("data").getJsonObject(0);
        assertThat(app.getString("id")).isEqualTo(APP_ID);
        assertThat(app.getJsonArray("subscribed_fields").getList())
                .containsExactly("name", "category", "description", "feed");
    }

    @Test
    void subscribedAppsRejectsUnknownFieldsAndUserTokens() {
        Reply unknownField = subscribePage("name,not_a_field");
        Reply userToken = postForm("/v26.0/" + pageId + "/subscribed_apps", Map.of("access_token",
                longLivedUserToken(), "subscribed_fields", "name"));

        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(unknownField.error().getInteger("code")).isEqualTo(100);
        assertThat(unknownField.error().getString("message")).contains("subscribed_fields[1]").contains("not_a_field");
        assertThat(userToken.error().getInteger("code")).isEqualTo(210);
    }

    @Test
    void appSubscriptionRequiresTheChallengeEchoed() {
        receiver.echoWrongChallenge.set(true);
        Reply rejected = subscribeApp("name,feed");
        assertThat(rejected.status()).isEqualTo(400);
        assertThat(rejected.error().getInteger("code")).isEqualTo(2200);

        receiver.echoWrongChallenge.set(false);
        Reply accepted = subscribeApp("name,feed");
        assertThat(accepted.status()).isEqualTo(200);
        Reply listed = get("/v26.0/" + APP_ID + "/subscriptions?access_token=" + enc(APP_TOKEN));
        JsonObject subscription = listed.json().getJsonArray("data").getJsonObject(0);
        assertThat(subscription.getString("object")).isEqualTo("page");
        assertThat(subscription.getString("callback_url")).isEqualTo(receiver.url());
        assertThat(subscription.getBoolean("active")).isTrue();
    }

    @Test
    void appSubscriptionNeedsAnAppToken() {
        Reply reply = postForm("/v26.0/" + APP_ID + "/subscriptions", Map.of("access_token", pageToken,
                "object", "page", "callback_url", receiver.url(), "fields", "name"));

        assertThat(reply.error().getInteger("code")).isEqualTo(15);
    }

    @Test
    void eventChangesThePageAndDeliversASignedWebhook() throws Exception {
        assertThat(subscribeApp("name,feed").status()).isEqualTo(200);
        assertThat(subscribePage("name,feed").status()).isEqualTo(200);
        String before = get("/v26.0/" + pageId + "?fields=name&access_token=" + enc(pageToken)).json()
                .getString("name");

        Reply event = postJson("/_sim/pages/" + pageId + "/events", new JsonObject().put("field", "name"));

        assertThat(event.status()).isEqualTo(200);
        assertThat(event.json().getInteger("delivered")).isEqualTo(1);
        String after = get("/v26.0/" + pageId + "?fields=name&access_token=" + enc(pageToken)).json()
                .getString("name");
        assertThat(after).isNotEqualTo(before);

        WebhookReceiver.Received post = receiver.posts.poll();
        assertThat(post).isNotNull();
        JsonObject payload = new JsonObject(new String(post.body(), StandardCharsets.UTF_8));
        assertThat(payload.getString("object")).isEqualTo("page");
        JsonObject entry = payload.getJsonArray("entry").getJsonObject(0);
        assertThat(entry.getString("id")).isEqualTo(pageId);
        assertThat(entry.getLong("time")).isPositive();
        JsonObject change = entry.getJsonArray("changes").getJsonObject(0);
        assertThat(change.getString("field")).isEqualTo("name");
        assertThat(change.getValue("value")).isEqualTo(after);

        String signature = post.headers().get("x-hub-signature-256");
        assertThat(signature).startsWith("sha256=");
        assertThat(constantTimeEquals(signature, "sha256=" + hmacHex("HmacSHA256", APP_SECRET, post.body())))
                .isTrue();
        assertThat(constantTimeEquals(signature, "sha256=" + hmacHex("HmacSHA256", "wrong-secret", post.body())))
                .isFalse();
        // ...and the gateway's verifier (common) accepts it, and refuses it under another secret.
        MetaSignatureVerifier.verify(post.body(), signature, APP_SECRET);
        assertThatThrownBy(() -> MetaSignatureVerifier.verify(post.body(), signature, "wrong-secret"))
                .isInstanceOf(SignatureVerificationException.class);
        assertThat(post.headers().get("x-hub-signature"))
                .isEqualTo("sha1=" + hmacHex("HmacSHA1", APP_SECRET, post.body()));
    }

    @Test
    void eventForAFieldThePageDidNotSubscribeIsNotDelivered() {
        assertThat(subscribeApp("name,description").status()).isEqualTo(200);
        assertThat(subscribePage("name").status()).isEqualTo(200);

        Reply event = postJson("/_sim/pages/" + pageId + "/events", new JsonObject().put("field", "description"));

        assertThat(event.json().getInteger("delivered")).isZero();
        assertThat(event.json().getJsonArray("events").getJsonObject(0).getString("reason"))
                .contains("subscribed_apps");
        assertThat(receiver.posts).isEmpty();
    }

    @Test
    void deliveryIsRetriedWhileTheCallbackFails() {
        assertThat(subscribeApp("feed").status()).isEqualTo(200);
        assertThat(subscribePage("feed").status()).isEqualTo(200);
        receiver.postStatuses.add(500);
        receiver.postStatuses.add(503);

        Reply event = postJson("/_sim/pages/" + pageId + "/events", new JsonObject().put("field", "feed"));

        JsonObject result = event.json().getJsonArray("events").getJsonObject(0);
        assertThat(result.getBoolean("delivered")).isTrue();
        assertThat(result.getInteger("attempts")).isEqualTo(3);
        assertThat(receiver.posts).hasSize(3);
        JsonObject value = new JsonObject(new String(receiver.posts.peek().body(), StandardCharsets.UTF_8))
                .getJsonArray("entry").getJsonObject(0).getJsonArray("changes").getJsonObject(0)
                .getJsonObject("value");
        assertThat(value.getString("item")).isEqualTo("status");
        assertThat(value.getString("verb")).isEqualTo("add");
        assertThat(get("/_sim/state").json().getInteger("delivery_count")).isPositive();
    }

    private static String hmacHex(String algorithm, String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance(algorithm);
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
