package io.storefrontsync.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.storefrontsync.sandbox.DemoShop;
import io.storefrontsync.sandbox.testing.EndToEndSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #4 end to end: the merchant who installed the Shopify app connects their Facebook Pages;
 * each Page's data lands in Spaces under the same user, follows Page webhooks, and is erased by
 * Meta's data deletion callback.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FacebookPipelineIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private static EndToEndSystem system;
    private static SystemClient client;
    private static String userId;
    private static final List<String> pageIds = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        system = EndToEndSystem.start("FacebookPipelineIT", Map.of());
        client = new SystemClient(system);
        userId = InstalledShops.install(client, List.of(DemoShop.DOMAIN)).user(DemoShop.DOMAIN);
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (system != null) {
            system.close();
        }
    }

    private static String pageKey(String pageId) {
        return "users/" + userId + "/facebook/" + pageId + "/page_data.json";
    }

    @Test
    @Order(0)
    void anOperatorShouldPointTheAppsPageWebhooksAtTheGateway() throws Exception {
        String token = SystemClient.JSON.readTree(client.post(system.gateway().url() + "/admin/token", new byte[0],
                Map.of("X-Admin-Api-Key", system.env().get("ADMIN_API_KEY"))).body()).path("access_token").asText();

        // Graph (the simulator) verifies the callback with GET /facebook/webhook before it answers.
        HttpResponse<String> subscribed = client.post(system.gateway().url() + "/admin/facebook/webhooks", new byte[0],
                Map.of("Authorization", "Bearer " + token));
        assertThat(subscribed.statusCode()).as(subscribed.body()).isEqualTo(200);
        JsonNode listed = SystemClient.JSON.readTree(client.get(system.facebookSimulatorUrl() + "/v26.0/"
                + system.env().get("FACEBOOK_APP_ID") + "/subscriptions?access_token="
                + URLEncoder.encode(system.env().get("FACEBOOK_APP_ID") + "|" + system.env().get("FACEBOOK_APP_SECRET"),
                StandardCharsets.UTF_8), null).body());
        assertThat(listed.path("data").get(0).path("callback_url").asText()).isEqualTo(system.env().get("FACEBOOK_WEBHOOK_ADDRESS"));
    }

    @Test
    @Order(1)
    void connectingFacebookShouldPutEachPageInSpacesUnderTheSameUser() throws Exception {
        SystemClient.Install connected = client.connectFacebook();

        assertThat(connected.status()).as(connected.body()).isEqualTo(200);
        assertThat(connected.userId()).isEqualTo(userId);
        assertThat(connected.body()).doesNotContain("access_token").doesNotContain("EAA");
        JsonNode pages = connected.json().path("pages");
        assertThat(pages.size()).isEqualTo(2);
        for (JsonNode page : pages) {
            assertThat(page.path("webhook_result").path("status").asText()).isEqualTo("success");
            assertThat(page.path("sync_result").path("status").asText()).isEqualTo("success");
            pageIds.add(page.path("id").asText());
        }
        JsonNode simulatedUser = SystemClient.JSON.readTree(client.get(system.facebookSimulatorUrl() + "/_sim/user", null).body());
        assertThat(pageIds).containsExactlyInAnyOrderElementsOf(
                SystemClient.JSON.convertValue(simulatedUser.path("pages"), List.class));

        for (String pageId : pageIds) {
            SystemClient.await("page_data.json of " + pageId, TIMEOUT, () -> client.object(pageKey(pageId)).isPresent());
            JsonNode page = SystemClient.JSON.readTree(client.object(pageKey(pageId)).orElseThrow());
            assertThat(page.path("id").asText()).isEqualTo(pageId);
            assertThat(page.path("name").asText()).isNotBlank();
            assertThat(page.findValues("access_token")).isEmpty();
        }
    }

    @Test
    @Order(2)
    void aPageWebhookShouldBringTheChangeToSpaces() throws Exception {
        String pageId = pageIds.get(0);
        String before = name(client.object(pageKey(pageId)));

        HttpResponse<String> event = client.postJson(system.facebookSimulatorUrl() + "/_sim/pages/" + pageId + "/events",
                "{\"field\":\"name\"}", null);
        assertThat(event.statusCode()).isEqualTo(200);
        assertThat(SystemClient.JSON.readTree(event.body()).path("delivered").asInt()).isEqualTo(1);

        SystemClient.await("the new page name in Spaces", TIMEOUT, () -> !before.equals(name(client.object(pageKey(pageId)))));
    }

    @Test
    @Order(3)
    void metasDataDeletionCallbackShouldEraseThePagesAndAnswerAStatusUrl() throws Exception {
        JsonNode simulatedUser = SystemClient.JSON.readTree(client.get(system.facebookSimulatorUrl() + "/_sim/user", null).body());
        String signedRequest = SystemClient.JSON.readTree(client.postJson(system.facebookSimulatorUrl() + "/_sim/signed-request",
                "{\"user_id\":\"" + simulatedUser.path("id").asText() + "\"}", null).body()).path("signed_request").asText();

        HttpResponse<String> forged = client.post(system.gateway().url() + "/facebook/data-deletion",
                ("signed_request=" + URLEncoder.encode(signedRequest.substring(1) + "x", StandardCharsets.UTF_8))
                        .getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "application/x-www-form-urlencoded"));
        assertThat(forged.statusCode()).isIn(400, 401);
        assertThat(client.object(pageKey(pageIds.get(0)))).isPresent();

        HttpResponse<String> deletion = client.post(system.gateway().url() + "/facebook/data-deletion",
                ("signed_request=" + URLEncoder.encode(signedRequest, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/x-www-form-urlencoded"));
        assertThat(deletion.statusCode()).as(deletion.body()).isEqualTo(200);
        JsonNode answer = SystemClient.JSON.readTree(deletion.body());
        assertThat(answer.path("confirmation_code").asText()).isNotBlank();

        for (String pageId : pageIds) {
            SystemClient.await("page " + pageId + " erased from Spaces", TIMEOUT, () -> client.object(pageKey(pageId)).isEmpty());
        }
        String statusPath = URI.create(answer.path("url").asText()).getPath();
        assertThat(client.get(system.gateway().url() + statusPath, null).statusCode()).isEqualTo(200);
    }

    private static String name(Optional<byte[]> object) {
        try {
            return object.isEmpty() ? "" : SystemClient.JSON.readTree(object.get()).path("name").asText();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
