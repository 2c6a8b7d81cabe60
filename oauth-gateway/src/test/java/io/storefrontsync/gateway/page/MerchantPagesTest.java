package io.storefrontsync.gateway.page;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.Cookie;
import io.restassured.response.Response;
import io.storefrontsync.common.signature.ShopifyOAuthQueryVerifier;
import io.storefrontsync.gateway.session.SessionCookies;
import io.storefrontsync.gateway.support.FacebookLogin;
import io.storefrontsync.gateway.support.ShopifyInstall;
import io.storefrontsync.gateway.support.WorkerReceiver;
import io.storefrontsync.gateway.webhook.Outbox;
import io.storefrontsync.sandbox.DemoShop;
import io.storefrontsync.sandbox.testing.SandboxWorldResource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The merchant's pages as a browser gets them (it asks for text/html first): the install and login results, the
 * status, the App URL and the error pages, with their statuses and security headers; and the JSON API clients
 * keep getting.
 */
@QuarkusTest
@WithTestResource(value = SandboxWorldResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = WorkerReceiver.class, scope = TestResourceScope.MATCHING_RESOURCES)
class MerchantPagesTest {

    /** What Chromium sends when it navigates. */
    private static final String BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,"
            + "image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7";

    @ConfigProperty(name = "gateway.shopify.api-secret")
    String secret;

    @ConfigProperty(name = "SHOPIFY_SIMULATOR_URL")
    String shopifySimulator;

    @ConfigProperty(name = "gateway.facebook.graph-url")
    String facebookSimulator;

    @Test
    void theInstallShouldEndOnAPageNamingTheShopWithItsFirstSyncAndAFacebookLink() {
        Response page = callback(authorizeShop(), BROWSER);

        page.then().statusCode(200).contentType("text/html");
        String html = page.asString();
        assertThat(html).contains("Your Shopify store is connected")
                .contains(DemoShop.DOMAIN + " is connected and its first sync was queued.")
                .contains("href=\"/facebook/login\"").contains("First sync ")
                .contains("<script src=\"/assets/status.js\"></script>");
        assertSecurityHeaders(page, "'none'");
        assertThat(page.detailedCookie(SessionCookies.SESSION).getValue()).isNotBlank();
        for (String token : shopifyTokens()) {
            assertThat(html).doesNotContain(token);
        }
    }

    @Test
    void anApiClientShouldStillGetTheCallbacksJson() {
        Response json = callback(authorizeShop(), "application/json");

        json.then().statusCode(200).contentType("application/json").body("webhook_result.status", is("success"))
                .body("sync_result.status", is("success"));
        assertThat(json.jsonPath().getMap("$").keySet()).containsExactlyInAnyOrder("user_uuid", "webhook_result", "sync_result");
    }

    @Test
    void theStatusShouldSayTheFirstSyncWasHandedToTheWorkerOnceTheOutboxDeliveredIt() throws Exception {
        ShopifyInstall.Installed merchant = ShopifyInstall.demoShop();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Response status;
        do {
            status = given().cookie(merchant.session()).accept("application/json").get("/status");
            status.then().statusCode(200).body("user_uuid", is(merchant.userUuid()));
            if (status.jsonPath().getBoolean("settled")) {
                break;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);

        Map<String, Object> shop = status.jsonPath().getMap("shops.find { it.shop == '" + DemoShop.DOMAIN + "' }");
        assertThat(shop).containsEntry("status", "active");
        assertThat(status.jsonPath().getString("shops.find { it.shop == '" + DemoShop.DOMAIN + "' }.first_sync.state"))
                .isEqualTo("handed_over");
        assertThat(status.jsonPath().getString("shops.find { it.shop == '" + DemoShop.DOMAIN + "' }.first_sync.text"))
                .startsWith("First sync handed to the sync worker at ").endsWith("it copies your data in the background.");
        assertThat(status.asString()).doesNotContain("token");
    }

    @Test
    void theStatusShouldNeedASession() {
        given().accept("application/json").get("/status").then().statusCode(401).contentType("application/json")
                .body("error", is("no_session"));
        Response page = given().accept(BROWSER).get("/status");
        page.then().statusCode(401).contentType("text/html");
        assertThat(page.asString()).contains("Please install the app first");
        assertSecurityHeaders(page, "'none'");
    }

    @Test
    void aReplayedCallbackShouldGetA403PageOfferingToStartAgain() {
        ShopifyAuthorized authorized = authorizeShop();
        callback(authorized, "application/json").then().statusCode(200);

        Response replay = callback(authorized, BROWSER);

        replay.then().statusCode(403).contentType("text/html");
        assertThat(replay.asString()).contains("This sign-in link can no longer be used")
                .contains("href=\"/shopify/" + DemoShop.DOMAIN + "/login\"").contains("state was already used");
        assertSecurityHeaders(replay, "'none'");
    }

    @Test
    void aBadHmacShouldGetA401Page() {
        ShopifyAuthorized authorized = authorizeShop();
        String tampered = authorized.query().replaceAll("hmac=[0-9a-f]{64}", "hmac=" + "0".repeat(64));

        Response page = callback(new ShopifyAuthorized(authorized.stateCookie(), tampered), BROWSER);

        page.then().statusCode(401).contentType("text/html");
        assertThat(page.asString()).contains("We could not verify this request came from Shopify")
                .contains("Shopify query hmac mismatch");
    }

    @Test
    void whatABrowserSentShouldBeEscapedOnTheErrorPage() {
        Response page = given().accept(BROWSER).redirects().follow(false).get("/shopify/bad'shop/login");

        page.then().statusCode(400).contentType("text/html");
        assertThat(page.asString()).contains("That is not a Shopify store address").contains("&#39;bad?shop&#39;")
                .doesNotContain("'bad?shop'");
    }

    @Test
    void facebookLoginShouldEndOnAPageListingThePagesAndDeclineOnA403PageWithARetry() {
        ShopifyInstall.Installed merchant = ShopifyInstall.demoShop();
        FacebookLogin.Authorized authorized = FacebookLogin.authorize(merchant.session());
        Response page = given().redirects().follow(false).urlEncodingEnabled(false).accept(BROWSER)
                .cookie(authorized.stateCookie()).get("/facebook/callback?" + authorized.callbackQuery());

        page.then().statusCode(200).contentType("text/html");
        assertThat(page.asString()).contains("Your Facebook Pages are connected").contains("Connected 2 Pages: ")
                .contains(DemoShop.DOMAIN + "</strong>: connected").contains("Connect more Facebook Pages");
        assertSecurityHeaders(page, "'none'");

        given().contentType("application/json").body("{\"kind\":\"login_denied\"}")
                .post(facebookSimulator + "/_sim/faults").then().statusCode(200);
        FacebookLogin.Authorized declined = FacebookLogin.authorize(merchant.session());
        Response refused = given().redirects().follow(false).urlEncodingEnabled(false).accept(BROWSER)
                .cookie(declined.stateCookie()).get("/facebook/callback?" + declined.callbackQuery());

        refused.then().statusCode(403).contentType("text/html");
        assertThat(refused.asString()).contains("Facebook Pages not connected")
                .contains("<a id=\"retry\" class=\"button\" href=\"/facebook/login\">Try connecting Facebook again</a>");
    }

    @Test
    void theAppUrlShouldShowAnInstalledShopsStatusFramedOnlyByItsAdmin() {
        ShopifyInstall.demoShop();

        Response page = given().accept(BROWSER).redirects().follow(false).urlEncodingEnabled(false)
                .get("/shopify?" + appUrlQuery(DemoShop.DOMAIN, Instant.now()));

        page.then().statusCode(200).contentType("text/html");
        assertThat(page.asString()).contains("Storefront Sync for " + DemoShop.DOMAIN).contains(DemoShop.DOMAIN + "</strong>: connected");
        assertSecurityHeaders(page, "https://" + DemoShop.DOMAIN + " https://admin.shopify.com");
        assertThat(page.header("X-Frame-Options")).isNull();
        Cookie session = page.detailedCookie(SessionCookies.SESSION);
        given().cookie(session).accept("application/json").get("/status").then().statusCode(200)
                .body("shops.shop", org.hamcrest.Matchers.hasItem(DemoShop.DOMAIN));

        given().accept("application/json").urlEncodingEnabled(false).get("/shopify?" + appUrlQuery(DemoShop.DOMAIN, Instant.now()))
                .then().statusCode(200).contentType("application/json").body("shops.shop", org.hamcrest.Matchers.hasItem(DemoShop.DOMAIN));
    }

    @Test
    void theAppUrlShouldSendAnUnknownShopToTheInstall() {
        String shop = "never-installed-" + System.nanoTime() + ".myshopify.com";

        Response redirect = given().accept(BROWSER).redirects().follow(false).urlEncodingEnabled(false)
                .get("/shopify?" + appUrlQuery(shop, Instant.now()));

        assertThat(redirect.statusCode()).isEqualTo(302);
        assertThat(URI.create(redirect.header("Location")).getPath()).isEqualTo("/shopify/" + shop + "/login");
    }

    @Test
    void theAppUrlShouldRefuseAStaleOrForgedLinkWith401() {
        ShopifyInstall.demoShop();
        Response stale = given().accept(BROWSER).redirects().follow(false).urlEncodingEnabled(false)
                .get("/shopify?" + appUrlQuery(DemoShop.DOMAIN, Instant.now().minusSeconds(600)));
        stale.then().statusCode(401).contentType("text/html");
        assertThat(stale.asString()).contains("timestamp outside tolerance")
                .contains("href=\"/shopify/" + DemoShop.DOMAIN + "/login\"");
        assertThat(stale.getCookies()).doesNotContainKey(SessionCookies.SESSION);

        String forged = appUrlQuery(DemoShop.DOMAIN, Instant.now()).replaceAll("hmac=[0-9a-f]{64}", "hmac=" + "1".repeat(64));
        given().accept("application/json").urlEncodingEnabled(false).redirects().follow(false).get("/shopify?" + forged)
                .then().statusCode(401).contentType("application/json").body("error", is("invalid_signature"));
    }

    @Test
    void whatFacebookOrShopifyNameShouldBeEscapedOnTheStatusPage() {
        MerchantStatus.FirstSync sync = MerchantStatusService.firstSync(java.util.Optional.empty());
        MerchantStatus hostile = new MerchantStatus("00000000-0000-0000-0000-000000000001",
                List.of(new MerchantStatus.Shop(DemoShop.DOMAIN, "active", sync)),
                List.of(new MerchantStatus.Page("1", "<img src=x onerror=alert(1)>", "active", sync)));

        String html = (String) MerchantPages.status(hostile, "Your connections", "<b>\"quoted\"</b>").getEntity();

        assertThat(html).contains("&lt;img src=x onerror=alert(1)&gt;").doesNotContain("<img")
                .contains("&lt;b&gt;&quot;quoted&quot;&lt;/b&gt;").doesNotContain("<b>")
                .contains("No first-sync request on record any more");
    }

    /** The worker's job of the first sync, as FirstSyncJobs reads it, and the sentence and state the page shows. */
    @Test
    void theFirstSyncShouldFollowTheWorkersJobOnceHandedOver() {
        java.time.OffsetDateTime queued = java.time.OffsetDateTime.parse("2026-12-03T09:00:00Z");
        var delivered = java.util.Optional.of(new Outbox.Handover(queued, queued.plusSeconds(1), 1));
        var undelivered = java.util.Optional.of(new Outbox.Handover(queued, null, 2));
        java.util.function.BiFunction<String, io.vertx.core.json.JsonObject, FirstSyncJobs.Job> job = (status, progress) ->
                new FirstSyncJobs.Job(status, 1, 8, progress, "succeeded".equals(status) ? 650 : null,
                        queued.plusSeconds(1), "succeeded".equals(status) ? queued.plusSeconds(90) : null);
        var reading = new io.vertx.core.json.JsonObject().put("phase", "products").put("productsRead", 120)
                .put("productsTotal", 650);

        MerchantStatus.FirstSync running = MerchantStatusService.firstSync(delivered,
                java.util.Optional.of(job.apply("running", reading)));
        assertThat(running.state()).isEqualTo("syncing");
        assertThat(running.settled()).isFalse();
        assertThat(running.text()).isEqualTo("First sync running: 120 of 650 products read.");
        assertThat(List.of(running.phase(), running.productsRead(), running.productsTotal()))
                .containsExactly("products", 120, 650);
        assertThat(MerchantStatusService.firstSync(delivered, java.util.Optional.of(job.apply("waiting",
                new io.vertx.core.json.JsonObject().put("phase", "bulk_operation").put("productsTotal", 10000)))).text())
                .isEqualTo("First sync running: Shopify is exporting 10000 products for us.");
        MerchantStatus.FirstSync synced = MerchantStatusService.firstSync(delivered,
                java.util.Optional.of(job.apply("succeeded", reading)));
        assertThat(synced.state()).isEqualTo("synced");
        assertThat(synced.settled()).isTrue();
        assertThat(synced.text()).isEqualTo("Synced at 2026-12-03 09:01:30 UTC: 650 products copied.");
        MerchantStatus.FirstSync dead = MerchantStatusService.firstSync(delivered,
                java.util.Optional.of(job.apply("dead", reading)));
        assertThat(dead.state()).isEqualTo("failed");
        assertThat(dead.settled()).isTrue();
        assertThat(MerchantStatusService.firstSync(delivered, java.util.Optional.of(job.apply("pending", null))).text())
                .isEqualTo("First sync met an error and will be retried (1 of 8 attempts made).");

        // Not handed over yet: the gateway's side, whatever job an earlier install left.
        assertThat(MerchantStatusService.firstSync(undelivered, java.util.Optional.of(job.apply("succeeded", null)))
                .state()).isEqualTo("retrying");
        // A job older than the event belongs to an earlier install.
        var older = new FirstSyncJobs.Job("succeeded", 1, 8, null, 3, queued.minusDays(1), queued.minusDays(1));
        assertThat(MerchantStatusService.firstSync(delivered, java.util.Optional.of(older)).state()).isEqualTo("handed_over");
    }

    /**
     * A client naming one type only (text/html, application/json, or anything else) is answered like a browser:
     * the redirect endpoints redirect whatever the Accept, the others answer the page or the JSON, and a refusal on
     * any merchant path is the error page for text/html and JSON otherwise; never a 406.
     */
    @Test
    void everyMerchantPathShouldAnswerAnAcceptOfOneTypeWithoutA406() {
        ShopifyInstall.Installed merchant = ShopifyInstall.demoShop();
        for (String accept : List.of("text/html", "application/json", "image/png")) {
            Response shopLogin = given().accept(accept).redirects().follow(false).get("/shopify/" + DemoShop.NAME + "/login");
            assertThat(shopLogin.statusCode()).as("/shopify/{shop}/login, Accept " + accept).isEqualTo(302);
            assertThat(URI.create(shopLogin.header("Location")).getPath()).endsWith("/admin/oauth/authorize");
            Response facebookLogin = given().accept(accept).redirects().follow(false).cookie(merchant.session())
                    .get("/facebook/login");
            assertThat(facebookLogin.statusCode()).as("/facebook/login, Accept " + accept).isEqualTo(302);
            assertThat(facebookLogin.header("Location")).contains("/dialog/oauth");
        }
        for (String accept : List.of("text/html", "application/json")) {
            String type = accept.equals("text/html") ? "text/html" : "application/json";
            given().accept(accept).cookie(merchant.session()).get("/status").then().statusCode(200).contentType(type);
            given().accept(accept).redirects().follow(false).urlEncodingEnabled(false)
                    .get("/shopify?" + appUrlQuery(DemoShop.DOMAIN, Instant.now())).then().statusCode(200).contentType(type);
        }
        assertThat(refusedAsAsked("/shopify/bad'shop/login")).isEqualTo(400);
        assertThat(refusedAsAsked("/facebook/login")).isEqualTo(401);
        assertThat(refusedAsAsked("/status")).isEqualTo(401);
        // Without their query: refused for what is missing, whichever status that is, but not for the Accept.
        for (String path : List.of("/shopify", "/shopify/callback", "/facebook/callback")) {
            assertThat(refusedAsAsked(path)).as(path).isBetween(400, 499).isNotEqualTo(406);
        }
    }

    /**
     * The error page for {@code Accept: text/html} alone, the JSON error with the same status for
     * {@code application/json} alone; that status.
     */
    private static int refusedAsAsked(String path) {
        Response page = given().accept("text/html").redirects().follow(false).get(path);
        page.then().contentType("text/html");
        assertThat(page.asString()).as(path).contains("<html");
        assertSecurityHeaders(page, "'none'");
        Response json = given().accept("application/json").redirects().follow(false).get(path);
        json.then().statusCode(page.statusCode()).contentType("application/json")
                .body("error", org.hamcrest.Matchers.notNullValue());
        return page.statusCode();
    }

    private static void assertSecurityHeaders(Response page, String frameAncestors) {
        assertThat(page.header("Content-Security-Policy")).contains("default-src 'none'").contains("script-src 'self'")
                .endsWith("frame-ancestors " + frameAncestors);
        assertThat(page.header("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(page.header("Cache-Control")).isEqualTo("no-store");
    }

    record ShopifyAuthorized(Cookie stateCookie, String query) {
    }

    private ShopifyAuthorized authorizeShop() {
        Response login = given().redirects().follow(false).get("/shopify/" + DemoShop.NAME + "/login");
        assertThat(login.statusCode()).isEqualTo(302);
        Response approve = given().redirects().follow(false).urlEncodingEnabled(false).get(login.header("Location"));
        assertThat(approve.statusCode()).isEqualTo(302);
        return new ShopifyAuthorized(login.detailedCookie(SessionCookies.SHOPIFY_STATE),
                URI.create(approve.header("Location")).getRawQuery());
    }

    private static Response callback(ShopifyAuthorized authorized, String accept) {
        return given().redirects().follow(false).urlEncodingEnabled(false).accept(accept)
                .cookie(authorized.stateCookie()).get("/shopify/callback?" + authorized.query());
    }

    /** What the Shopify admin opens: shop, host and timestamp, signed with the app secret. */
    private String appUrlQuery(String shop, Instant at) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("embedded", List.of("0"));
        params.put("host", List.of(java.util.Base64.getEncoder().withoutPadding().encodeToString(
                ("admin.shopify.com/store/" + shop.replace(".myshopify.com", "")).getBytes(StandardCharsets.UTF_8))));
        params.put("shop", List.of(shop));
        params.put("timestamp", List.of(String.valueOf(at.getEpochSecond())));
        String hmac = ShopifyOAuthQueryVerifier.sign(params, secret);
        return params.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue().get(0)))
                .collect(Collectors.joining("&")) + "&hmac=" + hmac;
    }

    private List<String> shopifyTokens() {
        return given().get(shopifySimulator + "/_sim/tokens").then().statusCode(200).extract().jsonPath().getList("tokens");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
