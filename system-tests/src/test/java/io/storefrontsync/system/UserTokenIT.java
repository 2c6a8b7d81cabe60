package io.storefrontsync.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.storefrontsync.sandbox.DemoShop;
import io.storefrontsync.sandbox.testing.EndToEndSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #16: the worker's {@code user} role is issued. A merchant who installed the app (session cookie) asks the
 * gateway for a user JWT at {@code POST /session/token}; the packaged worker accepts it for that merchant's
 * {@code GET /jobs} and {@code GET /connections} and refuses it (403) for any other uuid.
 */
class UserTokenIT {

    private static EndToEndSystem system;
    private static SystemClient merchant;
    private static SystemClient stranger;

    @BeforeAll
    static void start() {
        system = EndToEndSystem.start("UserTokenIT",
                Map.of("SIM_SHOPIFY_BUCKET_SIZE", "10000", "SIM_SHOPIFY_RESTORE_RATE", "1000"));
        merchant = new SystemClient(system);
        stranger = new SystemClient(system);
    }

    @AfterAll
    static void stop() {
        if (merchant != null) {
            merchant.close();
            stranger.close();
        }
        if (system != null) {
            system.close();
        }
    }

    @Test
    void theMintedTokenShouldReadItsOwnJobsAndConnectionsAndNobodyElses() throws Exception {
        SystemClient.Install install = merchant.install(DemoShop.DOMAIN);
        assertThat(install.status()).as(install.body()).isEqualTo(200);
        String user = install.userId();

        HttpResponse<String> minted = merchant.postJson(system.gateway().url() + "/session/token", "", null);
        assertThat(minted.statusCode()).as(minted.body()).isEqualTo(200);
        assertThat(minted.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
        JsonNode answer = SystemClient.JSON.readTree(minted.body());
        String token = answer.path("access_token").asText();
        assertThat(answer.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(answer.path("expires_in").asLong()).isBetween(60L, 3600L);

        String worker = system.worker().url();
        SystemClient.await("the install job listed for the merchant", Duration.ofSeconds(60), () -> {
            try {
                HttpResponse<String> jobs = merchant.getAuthorized(worker + "/jobs?userId=" + user, token);
                return jobs.statusCode() == 200 && SystemClient.JSON.readTree(jobs.body()).path("jobs").size() >= 1;
            } catch (Exception e) {
                return false;
            }
        });
        JsonNode jobs = SystemClient.JSON.readTree(merchant.getAuthorized(worker + "/jobs?userId=" + user, token).body());
        assertThat(jobs.path("jobs").get(0).path("target").path("id").asText()).isEqualTo(DemoShop.DOMAIN);
        assertThat(jobs.path("jobs").get(0).path("trigger").asText()).isEqualTo("install");

        HttpResponse<String> connections = merchant.getAuthorized(worker + "/connections?userId=" + user, token);
        assertThat(connections.statusCode()).as(connections.body()).isEqualTo(200);
        assertThat(SystemClient.JSON.readTree(connections.body()).path("connections").get(0).path("target").path("id").asText())
                .isEqualTo(DemoShop.DOMAIN);

        String someoneElse = UUID.randomUUID().toString();
        assertThat(merchant.getAuthorized(worker + "/jobs?userId=" + someoneElse, token).statusCode()).isEqualTo(403);
        assertThat(merchant.getAuthorized(worker + "/connections?userId=" + someoneElse, token).statusCode()).isEqualTo(403);
        // Not an admin token: the gateway's admin API (another audience) refuses it.
        assertThat(merchant.getAuthorized(system.gateway().url() + "/admin/shops/" + DemoShop.DOMAIN + "/webhooks", token)
                .statusCode()).isEqualTo(401);

        HttpResponse<String> noSession = stranger.postJson(system.gateway().url() + "/session/token", "", null);
        assertThat(noSession.statusCode()).isEqualTo(401);
        assertThat(noSession.body()).contains("no_session").doesNotContain("eyJ");
    }
}
