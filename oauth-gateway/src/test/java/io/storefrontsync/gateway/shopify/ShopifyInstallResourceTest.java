package io.storefrontsync.gateway.shopify;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.Cookie;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.storefrontsync.common.crypto.TokenAad;
import io.storefrontsync.common.crypto.TokenCipher;
import io.storefrontsync.common.signature.ShopifyOAuthQueryVerifier;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.gateway.session.SessionCookies;
import io.storefrontsync.gateway.support.GatewayDb;
import io.storefrontsync.gateway.support.WorkerReceiver;
import io.storefrontsync.sandbox.DemoShop;
import io.storefrontsync.sandbox.testing.SandboxWorldResource;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

@QuarkusTest
@WithTestResource(value = SandboxWorldResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = WorkerReceiver.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ShopifyInstallResourceTest {

    private static final String SHOP = DemoShop.DOMAIN;

    @Inject
    Pool pool;

    @Inject
    TokenCipher cipher;

    @ConfigProperty(name = "gateway.shopify.api-secret")
    String secret;

    @ConfigProperty(name = "gateway.shopify.webhook-topics")
    java.util.List<String> webhookTopics;

    @ConfigProperty(name = "gateway.shopify.webhook-address")
    String webhookAddress;

    @ConfigProperty(name = "SHOPIFY_SIMULATOR_URL")
    String simulator;

    GatewayDb db;

    @BeforeEach
    void setUp() {
        db = new GatewayDb(pool);
    }

    /** The state cookie set by login, and the query Shopify (the simulator) redirected back with. */
    record Authorized(Cookie stateCookie, String callbackQuery) {
    }

    @Test
    void shouldRedirectToTheShopsAuthorizePageWithASignedStateCookie() {
        Response login = given().redirects().follow(false).get("/shopify/" + DemoShop.NAME + "/login");

        assertThat(login.statusCode()).isEqualTo(302);
        URI location = URI.create(login.header("Location"));
        assertThat(location.toString()).startsWith(simulator + "/" + SHOP + "/admin/oauth/authorize?");
        Map<String, List<String>> query = ShopifyOAuthQueryVerifier.parseQuery(location.getRawQuery());
        assertThat(query).containsKeys("client_id", "scope", "redirect_uri", "state");
        Cookie state = login.detailedCookie(SessionCookies.SHOPIFY_STATE);
        assertThat(state.isHttpOnly()).isTrue();
        assertThat(state.getSameSite()).isEqualToIgnoringCase("Lax");
        String nonce = query.get("state").get(0).split("\\.")[0];
        assertThat(state.getValue()).startsWith(nonce + ".");
        assertThat(db.count("SELECT count(*) FROM gateway.oauth_states WHERE nonce = $1", nonce)).isZero();
    }

    @Test
    void shouldWriteNoRowForAnonymousLogins() {
        long before = db.count("SELECT count(*) FROM gateway.oauth_states");

        for (int i = 0; i < 100; i++) {
            given().redirects().follow(false).get("/shopify/flood-" + i + "/login").then().statusCode(302);
        }

        assertThat(db.count("SELECT count(*) FROM gateway.oauth_states")).isEqualTo(before);
    }

    @Test
    void shouldRecordTheConsumedNonceOnceAndRefuseItsReplayAfterAReinstall() {
        Authorized authorized = authorize(DemoShop.NAME);
        String nonce = params(authorized.callbackQuery()).get("state").split("\\.")[0];
        callback(authorized).then().statusCode(200);

        assertThat(db.count("SELECT count(*) FROM gateway.oauth_states WHERE nonce = $1 AND shop = $2 "
                + "AND used_at IS NOT NULL AND expires_at > now()", nonce, SHOP)).isEqualTo(1);
        callback(authorize(DemoShop.NAME)).then().statusCode(200);
        callback(authorized).then().statusCode(403).body("message", containsString("already used"));
    }

    @Test
    void shouldRejectAStateSignedForAnotherShopOrAlteredWith403() {
        String otherLocation = given().redirects().follow(false).get("/shopify/other-shop/login").header("Location");
        String otherState = params(URI.create(otherLocation).getRawQuery()).get("state");
        Authorized own = authorize(DemoShop.NAME);
        String[] parts = params(own.callbackQuery()).get("state").split("\\.");
        String extended = parts[0] + "." + (Long.parseLong(parts[1]) + 3600) + "." + parts[2];
        long before = tokenRequests();

        for (String state : List.of(otherState, extended, parts[0])) {
            Map<String, String> params = params(own.callbackQuery());
            params.put("state", state);
            callback(new Authorized(own.stateCookie(), signed(params)))
                    .then().statusCode(403).body("error", is("invalid_state"))
                    .body("message", containsString("another shop"));
        }
        assertThat(tokenRequests()).as("code exchanges attempted").isEqualTo(before);
    }

    @Test
    void shouldRejectAnInvalidShopOnLoginWithAJson400() {
        for (String bad : List.of("evil.example", "x.myshopify.com.evil.tld", "a_b", "%2e%2e")) {
            given().redirects().follow(false).get("/shopify/" + bad + "/login")
                    .then().statusCode(400).contentType("application/json").body("error", is("invalid_input"))
                    .body("message", containsString("shop"));
        }
    }

    @Test
    void shouldInstallEndToEndAndReuseTheUserOnReinstall() {
        Response first = callback(authorize(DemoShop.NAME));

        first.then().statusCode(200)
                .body("webhook_result.status", is("success"))
                .body("sync_result.status", is("success"));
        String user = first.jsonPath().getString("user_uuid");
        Cookie session = first.detailedCookie(SessionCookies.SESSION);
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getValue()).startsWith(user + ".");

        Row row = db.query("SELECT user_id, status, access_token_enc, refresh_token_enc, access_token_expires_at "
                + "FROM gateway.shopify_connections WHERE shop = $1", SHOP).get(0);
        assertThat(row.getUUID("user_id").toString()).isEqualTo(user);
        assertThat(row.getString("status")).isEqualTo("active");
        assertThat(row.getOffsetDateTime("access_token_expires_at")).isAfter(java.time.OffsetDateTime.now());
        String access = cipher.decrypt(row.getString("access_token_enc"), TokenAad.shopifyAccessToken(new ShopDomain(SHOP)));
        String refresh = cipher.decrypt(row.getString("refresh_token_enc"), TokenAad.shopifyRefreshToken(new ShopDomain(SHOP)));
        assertThat(row.getString("access_token_enc")).doesNotContain(access);
        assertThat(row.getString("refresh_token_enc")).doesNotContain(refresh);
        assertThat(first.asString()).doesNotContain(access).doesNotContain(refresh);
        assertThat(first.headers().toString()).doesNotContain(access).doesNotContain(refresh);

        assertThat(ourSubscriptions()).extracting(subscription -> subscription.get("topic"))
                .containsExactlyInAnyOrderElementsOf(webhookTopics);
        assertThat(db.count("SELECT count(*) FROM gateway.outbox WHERE payload->>'topic' = 'app/installed' "
                + "AND payload->>'userId' = $1", user)).isGreaterThanOrEqualTo(1);

        Response again = callback(authorize(DemoShop.DOMAIN));

        again.then().statusCode(200).body("user_uuid", is(user)).body("webhook_result.status", is("success"));
        assertThat(ourSubscriptions()).hasSize(webhookTopics.size()); // idempotent: nothing registered twice
    }

    @Test
    void shouldRejectABadHmacWith401() {
        Authorized authorized = authorize(DemoShop.NAME);
        String tampered = authorized.callbackQuery().replaceAll("hmac=[0-9a-f]{64}", "hmac=" + "0".repeat(64));

        long before = tokenRequests();
        callback(new Authorized(authorized.stateCookie(), tampered))
                .then().statusCode(401).body("message", containsString("hmac mismatch"));
        assertThat(tokenRequests()).as("code exchanges attempted").isEqualTo(before);
    }

    @Test
    void shouldRejectAStaleTimestampWith401() {
        Authorized authorized = authorize(DemoShop.NAME);
        Map<String, String> params = params(authorized.callbackQuery());
        params.put("timestamp", String.valueOf(Instant.now().minusSeconds(600).getEpochSecond()));

        long before = tokenRequests();
        callback(new Authorized(authorized.stateCookie(), signed(params)))
                .then().statusCode(401).body("message", containsString("timestamp outside tolerance"));
        assertThat(tokenRequests()).as("code exchanges attempted").isEqualTo(before);
    }

    @Test
    void shouldRejectAReusedStateWith403() {
        Authorized authorized = authorize(DemoShop.NAME);
        callback(authorized).then().statusCode(200);

        long before = tokenRequests();
        callback(authorized).then().statusCode(403).body("error", is("invalid_state"))
                .body("message", containsString("already used"));
        assertThat(tokenRequests()).as("code exchanges attempted").isEqualTo(before);
    }

    @Test
    void shouldRejectAStateFromAnotherBrowserWith403() {
        Authorized victim = authorize(DemoShop.NAME);
        Authorized attacker = authorize(DemoShop.NAME);
        long before = tokenRequests();

        callback(new Authorized(attacker.stateCookie(), victim.callbackQuery()))
                .then().statusCode(403).body("message", containsString("does not belong to this browser"));
        callback(new Authorized(null, victim.callbackQuery()))
                .then().statusCode(403).body("message", containsString("state cookie"));
        Cookie forged = new Cookie.Builder(SessionCookies.SHOPIFY_STATE,
                params(victim.callbackQuery()).get("state") + ".9999999999.AAAA").build();
        callback(new Authorized(forged, victim.callbackQuery()))
                .then().statusCode(403).body("message", containsString("state cookie"));
        assertThat(tokenRequests()).as("code exchanges attempted").isEqualTo(before);
    }

    @Test
    void shouldRejectAShopOutsideMyshopifyEvenWithAValidHmac() {
        for (String bad : List.of("evil.example", "x.myshopify.com.evil.tld", DemoShop.NAME)) {
            Authorized authorized = authorize(DemoShop.NAME);
            Map<String, String> params = params(authorized.callbackQuery());
            params.put("shop", bad);
            long before = tokenRequests();

            callback(new Authorized(authorized.stateCookie(), signed(params)))
                    .then().statusCode(400).body("error", is("invalid_shop"));
            assertThat(tokenRequests()).as("code exchanges attempted for shop=%s", bad).isEqualTo(before);
            assertThat(db.count("SELECT count(*) FROM gateway.shopify_connections WHERE shop = $1", bad)).isZero();
        }
    }

    /** Calls of the simulator's /admin/oauth/access_token: a refused callback must not reach it. */
    private long tokenRequests() {
        return given().get(simulator + "/_sim/shops/" + SHOP + "/state").then().statusCode(200)
                .extract().jsonPath().getLong("stats.tokenRequests");
    }

    private List<Map<String, Object>> ourSubscriptions() {
        JsonPath state = given().get(simulator + "/_sim/shops/" + SHOP + "/state").then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> all = state.getList("subscriptions");
        List<Map<String, Object>> ours = new ArrayList<>();
        for (Map<String, Object> s : all) {
            if (webhookAddress.equals(s.get("uri"))) {
                ours.add(s);
            }
        }
        return ours;
    }

    private Authorized authorize(String shop) {
        Response login = given().redirects().follow(false).get("/shopify/" + shop + "/login");
        assertThat(login.statusCode()).isEqualTo(302);
        Response approve = given().redirects().follow(false).urlEncodingEnabled(false).get(login.header("Location"));
        assertThat(approve.statusCode()).isEqualTo(302);
        return new Authorized(login.detailedCookie(SessionCookies.SHOPIFY_STATE),
                URI.create(approve.header("Location")).getRawQuery());
    }

    private Response callback(Authorized authorized) {
        var request = given().redirects().follow(false).urlEncodingEnabled(false);
        if (authorized.stateCookie() != null) {
            request = request.cookie(authorized.stateCookie());
        }
        return request.get("/shopify/callback?" + authorized.callbackQuery());
    }

    private static Map<String, String> params(String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        ShopifyOAuthQueryVerifier.parseQuery(rawQuery).forEach((k, v) -> params.put(k, v.get(0)));
        return params;
    }

    private String signed(Map<String, String> params) {
        Map<String, List<String>> multi = new LinkedHashMap<>();
        params.forEach((k, v) -> {
            if (!k.equals("hmac")) {
                multi.put(k, List.of(v));
            }
        });
        String hmac = ShopifyOAuthQueryVerifier.sign(multi, secret);
        return multi.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue().get(0)))
                .collect(Collectors.joining("&")) + "&hmac=" + hmac;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
