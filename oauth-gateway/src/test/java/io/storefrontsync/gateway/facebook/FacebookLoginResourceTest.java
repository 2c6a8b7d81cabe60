package io.storefrontsync.gateway.facebook;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.Cookie;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.storefrontsync.common.crypto.TokenAad;
import io.storefrontsync.common.crypto.TokenCipher;
import io.storefrontsync.common.signature.ShopifyOAuthQueryVerifier;
import io.storefrontsync.common.validation.PageId;
import io.storefrontsync.gateway.session.SessionCookies;
import io.storefrontsync.gateway.support.FacebookLogin;
import io.storefrontsync.gateway.support.FacebookLogin.Authorized;
import io.storefrontsync.gateway.support.GatewayDb;
import io.storefrontsync.gateway.support.ShopifyInstall;
import io.storefrontsync.gateway.support.WorkerReceiver;
import io.storefrontsync.sandbox.testing.SandboxWorldResource;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static io.storefrontsync.gateway.support.FacebookLogin.callback;
import static io.storefrontsync.gateway.support.FacebookLogin.login;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

@QuarkusTest
@WithTestResource(value = SandboxWorldResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = WorkerReceiver.class, scope = TestResourceScope.MATCHING_RESOURCES)
class FacebookLoginResourceTest {

    /** Health, metrics and the OpenAPI document are on the management interface (a free port in tests). */
    @ConfigProperty(name = "quarkus.management.test-port")
    int managementPort;

    private static final String VERSION = "v26.0";

    @Inject
    Pool pool;

    @Inject
    TokenCipher cipher;

    @Inject
    FacebookConfig config;

    GatewayDb db;
    ShopifyInstall.Installed merchant;

    @BeforeEach
    void installedMerchant() {
        db = new GatewayDb(pool);
        merchant = ShopifyInstall.demoShop();
    }

    @Test
    void shouldRedirectToTheLoginDialogWithASignedStateCarryingTheUser() {
        Response login = login(merchant.session());

        assertThat(login.statusCode()).isEqualTo(302);
        URI location = URI.create(login.header("Location"));
        assertThat(location.toString()).startsWith(config.dialogUrl() + "/" + VERSION + "/dialog/oauth?");
        Map<String, String> query = params(location.getRawQuery());
        assertThat(query).containsEntry("client_id", config.appId())
                .containsEntry("redirect_uri", config.redirectUri())
                .containsEntry("response_type", "code")
                .containsEntry("scope", "pages_show_list,pages_manage_metadata,pages_read_engagement,pages_messaging");
        Cookie state = login.detailedCookie(SessionCookies.FACEBOOK_STATE);
        assertThat(state.isHttpOnly()).isTrue();
        assertThat(state.getValue()).startsWith(query.get("state") + ".");
        assertThat(db.count("SELECT count(*) FROM gateway.oauth_states WHERE nonce = $1 AND flow = 'facebook' "
                + "AND user_id = $2 AND used_at IS NULL", query.get("state"), java.util.UUID.fromString(merchant.userUuid())))
                .isEqualTo(1);
    }

    @Test
    void shouldAnswer401WithoutASessionInsteadOfRedirecting() {
        given().redirects().follow(false).get("/facebook/login")
                .then().statusCode(401).contentType("application/json").body("error", is("no_session"))
                .body("message", containsString("/shopify/{shop}/login"));
        Cookie forged = new Cookie.Builder(SessionCookies.SESSION, merchant.userUuid() + ".9999999999.AAAA").build();
        login(forged).then().statusCode(401).body("error", is("no_session"));
    }

    @Test
    void shouldConnectEveryPageWithEncryptedTokensSubscriptionsAndOneEventEach() {
        long outboxBefore = maxOutboxId();

        Response callback = callback(authorize());

        callback.then().statusCode(200).body("user_uuid", is(merchant.userUuid()));
        List<Map<String, Object>> pages = callback.jsonPath().getList("pages");
        Map<String, String> simulatorTokens = simulatorPageTokens();
        assertThat(pages).hasSize(2);
        assertThat(pages).extracting(p -> (String) p.get("id")).containsExactlyInAnyOrderElementsOf(simulatorTokens.keySet());
        for (Map<String, Object> page : pages) {
            assertThat(page.get("name")).isNotNull();
            assertThat(page.get("category")).isNotNull();
            assertThat(page.get("webhook_result")).isEqualTo(Map.of("status", "success"));
            assertThat(page.get("sync_result")).isEqualTo(Map.of("status", "success"));
        }
        assertThat(callback.asString()).doesNotContain("access_token").doesNotContain("EAA");
        assertThat(callback.headers().toString()).doesNotContain("EAA");

        String facebookUser = given().get(config.graphUrl() + "/_sim/user").jsonPath().getString("id");
        for (Map.Entry<String, String> token : simulatorTokens.entrySet()) {
            Row row = db.query("SELECT user_id, facebook_user_id, status, page_token_enc FROM gateway.facebook_pages "
                    + "WHERE page_id = $1", token.getKey()).get(0);
            assertThat(row.getUUID("user_id").toString()).isEqualTo(merchant.userUuid());
            assertThat(row.getString("facebook_user_id")).isEqualTo(facebookUser);
            assertThat(row.getString("status")).isEqualTo("active");
            assertThat(row.getString("page_token_enc")).doesNotContain(token.getValue());
            assertThat(cipher.decrypt(row.getString("page_token_enc"), TokenAad.facebookPageToken(new PageId(token.getKey()))))
                    .isEqualTo(token.getValue());
            assertThat(subscribedFields(token.getKey(), token.getValue())).containsAll(config.subscribedFields());
        }
        List<Row> events = db.query("SELECT payload::text FROM gateway.outbox WHERE id > $1 "
                + "AND payload->>'source' = 'FACEBOOK'", outboxBefore);
        assertThat(events).hasSize(2);
        assertThat(events).allSatisfy(e -> assertThat(new JsonPath(e.getString(0)).getString("topic")).isEqualTo("page/connected"));
        assertThat(events).extracting(e -> new JsonPath(e.getString(0)).getString("pageId"))
                .containsExactlyInAnyOrderElementsOf(simulatorTokens.keySet());
        assertThat(events).allSatisfy(e -> assertThat(new JsonPath(e.getString(0)).getString("userId"))
                .isEqualTo(merchant.userUuid()));
    }

    @Test
    void shouldNotPostSubscriptionsAgainWhenAPageAlreadyHasThem() {
        callback(authorize()).then().statusCode(200);
        Map<String, Long> postsBefore = subscriptionPosts();

        callback(authorize()).then().statusCode(200).body("pages.webhook_result.status", is(List.of("success", "success")));

        assertThat(subscriptionPosts()).isEqualTo(postsBefore);
    }

    @Test
    void shouldRejectAReusedStateWith403() {
        Authorized authorized = authorize();
        callback(authorized).then().statusCode(200);

        callback(authorized).then().statusCode(403).body("error", is("invalid_state"))
                .body("message", containsString("already used"));
    }

    @Test
    void shouldRejectAStateFromAnotherBrowserWith403() {
        Authorized victim = authorize();
        Authorized attacker = authorize();

        callback(new Authorized(attacker.stateCookie(), victim.callbackQuery()))
                .then().statusCode(403).body("error", is("invalid_state"))
                .body("message", containsString("does not belong to this browser"));
        callback(new Authorized(null, victim.callbackQuery()))
                .then().statusCode(403).body("message", containsString("state cookie"));
        // A cookie naming the victim's nonce without our signature.
        Cookie wrongPurpose = new Cookie.Builder(SessionCookies.FACEBOOK_STATE,
                params(victim.callbackQuery()).get("state") + ".9999999999.AAAA").build();
        callback(new Authorized(wrongPurpose, victim.callbackQuery()))
                .then().statusCode(403).body("message", containsString("state cookie"));
    }

    @Test
    void shouldAnswer403AndConnectNothingWhenTheUserDeclines() {
        long outboxBefore = maxOutboxId();
        given().contentType("application/json").body("{\"kind\":\"login_denied\"}")
                .post(config.graphUrl() + "/_sim/faults").then().statusCode(200);

        Authorized declined = authorize();

        assertThat(params(declined.callbackQuery())).containsEntry("error", "access_denied");
        callback(declined).then().statusCode(403).body("error", is("access_denied"))
                .body("message", containsString("/facebook/login"));
        assertThat(maxOutboxId()).isEqualTo(outboxBefore);
    }

    @Test
    void shouldAnswerAClearErrorWithoutSecretsWhenFacebookRefusesTheCode() {
        Authorized authorized = authorize();
        String forgedCode = authorized.callbackQuery().replaceAll("code=[^&]+", "code=AQnotarealcode");

        Response refused = callback(new Authorized(authorized.stateCookie(), forgedCode));

        refused.then().statusCode(400).body("error", is("code_exchange_failed"))
                .body("message", containsString("Graph error"));
        assertThat(refused.asString()).doesNotContain(config.appSecret());
    }

    @Test
    void shouldAnswer503WhenFacebookRateLimitsTheLogin() {
        Authorized authorized = authorize();
        given().contentType("application/json").body("{\"kind\":\"rate_limit\",\"code\":4,\"count\":1}")
                .post(config.graphUrl() + "/_sim/faults").then().statusCode(200);

        callback(authorized).then().statusCode(503).body("error", is("facebook_rate_limited"))
                .body("message", containsString("Graph error 4"));
    }

    @Test
    void shouldMoveAPageConnectedByAnotherUserAndQueueTheDeletionOfTheirCopy() {
        String page = simulatorPageTokens().keySet().iterator().next();
        db.query("DELETE FROM gateway.facebook_pages WHERE page_id = $1", page);
        java.util.UUID previousOwner = db.activeFacebookPage(page);
        long outboxBefore = maxOutboxId();

        callback(authorize()).then().statusCode(200);

        assertThat(db.query("SELECT user_id FROM gateway.facebook_pages WHERE page_id = $1", page).get(0).getUUID(0).toString())
                .isEqualTo(merchant.userUuid());
        assertThat(db.count("SELECT count(*) FROM gateway.outbox WHERE id > $1 AND payload->>'topic' = 'page/deleted' "
                + "AND payload->>'pageId' = $2 AND payload->>'userId' = $3", outboxBefore, page, previousOwner.toString()))
                .isEqualTo(1);
    }

    @Test
    void shouldNotLetAPersonWithoutManageTakeOverAPageConnectedByAnotherUser() {
        JsonPath analyst = given().get(config.graphUrl() + "/_sim/user").jsonPath();
        String page = analyst.getString("analyst.pages[0]");
        db.query("DELETE FROM gateway.facebook_pages WHERE page_id = $1", page);
        java.util.UUID owner = db.activeFacebookPage(page);
        long outboxBefore = maxOutboxId();
        given().contentType("application/json").body(Map.of("user_id", analyst.getString("analyst.id")))
                .post(config.graphUrl() + "/_sim/next-login").then().statusCode(200);

        // The analyst (ANALYZE and ADVERTISE only) logs in from another merchant's session.
        Response callback = callback(authorize());

        callback.then().statusCode(200).body("pages", is(List.of()))
                .body("skipped.id", is(List.of(page)))
                .body("skipped[0].reason", is("missing_manage_task"))
                .body("skipped[0].message", containsString("MANAGE"));
        assertThat(callback.asString()).doesNotContain("access_token").doesNotContain("EAA");
        Row row = db.query("SELECT user_id, facebook_user_id, page_token_enc FROM gateway.facebook_pages "
                + "WHERE page_id = $1", page).get(0);
        assertThat(row.getUUID("user_id")).isEqualTo(owner);
        assertThat(row.getString("facebook_user_id")).isEqualTo("1");
        assertThat(row.getString("page_token_enc")).isEqualTo("v1.k1.placeholder");
        assertThat(db.count("SELECT count(*) FROM gateway.outbox WHERE id > $1", outboxBefore))
                .as("no page/connected for the analyst, no page/deleted for the owner").isZero();
    }

    @Test
    void shouldDescribeEveryFacebookEndpointInOpenApi() {
        String openApi = given().port(managementPort).queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().asString();

        assertThat(openApi).contains("\"/facebook/login\"", "\"/facebook/callback\"", "\"/facebook/webhook\"",
                "\"/facebook/data-deletion\"", "\"/facebook/data-deletion/{code}\"");
    }

    private Authorized authorize() {
        Authorized authorized = FacebookLogin.authorize(merchant.session());
        assertThat(authorized.callbackQuery()).isNotBlank();
        return authorized;
    }

    /** The Page tokens the simulator hands out, read through a Login of our own. */
    private Map<String, String> simulatorPageTokens() {
        Response dialog = given().redirects().follow(false)
                .queryParam("client_id", config.appId()).queryParam("redirect_uri", config.redirectUri())
                .queryParam("response_type", "code").queryParam("state", "test")
                .get(config.graphUrl() + "/" + VERSION + "/dialog/oauth");
        String code = params(URI.create(dialog.header("Location")).getRawQuery()).get("code");
        String userToken = given().formParam("client_id", config.appId()).formParam("client_secret", config.appSecret())
                .formParam("redirect_uri", config.redirectUri()).formParam("code", code)
                .post(config.graphUrl() + "/" + VERSION + "/oauth/access_token")
                .then().statusCode(200).extract().jsonPath().getString("access_token");
        List<Map<String, String>> accounts = given().header("Authorization", "Bearer " + userToken)
                .queryParam("fields", "id,access_token")
                .get(config.graphUrl() + "/" + VERSION + "/me/accounts")
                .then().statusCode(200).extract().jsonPath().getList("data");
        Map<String, String> tokens = new HashMap<>();
        accounts.forEach(a -> tokens.put(a.get("id"), a.get("access_token")));
        return tokens;
    }

    private List<String> subscribedFields(String pageId, String pageToken) {
        JsonPath apps = given().header("Authorization", "Bearer " + pageToken)
                .get(config.graphUrl() + "/" + VERSION + "/" + pageId + "/subscribed_apps")
                .then().statusCode(200).extract().jsonPath();
        assertThat(apps.getString("data[0].id")).isEqualTo(config.appId());
        return apps.getList("data[0].subscribed_fields");
    }

    private Map<String, Long> subscriptionPosts() {
        Map<String, Object> calls = given().get(config.graphUrl() + "/_sim/state").jsonPath().getMap("calls");
        Map<String, Long> posts = new HashMap<>();
        calls.forEach((call, count) -> {
            if (call.startsWith("POST ") && call.endsWith("/subscribed_apps")) {
                posts.put(call, ((Number) count).longValue());
            }
        });
        return posts;
    }

    private long maxOutboxId() {
        return db.count("SELECT coalesce(max(id), 0) FROM gateway.outbox");
    }

    private static Map<String, String> params(String rawQuery) {
        Map<String, String> params = new HashMap<>();
        ShopifyOAuthQueryVerifier.parseQuery(rawQuery).forEach((k, v) -> params.put(k, v.get(0)));
        return params;
    }
}
