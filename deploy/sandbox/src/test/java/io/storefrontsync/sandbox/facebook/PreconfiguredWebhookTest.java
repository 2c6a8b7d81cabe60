package io.storefrontsync.sandbox.facebook;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Config.webhookCallbackUrl stands in for the App Dashboard: deliveries need only the Page's subscribed_apps. */
class PreconfiguredWebhookTest extends SimulatorTestSupport {

    private WebhookReceiver receiver;

    @Override
    protected FacebookSimulator.Config config() {
        try {
            receiver = new WebhookReceiver(vertx, VERIFY_TOKEN); // vertx is started before config() is read
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return new FacebookSimulator.Config(APP_ID, APP_SECRET, receiver.url(), VERIFY_TOKEN, 7L, 3, 1, 10);
    }

    @AfterAll
    void stopReceiver() throws Exception {
        receiver.close();
    }

    @Test
    void deliversToTheConfiguredCallbackOnceThePageSubscribed() {
        String pageId = firstPageId();
        String pageToken = pageToken(longLivedUserToken(), pageId);
        assertThat(simUser().getJsonArray("pages")).hasSize(3);
        postForm("/v26.0/" + pageId + "/subscribed_apps", Map.of("access_token", pageToken,
                "subscribed_fields", "category"));

        Reply event = postJson("/_sim/pages/" + pageId + "/events", new JsonObject().put("field", "category")
                .put("count", 2));

        assertThat(event.json().getInteger("delivered")).isEqualTo(2);
        assertThat(receiver.posts).hasSize(2);
        Reply subscriptions = get("/v26.0/" + APP_ID + "/subscriptions?access_token=" + enc(APP_ID + "|" + APP_SECRET));
        assertThat(subscriptions.json().getJsonArray("data").getJsonObject(0).getString("callback_url"))
                .isEqualTo(receiver.url());
    }
}
