package io.storefrontsync.sandbox.shopify;

import io.storefrontsync.common.signature.ShopifyOAuthQueryVerifier;
import io.storefrontsync.common.signature.SignatureVerificationException;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShopifyOAuthTest {

    private static SimulatorFixture sim;

    @BeforeAll
    static void start() throws Exception {
        sim = new SimulatorFixture(SimulatorFixture.smallStore(3));
    }

    @AfterAll
    static void stop() throws Exception {
        sim.close();
    }

    @Test
    void shouldRedirectWithVerifiableHmac() throws Exception {
        Map<String, String> params = sim.authorize("read_products", "state-123");
        assertThat(params.get("__location")).startsWith("https://app.example/shopify/callback?");
        assertThat(params.get("shop")).isEqualTo(SimulatorFixture.SHOP);
        assertThat(params.get("state")).isEqualTo("state-123");
        assertThat(new String(Base64.getDecoder().decode(params.get("host")), StandardCharsets.UTF_8))
                .isEqualTo("admin.shopify.com/store/test-shop");
        assertThat(Long.parseLong(params.get("timestamp"))).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(5L));
        assertThat(params.get("hmac")).isEqualTo(expectedHmac(params, SimulatorFixture.SECRET));
        assertThat(params.get("hmac")).isNotEqualTo(expectedHmac(params, "another-secret"));

        // ...and the gateway's verifier (common) accepts the redirect, and refuses it under another secret.
        Map<String, List<String>> query = ShopifyOAuthQueryVerifier.parseQuery(
                URI.create(params.get("__location")).getRawQuery());
        ShopifyOAuthQueryVerifier.verify(query, SimulatorFixture.SECRET);
        assertThatThrownBy(() -> ShopifyOAuthQueryVerifier.verify(query, "another-secret"))
                .isInstanceOf(SignatureVerificationException.class);
    }

    /** Written from Shopify's docs, independently of the simulator's Signatures. */
    private static String expectedHmac(Map<String, String> params, String secret) throws Exception {
        StringBuilder message = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(params).entrySet()) {
            if (e.getKey().equals("hmac") || e.getKey().startsWith("__")) {
                continue;
            }
            message.append(message.length() == 0 ? "" : "&").append(e.getKey()).append('=').append(e.getValue());
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(message.toString().getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void shouldRejectWrongClientIdOnAuthorize() throws Exception {
        HttpResponse<String> response = sim.get(sim.shopUrl() + "/admin/oauth/authorize?client_id=nope&scope=read_products"
                + "&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&state=s");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("Oauth error invalid_request");
    }

    @Test
    void shouldExchangeCodeOnceForExpiringTokenPair() throws Exception {
        Map<String, String> redirect = sim.authorize("read_products,read_inventory", "s1");
        JsonObject request = new JsonObject().put("client_id", SimulatorFixture.KEY)
                .put("client_secret", SimulatorFixture.SECRET).put("code", redirect.get("code")).put("expiring", "1");
        HttpResponse<String> first = sim.postJson(sim.shopUrl() + "/admin/oauth/access_token", request);
        assertThat(first.statusCode()).isEqualTo(200);
        JsonObject tokens = new JsonObject(first.body());
        assertThat(tokens.getString("access_token")).startsWith("shpat_");
        assertThat(tokens.getLong("expires_in")).isEqualTo(3600L);
        assertThat(tokens.getString("refresh_token")).startsWith("shprt_");
        assertThat(tokens.getLong("refresh_token_expires_in")).isEqualTo(7_776_000L);
        assertThat(tokens.getString("scope")).isEqualTo("read_products,read_inventory");
        assertThat(sim.graphql(tokens.getString("access_token"), "{ shop { id } }").containsKey("data")).isTrue();

        // Tests hunting for token leaks can ask the simulator for every token it issued.
        String issued = sim.get(sim.base() + "/_sim/tokens").body();
        assertThat(issued).contains(tokens.getString("access_token"), tokens.getString("refresh_token"));

        HttpResponse<String> reused = sim.postJson(sim.shopUrl() + "/admin/oauth/access_token", request);
        assertThat(reused.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(reused.body()).getString("error")).isEqualTo("invalid_request");
    }

    @Test
    void shouldAcceptFormEncodedTokenRequest() throws Exception {
        Map<String, String> redirect = sim.authorize("read_products", "s-form");
        HttpResponse<String> response = sim.post(sim.shopUrl() + "/admin/oauth/access_token",
                "application/x-www-form-urlencoded", "client_id=" + SimulatorFixture.KEY + "&client_secret="
                        + SimulatorFixture.SECRET + "&code=" + redirect.get("code") + "&expiring=1");
        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void shouldRejectWrongSecretWrongCodeAndNonExpiringRequest() throws Exception {
        Map<String, String> redirect = sim.authorize("read_products", "s2");
        HttpResponse<String> wrongSecret = sim.postJson(sim.shopUrl() + "/admin/oauth/access_token", new JsonObject()
                .put("client_id", SimulatorFixture.KEY).put("client_secret", "wrong").put("code", redirect.get("code"))
                .put("expiring", "1"));
        assertThat(wrongSecret.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(wrongSecret.body()).getString("error")).isEqualTo("invalid_client");
        assertThat(new JsonObject(wrongSecret.body()).getString("error_description")).isNotBlank();

        HttpResponse<String> wrongCode = sim.postJson(sim.shopUrl() + "/admin/oauth/access_token", new JsonObject()
                .put("client_id", SimulatorFixture.KEY).put("client_secret", SimulatorFixture.SECRET)
                .put("code", "not-a-code").put("expiring", "1"));
        assertThat(wrongCode.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(wrongCode.body()).getString("error")).isEqualTo("invalid_request");

        HttpResponse<String> nonExpiring = sim.postJson(sim.shopUrl() + "/admin/oauth/access_token", new JsonObject()
                .put("client_id", SimulatorFixture.KEY).put("client_secret", SimulatorFixture.SECRET)
                .put("code", redirect.get("code")));
        assertThat(nonExpiring.statusCode()).isEqualTo(400);
        assertThat(nonExpiring.body()).contains("expiring=1");
    }

    @Test
    void shouldRotateRefreshTokens() throws Exception {
        JsonObject installed = sim.install();
        String first = installed.getString("refresh_token");
        JsonObject second = refresh(first, 200);
        assertThat(second.getString("access_token")).isNotEqualTo(installed.getString("access_token"));
        assertThat(second.getString("refresh_token")).isNotEqualTo(first);
        assertThat(sim.graphql(second.getString("access_token"), "{ shop { id } }").containsKey("data")).isTrue();

        // Like Shopify since 2026-08: a lost refresh answer can be retried with the old token...
        JsonObject retried = refresh(first, 200);
        // ...until the app uses the replacement, which retires the old one for good.
        refresh(retried.getString("refresh_token"), 200);
        JsonObject error = refresh(first, 400);
        assertThat(error.getString("error")).isEqualTo("invalid_grant");

        HttpResponse<String> wrongSecret = sim.postJson(sim.shopUrl() + "/admin/oauth/access_token", new JsonObject()
                .put("client_id", SimulatorFixture.KEY).put("client_secret", "wrong")
                .put("grant_type", "refresh_token").put("refresh_token", second.getString("refresh_token")));
        assertThat(wrongSecret.statusCode()).isEqualTo(400);
    }

    @Test
    void shouldCountEachRefreshTokensRedemptionsAndRateLimitTheTokenEndpoint() throws Exception {
        HttpResponse<String> added = sim.postJson(sim.base() + "/_sim/shops",
                new JsonObject().put("prefix", "bulk-").put("count", 2));
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        JsonObject bulk = new JsonObject(added.body()).getJsonArray("shops").getJsonObject(1);
        assertThat(bulk.getString("shop")).isEqualTo("bulk-1.myshopify.com");
        String tokenUrl = sim.base() + "/bulk-1.myshopify.com/admin/oauth/access_token";
        JsonObject grant = new JsonObject().put("client_id", SimulatorFixture.KEY)
                .put("client_secret", SimulatorFixture.SECRET).put("grant_type", "refresh_token")
                .put("refresh_token", bulk.getString("refresh_token"));

        assertThat(sim.postJson(tokenUrl, grant).statusCode()).isEqualTo(200);
        // Spent twice (allowed here, within Shopify's retry window): the counter shows it.
        assertThat(sim.postJson(tokenUrl, grant).statusCode()).isEqualTo(200);
        JsonObject redemptions = new JsonObject(sim.get(sim.base() + "/_sim/token-redemptions").body());
        assertThat(redemptions.getJsonObject("redemptions").getInteger(bulk.getString("refresh_token"))).isEqualTo(2);

        try {
            sim.postJson(sim.base() + "/_sim/token-rate-limit", new JsonObject().put("perSecond", 1));
            int limited = 0;
            for (int i = 0; i < 4; i++) {
                HttpResponse<String> answer = sim.postJson(tokenUrl, grant.copy().put("refresh_token", "shprt_unknown"));
                if (answer.statusCode() == 429) {
                    limited++;
                    assertThat(answer.headers().firstValue("Retry-After")).hasValue("1.0");
                } else {
                    assertThat(new JsonObject(answer.body()).getString("error")).isEqualTo("invalid_grant");
                }
            }
            assertThat(limited).isPositive();
            JsonObject after = new JsonObject(sim.get(sim.base() + "/_sim/token-redemptions").body());
            assertThat(after.getLong("rateLimited")).isEqualTo(limited);
            // A refused call never reached the grant: only the others count as redemptions of it.
            assertThat(after.getJsonObject("redemptions").getInteger("shprt_unknown")).isEqualTo(4 - limited);
            assertThat(after.getLong("refused")).isEqualTo(redemptions.getLong("refused") + 4 - limited);
        } finally {
            sim.postJson(sim.base() + "/_sim/token-rate-limit", new JsonObject().put("perSecond", 0));
        }
    }

    private JsonObject refresh(String refreshToken, int expectedStatus) throws Exception {
        HttpResponse<String> response = sim.postJson(sim.shopUrl() + "/admin/oauth/access_token", new JsonObject()
                .put("client_id", SimulatorFixture.KEY).put("client_secret", SimulatorFixture.SECRET)
                .put("grant_type", "refresh_token").put("refresh_token", refreshToken));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
        return new JsonObject(response.body());
    }

    @Test
    void shouldRejectExpiredAccessToken() throws Exception {
        JsonObject installed = sim.install();
        String token = installed.getString("access_token");
        assertThat(sim.graphqlRaw(token, new JsonObject().put("query", "{ shop { id } }")).statusCode()).isEqualTo(200);
        try {
            sim.postJson(sim.base() + "/_sim/clock", new JsonObject().put("advanceSeconds", 3601));
            HttpResponse<String> expired = sim.graphqlRaw(token, new JsonObject().put("query", "{ shop { id } }"));
            assertThat(expired.statusCode()).isEqualTo(401);
            assertThat(new JsonObject(expired.body()).getString("errors")).isEqualTo(ShopifyErrors.INVALID_TOKEN);
            // The refresh token outlives the access token.
            JsonObject renewed = refresh(installed.getString("refresh_token"), 200);
            assertThat(sim.graphqlRaw(renewed.getString("access_token"), new JsonObject().put("query", "{ shop { id } }"))
                    .statusCode()).isEqualTo(200);
        } finally {
            sim.simulator.clockForTests().reset();
        }
    }

    @Test
    void shouldServeShopsByHostHeaderOrShortNameToo() throws Exception {
        String token = sim.install().getString("access_token");
        io.vertx.ext.web.client.WebClient client = io.vertx.ext.web.client.WebClient.create(sim.vertx);
        try {
            var byHost = client.post(sim.port, "127.0.0.1", "/admin/api/2026-07/graphql.json")
                    .virtualHost(SimulatorFixture.SHOP)
                    .putHeader("X-Shopify-Access-Token", token)
                    .sendJsonObject(new JsonObject().put("query", "{ shop { myshopifyDomain } }"))
                    .toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(byHost.statusCode()).isEqualTo(200);
            assertThat(byHost.bodyAsJsonObject().getJsonObject("data").getJsonObject("shop").getString("myshopifyDomain"))
                    .isEqualTo(SimulatorFixture.SHOP);
            var noShop = client.post(sim.port, "127.0.0.1", "/admin/api/2026-07/graphql.json")
                    .putHeader("X-Shopify-Access-Token", token)
                    .sendJsonObject(new JsonObject().put("query", "{ shop { id } }"))
                    .toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(noShop.statusCode()).isEqualTo(404);
        } finally {
            client.close();
        }
        HttpResponse<String> shortName = sim.post(sim.base() + "/test-shop/admin/oauth/authorize", "text/plain", "");
        assertThat(shortName.statusCode()).isEqualTo(404); // authorize is GET only
    }
}
