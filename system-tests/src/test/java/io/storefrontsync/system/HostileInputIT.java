package io.storefrontsync.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.storefrontsync.common.auth.ServiceAuth;
import io.storefrontsync.common.config.DatabaseUrl;
import io.storefrontsync.common.event.ShopifyResourceIds;
import io.storefrontsync.common.signature.Hmac;
import io.storefrontsync.common.signature.MetaSignatureVerifier;
import io.storefrontsync.common.signature.MetaSignedRequest;
import io.storefrontsync.common.signature.ShopifyOAuthQueryVerifier;
import io.storefrontsync.common.signature.ShopifyWebhookVerifier;
import io.storefrontsync.common.validation.NumericIds;
import io.storefrontsync.sandbox.DemoShop;
import io.storefrontsync.sandbox.testing.EndToEndSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #6, the bad input corpus: hostile requests against every public endpoint of both running services.
 * For each row: exactly the documented status, nothing stored in either database, nothing written to Spaces,
 * no stack trace or class name in the body, and a JSON error with a message wherever the service answers JSON.
 * <p>
 * The system is real and lived-in: demo-shop is installed and its Facebook Pages connected through the
 * simulators' OAuth, so a forgery that got through would find something to store. Two genuine deliveries made
 * in the setup prove the snapshots do see storage; their replays are rows of the table.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputIT {

    private static final String SHOP = DemoShop.DOMAIN;
    private static final String SHOP_WEBHOOKS = "/admin/shops/" + DemoShop.NAME + "/webhooks";
    private static final String UNKNOWN_SHOP = "no-such-shop.myshopify.com";
    private static final String SHOPIFY_HMAC = "X-Shopify-Hmac-Sha256";
    private static final String META_SIGNATURE = "X-Hub-Signature-256";
    /** Jackson's default nesting limit is 1,000; this is a hundred times that. */
    private static final int DEEP = 100_000;
    /** One byte over quarkus.http.limits.max-body-size=2M of the gateway. */
    private static final int OVER_LIMIT = 2 * 1024 * 1024 + 1;
    private static final String REPLAYED_EVENT = "corpus-replay-" + UUID.randomUUID();
    private static final String STRANGER = UUID.randomUUID().toString();
    /** Numeric ids (Page, Facebook user, Shopify resource) that pass a count of digits but fit no signed 64-bit number. */
    private static final String OVER_64_BITS = "99999999999999999999";
    private static final String JUST_OVER_64_BITS = "9223372036854775808";
    private static final List<String> INTERNALS = List.of("Exception", "at io.", "java.", "org.hibernate", "vertx",
            "Vertx", "\tat ");

    private static EndToEndSystem system;
    private static SystemClient client;
    private static Connection db;
    private static HostileTokens tokens;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

    private static String userId;
    private static String pageId;
    private static String jobOfUser;
    private static OAuthTraces.Completed shopifyInstall;
    private static OAuthTraces.Completed facebookConnect;
    private static OAuthTraces.Login foreignShopLogin;
    private static byte[] replayedPageDelivery;

    @BeforeAll
    static void start() throws Exception {
        // A small store: the corpus needs a real installation, not a long catalog sync.
        // No daily poll: a run across midnight UTC would add jobs that no hostile request caused.
        // rival-shop: a second merchant, installed only by the Page takeover attempt at the end.
        system = EndToEndSystem.start("HostileInputIT", Map.of("SIM_SHOPIFY_PRODUCTS", "20", "SYNC_DAILY_CRON", "off",
                "SIM_SHOPIFY_SHOPS", DemoShop.DOMAIN + ",rival-shop.myshopify.com"));
        client = new SystemClient(system);
        tokens = new HostileTokens(system.env());
        DatabaseUrl url = DatabaseUrl.parse(system.env().get("DATABASE_URL"));
        db = DriverManager.getConnection(url.jdbcUrl(), url.username(), url.password());

        OAuthTraces browser = new OAuthTraces(system);
        shopifyInstall = browser.installShopify(DemoShop.NAME);
        assertThat(shopifyInstall.status()).as(shopifyInstall.answer().toString()).isEqualTo(200);
        userId = shopifyInstall.answer().path("user_uuid").asText();
        facebookConnect = browser.connectFacebook();
        assertThat(facebookConnect.status()).as(facebookConnect.answer().toString()).isEqualTo(200);
        pageId = facebookConnect.answer().path("pages").get(0).path("id").asText();
        foreignShopLogin = browser.startShopify("other-shop");

        // Control rows: genuine deliveries are stored, and the snapshots see it.
        StorageSnapshot before = snapshot();
        HttpResponse<String> stored = send(shopifyDelivery(SHOP, REPLAYED_EVENT, productBody()));
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
        assertThat(json(stored).path("status").asText()).isEqualTo("stored");
        replayedPageDelivery = pageBody(pageId, Instant.now().getEpochSecond());
        HttpResponse<String> pageStored = send(pageDelivery(replayedPageDelivery));
        assertThat(pageStored.statusCode()).as(pageStored.body()).isEqualTo(200);
        assertThat(json(pageStored).path("stored").asLong()).isEqualTo(1);
        assertThat(snapshot().changesSince(before))
                .as("the harness sees what a genuine delivery stores")
                .contains("webhook_receipts: %d -> %d".formatted(before.rows().get("webhook_receipts"),
                        before.rows().get("webhook_receipts") + 2))
                .contains("outbox: %d -> %d".formatted(before.rows().get("outbox"), before.rows().get("outbox") + 2));

        awaitQuiet();
        jobOfUser = string("SELECT id::text FROM worker.jobs WHERE user_id = ?::uuid LIMIT 1", userId);
        assertThat(snapshot().spaces().keySet()).as("the Spaces listing sees what the syncs wrote").contains(
                "users/" + userId + "/shopify/" + SHOP + "/shop_products.json",
                "users/" + userId + "/facebook/" + pageId + "/page_data.json");
    }

    @AfterAll
    static void stop() throws Exception {
        if (db != null) {
            db.close();
        }
        if (client != null) {
            client.close();
        }
        if (system != null) {
            system.close();
        }
    }

    /** One row: a readable name, the request (built when the row runs: it needs the running system), what must come back. */
    record Case(String name, int status, Answer answer, Supplier<Probe> probe) {
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("corpus")
    @Order(1)
    void hostileRequestIsRefusedAndStoresNothing(Case row) throws Exception {
        StorageSnapshot before = snapshot();
        Probe probe = row.probe().get();

        HttpResponse<String> response = send(probe);

        // Failsafe's report names rows by index only: every message carries the row's name.
        String seen = row.name() + " [" + probe + " -> " + response.statusCode() + " " + abbreviate(response.body()) + "]";
        assertThat(response.statusCode()).as(seen).isEqualTo(row.status());
        for (String internal : INTERNALS) {
            assertThat(response.body()).as("internals in " + seen).doesNotContain(internal);
        }
        row.answer().check(response, seen);
        assertThat(snapshot().changesSince(before)).as("storage changed by " + seen).isEmpty();
    }

    @Test
    @Order(2)
    void replayedDeliveriesWereStoredExactlyOnce() throws Exception {
        assertThat(count("SELECT count(*) FROM gateway.webhook_receipts WHERE dedupe_key = ?", "shopify:" + REPLAYED_EVENT))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM gateway.outbox WHERE event_id = ?", REPLAYED_EVENT)).isEqualTo(1);
        // The one genuine Page delivery of the setup; its replays are rows of the corpus.
        assertThat(count("SELECT count(*) FROM gateway.webhook_receipts WHERE source = 'facebook'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM gateway.outbox WHERE event_id LIKE 'fb:%'")).isEqualTo(1);
    }

    @Test
    @Order(3)
    void bothServicesAreStillReadyAfterTheCorpus() throws Exception {
        for (var service : List.of(system.gateway(), system.worker())) {
            HttpResponse<String> ready = client.get(service.managementUrl() + "/q/health/ready", null);
            assertThat(ready.statusCode()).as(service.managementUrl() + ": " + ready.body()).isEqualTo(200);
        }
    }

    static Stream<Arguments> corpus() {
        return Stream.of(shopifyWebhooks(), pageWebhooks(), pageWebhookVerification(), dataDeletion(), logins(),
                        shopifyCallbacks(), facebookCallbacks(), adminApi(), workerIntake(), workerResync(), workerJobs(),
                        workerJobList(), workerConnections(), sessionTokens(), newerWebhookTopics())
                .flatMap(s -> s);
    }

    // ---- POST /shopify/webhook ------------------------------------------------------------------------

    private static Stream<Arguments> shopifyWebhooks() {
        String hmac = SHOPIFY_HMAC;
        return Stream.of(
                row("shopify webhook: no HMAC header", 400, Answer.ERROR,
                        () -> fresh(SHOP).without(hmac)),
                row("shopify webhook: empty HMAC header", 400, Answer.ERROR,
                        () -> fresh(SHOP).with(hmac, "")),
                row("shopify webhook: HMAC signed with another secret", 401, Answer.ERROR,
                        () -> fresh(SHOP).with(hmac, ShopifyWebhookVerifier.sign(productBody(), "not-the-app-secret"))),
                row("shopify webhook: right HMAC as hex instead of base64", 401, Answer.ERROR,
                        () -> fresh(SHOP).with(hmac, HexFormat.of().formatHex(Hmac.sha256(env("SHOPIFY_API_SECRET"), productBody())))),
                row("shopify webhook: right HMAC as unpadded base64url", 401, Answer.ERROR,
                        () -> fresh(SHOP).with(hmac, Base64.getUrlEncoder().withoutPadding()
                                .encodeToString(Hmac.sha256(env("SHOPIFY_API_SECRET"), productBody())))),
                row("shopify webhook: HMAC-SHA1 instead of SHA-256", 401, Answer.ERROR,
                        () -> fresh(SHOP).with(hmac, Base64.getEncoder().encodeToString(
                                hmacSha1(env("SHOPIFY_API_SECRET"), productBody())))),
                row("shopify webhook: right HMAC upper-cased", 401, Answer.ERROR,
                        () -> fresh(SHOP).with(hmac, ShopifyWebhookVerifier.sign(productBody(), env("SHOPIFY_API_SECRET"))
                                .toUpperCase(Locale.ROOT))),
                row("shopify webhook: HMAC of another body", 401, Answer.ERROR,
                        () -> fresh(SHOP).body("{\"id\":2}")),
                row("shopify webhook: forged app/uninstalled for the installed shop", 401, Answer.ERROR,
                        () -> fresh(SHOP).with("X-Shopify-Topic", "app/uninstalled")
                                .with(hmac, ShopifyWebhookVerifier.sign(productBody(), "guessed-secret"))),
                row("shopify webhook: forged bulk_operations/finish for the installed shop", 401, Answer.ERROR,
                        () -> fresh(SHOP).with("X-Shopify-Topic", "bulk_operations/finish")
                                .with(hmac, ShopifyWebhookVerifier.sign(productBody(), "guessed-secret"))),
                row("shopify webhook: forged shop/redact for the installed shop", 401, Answer.ERROR,
                        () -> fresh(SHOP).with("X-Shopify-Topic", "shop/redact")
                                .with(hmac, ShopifyWebhookVerifier.sign(new byte[0], env("SHOPIFY_API_SECRET")))),
                row("shopify webhook: valid HMAC, no topic header", 400, Answer.ERROR,
                        () -> fresh(SHOP).without("X-Shopify-Topic")),
                row("shopify webhook: valid HMAC, no shop domain header", 400, Answer.ERROR,
                        () -> fresh(SHOP).without("X-Shopify-Shop-Domain")),
                row("shopify webhook: valid HMAC, shop evil.example", 400, Answer.ERROR,
                        () -> fresh("evil.example")),
                row("shopify webhook: valid HMAC, shop x.myshopify.com.evil.tld", 400, Answer.ERROR,
                        () -> fresh("x.myshopify.com.evil.tld")),
                row("shopify webhook: valid HMAC, shop demo-shop.myshopify.com/../other", 400, Answer.ERROR,
                        () -> fresh(SHOP + "/../other")),
                row("shopify webhook: valid HMAC, punycode look-alike of demo-shop (unknown shop)", 200, Answer.IGNORED,
                        () -> fresh("xn--dmo-shop-4ve.myshopify.com")),
                row("shopify webhook: valid HMAC, topic products/../update", 400, Answer.ERROR,
                        () -> fresh(SHOP).with("X-Shopify-Topic", "products/../update")),
                row("shopify webhook: valid HMAC, event id with spaces and markup", 400, Answer.ERROR,
                        () -> fresh(SHOP).with("X-Shopify-Event-Id", "evt <script>alert(1)</script>")),
                row("shopify webhook: valid HMAC, API version ../../admin", 400, Answer.ERROR,
                        () -> fresh(SHOP).with("X-Shopify-API-Version", "../../admin")),
                row("shopify webhook: empty body with its valid HMAC", 400, Answer.ERROR,
                        () -> shopifyDelivery(SHOP, UUID.randomUUID().toString(), new byte[0])),
                row("shopify webhook: body of 2 MiB + 1 byte with a valid HMAC", 413, Answer.EMPTY,
                        () -> shopifyDelivery(SHOP, UUID.randomUUID().toString(), padded(OVER_LIMIT))),
                row("shopify webhook: body of 2 MiB + 1 byte, no headers", 413, Answer.EMPTY,
                        () -> Probe.gateway("POST", "/shopify/webhook").json(new String(padded(OVER_LIMIT), StandardCharsets.UTF_8))),
                row("shopify webhook: malformed JSON, valid HMAC, unknown shop", 400, Answer.ERROR,
                        () -> shopifyDelivery(UNKNOWN_SHOP, UUID.randomUUID().toString(), bytes("{\"id\":1,"))),
                row("shopify webhook: malformed JSON, valid HMAC, installed shop", 400, Answer.ERROR,
                        () -> shopifyDelivery(SHOP, UUID.randomUUID().toString(), bytes("{\"id\":1,"))),
                row("shopify webhook: 100,000 nested '[' with a valid HMAC, unknown shop", 400, Answer.ERROR,
                        () -> shopifyDelivery(UNKNOWN_SHOP, UUID.randomUUID().toString(), bytes("[".repeat(DEEP)))),
                row("shopify webhook: 100,000 nested objects with a valid HMAC, installed shop", 400, Answer.ERROR,
                        () -> shopifyDelivery(SHOP, UUID.randomUUID().toString(), bytes("{\"a\":".repeat(DEEP)))),
                row("shopify webhook: valid HMAC, a JSON array for the installed shop", 400, Answer.ERROR,
                        () -> shopifyDelivery(SHOP, UUID.randomUUID().toString(), bytes("[" + new String(productBody(),
                                StandardCharsets.UTF_8) + "]"))),
                row("shopify webhook: valid HMAC, two JSON objects back to back", 400, Answer.ERROR,
                        () -> shopifyDelivery(SHOP, UUID.randomUUID().toString(), bytes("{\"id\":1}{\"id\":2}"))),
                row("shopify webhook: OAuth callback hmac replayed as a webhook: app/uninstalled of the installed shop", 400,
                        Answer.ERROR, () -> callbackAsWebhook("app/uninstalled")),
                row("shopify webhook: OAuth callback hmac replayed as a webhook: shop/redact of the installed shop", 400,
                        Answer.ERROR, () -> callbackAsWebhook("shop/redact")),
                row("shopify webhook: OAuth callback hmac replayed as a webhook: products/update", 400,
                        Answer.ERROR, () -> callbackAsWebhook("products/update")),
                row("shopify webhook: valid HMAC, app/uninstalled whose body names another shop", 400, Answer.ERROR,
                        () -> shopifyDelivery(SHOP, UUID.randomUUID().toString(), bytes("{\"id\":1,\"domain\":\""
                                + SHOP + "\",\"myshopify_domain\":\"" + UNKNOWN_SHOP + "\"}"))
                                .with("X-Shopify-Topic", "app/uninstalled")),
                row("shopify webhook: valid HMAC, shop/redact whose body names another shop", 400, Answer.ERROR,
                        () -> shopifyDelivery(SHOP, UUID.randomUUID().toString(),
                                bytes("{\"shop_id\":1,\"shop_domain\":\"" + UNKNOWN_SHOP + "\"}"))
                                .with("X-Shopify-Topic", "shop/redact")),
                row("shopify webhook: valid HMAC, shop/redact without shop_domain", 400, Answer.ERROR,
                        () -> shopifyDelivery(SHOP, UUID.randomUUID().toString(), bytes("{\"shop_id\":1}"))
                                .with("X-Shopify-Topic", "shop/redact")),
                row("shopify webhook: 100,000 nested '[' with a forged HMAC, installed shop", 401, Answer.ERROR,
                        () -> shopifyDelivery(SHOP, UUID.randomUUID().toString(), bytes("[".repeat(DEEP)))
                                .with(hmac, ShopifyWebhookVerifier.sign(bytes("[".repeat(DEEP)), "guessed-secret"))),
                row("shopify webhook: text/plain content type, valid HMAC, unknown shop", 200, Answer.IGNORED,
                        () -> shopifyDelivery(UNKNOWN_SHOP, UUID.randomUUID().toString(), productBody())
                                .with("Content-Type", "text/plain")),
                row("shopify webhook: form content type, valid HMAC, unknown shop", 200, Answer.IGNORED,
                        () -> shopifyDelivery(UNKNOWN_SHOP, UUID.randomUUID().toString(), productBody())
                                .with("Content-Type", "application/x-www-form-urlencoded")),
                row("shopify webhook: form body of a 64 KiB field, valid HMAC, unknown shop", 400, Answer.ERROR,
                        () -> shopifyDelivery(UNKNOWN_SHOP, UUID.randomUUID().toString(), bytes("a=" + "b".repeat(65536)))
                                .with("Content-Type", "application/x-www-form-urlencoded")),
                row("shopify webhook: GET instead of a POSTed delivery", 405, Answer.ERROR,
                        () -> Probe.gateway("GET", "/shopify/webhook")),
                row("shopify webhook: DELETE with a signed product body", 405, Answer.ERROR,
                        () -> Probe.gateway("DELETE", "/shopify/webhook")
                                .with(hmac, ShopifyWebhookVerifier.sign(productBody(), env("SHOPIFY_API_SECRET")))
                                .body(productBody())),
                row("shopify webhook: replayed event id (stored once in the setup)", 200, Answer.DUPLICATE,
                        () -> shopifyDelivery(SHOP, REPLAYED_EVENT, productBody())),
                row("shopify webhook: replayed event id under a new webhook id", 200, Answer.DUPLICATE,
                        () -> shopifyDelivery(SHOP, REPLAYED_EVENT, productBody())
                                .with("X-Shopify-Webhook-Id", UUID.randomUUID().toString())));
    }

    // ---- POST /facebook/webhook -----------------------------------------------------------------------

    private static Stream<Arguments> pageWebhooks() {
        String sig = META_SIGNATURE;
        return Stream.of(
                row("page webhook: no signature", 401, Answer.ERROR,
                        () -> freshPage().without(sig)),
                row("page webhook: empty signature header", 401, Answer.ERROR,
                        () -> freshPage().with(sig, "")),
                row("page webhook: only the legacy SHA-1 X-Hub-Signature, correctly signed", 401, Answer.ERROR,
                        () -> freshPage().without(sig).with("X-Hub-Signature",
                                "sha1=" + HexFormat.of().formatHex(hmacSha1(env("FACEBOOK_APP_SECRET"), freshPageBody())))),
                row("page webhook: sha1= value in X-Hub-Signature-256", 401, Answer.ERROR,
                        () -> freshPage().with(sig,
                                "sha1=" + HexFormat.of().formatHex(hmacSha1(env("FACEBOOK_APP_SECRET"), freshPageBody())))),
                row("page webhook: right signature in upper-case hex", 401, Answer.ERROR,
                        () -> freshPage().with(sig, "sha256=" + HexFormat.of().withUpperCase()
                                .formatHex(Hmac.sha256(env("FACEBOOK_APP_SECRET"), freshPageBody())))),
                row("page webhook: right signature as base64 instead of hex", 401, Answer.ERROR,
                        () -> freshPage().with(sig, "sha256=" + Base64.getEncoder()
                                .encodeToString(Hmac.sha256(env("FACEBOOK_APP_SECRET"), freshPageBody())))),
                row("page webhook: right hex without the sha256= prefix", 401, Answer.ERROR,
                        () -> freshPage().with(sig, HexFormat.of()
                                .formatHex(Hmac.sha256(env("FACEBOOK_APP_SECRET"), freshPageBody())))),
                row("page webhook: signed with another secret", 401, Answer.ERROR,
                        () -> freshPage().with(sig, MetaSignatureVerifier.sign(freshPageBody(), "not-the-app-secret"))),
                row("page webhook: valid signature, malformed JSON", 400, Answer.ERROR,
                        () -> pageDelivery(bytes("{\"object\":\"page\",\"entry\":["))),
                row("page webhook: valid signature, 100,000 nested '['", 400, Answer.ERROR,
                        () -> pageDelivery(bytes("[".repeat(DEEP)))),
                row("page webhook: valid signature, 100,000 nested objects", 400, Answer.ERROR,
                        () -> pageDelivery(bytes("{\"a\":".repeat(DEEP)))),
                row("page webhook: valid signature, object user instead of page", 400, Answer.ERROR,
                        () -> pageDelivery(bytes("{\"object\":\"user\",\"entry\":[]}"))),
                row("page webhook: valid signature, entry is not an array", 400, Answer.ERROR,
                        () -> pageDelivery(bytes("{\"object\":\"page\",\"entry\":{\"id\":\"" + pageId + "\"}}"))),
                row("page webhook: valid signature, text/plain content type, unknown page", 200, Answer.PAGE_IGNORED,
                        () -> pageDelivery(pageBody("999999999999", 1)).with("Content-Type", "text/plain")),
                row("page webhook: valid signature, page id ../<connected page>", 200, Answer.PAGE_IGNORED,
                        () -> pageDelivery(pageBody("../" + pageId, Instant.now().getEpochSecond()))),
                row("page webhook: valid signature, page id %2e%2e%2F<connected page>", 200, Answer.PAGE_IGNORED,
                        () -> pageDelivery(pageBody("%2e%2e%2F" + pageId, Instant.now().getEpochSecond()))),
                row("page webhook: valid signature, connected page id in Arabic-Indic digits", 200, Answer.PAGE_IGNORED,
                        () -> pageDelivery(pageBody(arabicIndic(pageId), Instant.now().getEpochSecond()))),
                row("page webhook: valid signature, page that is not connected", 200, Answer.PAGE_IGNORED,
                        () -> pageDelivery(pageBody("999999999999", Instant.now().getEpochSecond()))),
                row("page webhook: valid signature, page id of 20 digits, above the 64-bit maximum", 200, Answer.PAGE_IGNORED,
                        () -> pageDelivery(pageBody(OVER_64_BITS, Instant.now().getEpochSecond()))),
                row("page webhook: valid signature, page id 9223372036854775808", 200, Answer.PAGE_IGNORED,
                        () -> pageDelivery(pageBody(JUST_OVER_64_BITS, Instant.now().getEpochSecond()))),
                row("page webhook: replayed delivery (stored once in the setup)", 200, Answer.PAGE_DUPLICATE,
                        () -> pageDelivery(replayedPageDelivery)),
                row("page webhook: empty body", 400, Answer.ERROR,
                        () -> pageDelivery(new byte[0])),
                row("page webhook: body of 2 MiB + 1 byte with a valid signature", 413, Answer.EMPTY,
                        () -> pageDelivery(padded(OVER_LIMIT))));
    }

    // ---- GET /facebook/webhook (Meta's verification handshake) ---------------------------------------------

    private static Stream<Arguments> pageWebhookVerification() {
        return Stream.of(
                row("webhook verification: guessed verify token", 403, Answer.ERROR,
                        () -> verification("subscribe", "guess", "1158201444")),
                row("webhook verification: empty verify token", 403, Answer.ERROR,
                        () -> verification("subscribe", "", "1158201444")),
                row("webhook verification: no verify token", 403, Answer.ERROR,
                        () -> Probe.gateway("GET", "/facebook/webhook?hub.mode=subscribe&hub.challenge=1158201444")),
                row("webhook verification: verify token without its last character", 403, Answer.ERROR,
                        () -> verification("subscribe", chop(env("FACEBOOK_VERIFY_TOKEN")), "1158201444")),
                row("webhook verification: verify token with one character more", 403, Answer.ERROR,
                        () -> verification("subscribe", env("FACEBOOK_VERIFY_TOKEN") + "x", "1158201444")),
                row("webhook verification: right token, hub.mode unsubscribe", 403, Answer.ERROR,
                        () -> verification("unsubscribe", env("FACEBOOK_VERIFY_TOKEN"), "1158201444")),
                row("webhook verification: guessed token, markup as challenge (nothing reflected)", 403, Answer.ERROR,
                        () -> verification("subscribe", "guess", "<script>alert(1)</script>")),
                row("webhook verification: right token, challenge with a space", 400, Answer.ERROR,
                        () -> verification("subscribe", env("FACEBOOK_VERIFY_TOKEN"), "1158201444 <b>")),
                row("webhook verification: right token, challenge of 300 characters", 400, Answer.ERROR,
                        () -> verification("subscribe", env("FACEBOOK_VERIFY_TOKEN"), "1".repeat(300))),
                row("webhook verification: right token, CRLF in the challenge", 400, Answer.ERROR,
                        () -> verification("subscribe", env("FACEBOOK_VERIFY_TOKEN"), "1\r\nSet-Cookie: x=1")),
                row("webhook verification: right token, no challenge", 400, Answer.ERROR,
                        () -> Probe.gateway("GET", "/facebook/webhook?hub.mode=subscribe&hub.verify_token="
                                + enc(env("FACEBOOK_VERIFY_TOKEN")))));
    }

    // ---- POST /facebook/data-deletion and its status URL ---------------------------------------------------

    private static Stream<Arguments> dataDeletion() {
        return Stream.of(
                row("data deletion: no signed_request", 401, Answer.ERROR,
                        () -> deletion("")),
                row("data deletion: signed_request signed with another secret", 401, Answer.ERROR,
                        () -> deletion("signed_request=" + enc(MetaSignedRequest.create(
                                Map.of("user_id", facebookUserId()), "not-the-app-secret")))),
                row("data deletion: signed_request with its first character cut", 401, Answer.ERROR,
                        () -> deletion("signed_request=" + enc(signedRequest(Map.of("user_id", facebookUserId())).substring(1)))),
                row("data deletion: algorithm HMAC-SHA1, signed with the app secret", 401, Answer.ERROR,
                        () -> deletion("signed_request=" + enc(signedRequest(Map.of("user_id", facebookUserId(),
                                "algorithm", "HMAC-SHA1"))))),
                row("data deletion: algorithm none, no signature", 401, Answer.ERROR,
                        () -> deletion("signed_request=" + enc("." + b64url("{\"algorithm\":\"none\",\"user_id\":\""
                                + facebookUserId() + "\"}")))),
                row("data deletion: algorithm none, garbage signature", 401, Answer.ERROR,
                        () -> deletion("signed_request=" + enc(b64url("x".repeat(32)) + "." + b64url(
                                "{\"algorithm\":\"none\",\"user_id\":\"" + facebookUserId() + "\"}")))),
                row("data deletion: no dot", 401, Answer.ERROR,
                        () -> deletion("signed_request=" + enc(b64url("{\"user_id\":\"1\"}")))),
                row("data deletion: three parts like a JWT", 401, Answer.ERROR,
                        () -> deletion("signed_request=" + enc(signedRequest(Map.of("user_id", facebookUserId())) + ".x"))),
                row("data deletion: payload is not JSON", 401, Answer.ERROR,
                        () -> deletion("signed_request=" + enc(signedRaw("not json")))),
                row("data deletion: forged signed_request of 3 KiB (over the form parser's default limit)", 401, Answer.ERROR,
                        () -> deletion("signed_request=" + enc(MetaSignedRequest.create(Map.of("user_id", facebookUserId(),
                                "padding", "x".repeat(3000)), "not-the-app-secret")))),
                row("data deletion: signed_request over 16 KiB", 401, Answer.ERROR,
                        () -> deletion("signed_request=" + enc(signedRequest(Map.of("user_id", facebookUserId(),
                                "padding", "x".repeat(20_000)))))),
                row("data deletion: valid signature, no user_id", 400, Answer.ERROR,
                        () -> deletion("signed_request=" + enc(signedRequest(Map.of("issued_at", 1))))),
                row("data deletion: valid signature, user_id ../1", 400, Answer.ERROR,
                        () -> deletion("signed_request=" + enc(signedRequest(Map.of("user_id", "../1"))))),
                row("data deletion: valid signature, user_id in Arabic-Indic digits", 400, Answer.ERROR,
                        () -> deletion("signed_request=" + enc(signedRequest(Map.of("user_id", arabicIndic(facebookUserId())))))),
                row("data deletion: valid signature, user_id of 20 digits, above the 64-bit maximum", 400, Answer.ERROR,
                        () -> deletion("signed_request=" + enc(signedRequest(Map.of("user_id", OVER_64_BITS))))),
                row("data deletion: valid signature, user_id 9223372036854775808", 400, Answer.ERROR,
                        () -> deletion("signed_request=" + enc(signedRequest(Map.of("user_id", JUST_OVER_64_BITS))))),
                row("data deletion: valid signature, user_id 0", 400, Answer.ERROR,
                        () -> deletion("signed_request=" + enc(signedRequest(Map.of("user_id", "0"))))),
                row("data deletion: valid signature, the user's id with a leading zero", 400, Answer.ERROR,
                        () -> deletion("signed_request=" + enc(signedRequest(Map.of("user_id", "0" + facebookUserId()))))),
                row("data deletion: JSON body instead of a form", 415, Answer.ERROR,
                        () -> Probe.gateway("POST", "/facebook/data-deletion").json("{\"signed_request\":\""
                                + signedRequest(Map.of("user_id", facebookUserId())) + "\"}")),
                row("data deletion: form of 2 MiB + 1 byte", 413, Answer.EMPTY,
                        () -> deletion("signed_request=" + "a".repeat(OVER_LIMIT))),
                row("deletion status: unknown confirmation code", 404, Answer.ERROR,
                        () -> Probe.gateway("GET", "/facebook/data-deletion/AAAAAAAAAAAAAAAAAAAAAAAA")),
                row("deletion status: code ..%2F..%2Fadmin%2Ftoken", 404, Answer.ERROR,
                        () -> Probe.gateway("GET", "/facebook/data-deletion/..%2F..%2Fadmin%2Ftoken")),
                row("deletion status: code %2e%2e (normalised away: no such route)", 404, Answer.ERROR,
                        () -> Probe.gateway("GET", "/facebook/data-deletion/%2e%2e")),
                row("deletion status: code with Cyrillic look-alikes", 404, Answer.ERROR,
                        () -> Probe.gateway("GET", "/facebook/data-deletion/" + enc("AAAAAAAAAAAAAAAAAAAAAA\u0410\u0412"))),
                row("deletion status: code of 1,000 characters", 404, Answer.ERROR,
                        () -> Probe.gateway("GET", "/facebook/data-deletion/" + "A".repeat(1000))),
                row("deletion status: request line over the 4 KiB limit (5,000-character code)", 414, Answer.EMPTY,
                        () -> Probe.gateway("GET", "/facebook/data-deletion/" + "A".repeat(5000))));
    }

    // ---- GET /shopify/{shop}/login, GET /facebook/login ------------------------------------------------------

    private static Stream<Arguments> logins() {
        return Stream.of(
                row("shopify login: shop evil.example", 400, Answer.ERROR,
                        () -> Probe.gateway("GET", "/shopify/evil.example/login")),
                row("shopify login: shop x.myshopify.com.evil.tld", 400, Answer.ERROR,
                        () -> Probe.gateway("GET", "/shopify/x.myshopify.com.evil.tld/login")),
                row("shopify login: demo-shop with a Cyrillic e", 400, Answer.ERROR,
                        () -> Probe.gateway("GET", "/shopify/" + enc("d\u0435mo-shop") + "/login")),
                row("shopify login: shop with a Kelvin sign (lower-cases to k)", 400, Answer.ERROR,
                        () -> Probe.gateway("GET", "/shopify/" + enc("\u212Aitchen-shop") + "/login")),
                row("shopify login: shop demo-shop%2F..%2Fevil.example", 400, Answer.ERROR,
                        () -> Probe.gateway("GET", "/shopify/" + DemoShop.NAME + "%2F..%2Fevil.example/login")),
                row("shopify login: shop %2e%2e (normalised away: no such route)", 404, Answer.ERROR,
                        () -> Probe.gateway("GET", "/shopify/%2e%2e/login")),
                row("shopify login: shop evil.example%23.myshopify.com", 400, Answer.ERROR,
                        () -> Probe.gateway("GET", "/shopify/evil.example%23.myshopify.com/login")),
                row("shopify login: shop name of 300 characters", 400, Answer.ERROR,
                        () -> Probe.gateway("GET", "/shopify/" + "a".repeat(300) + "/login")),
                row("facebook login: no session", 401, Answer.ERROR,
                        () -> Probe.gateway("GET", "/facebook/login")),
                // A client naming one type alone: the redirect endpoints once produced only JSON (406 to text/html).
                row("shopify login: shop evil.example, Accept text/html alone", 400, Answer.ERROR_PAGE,
                        () -> Probe.gateway("GET", "/shopify/evil.example/login").with("Accept", "text/html")),
                row("shopify login: shop evil.example, Accept application/json alone", 400, Answer.ERROR,
                        () -> Probe.gateway("GET", "/shopify/evil.example/login").with("Accept", "application/json")),
                row("facebook login: no session, Accept text/html alone", 401, Answer.ERROR_PAGE,
                        () -> Probe.gateway("GET", "/facebook/login").with("Accept", "text/html")),
                row("facebook login: no session, Accept application/json alone", 401, Answer.ERROR,
                        () -> Probe.gateway("GET", "/facebook/login").with("Accept", "application/json")),
                row("facebook login: forged session cookie", 401, Answer.ERROR,
                        () -> Probe.gateway("GET", "/facebook/login").cookie(OAuthTraces.SESSION + "=" + STRANGER
                                + ".9999999999.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")),
                row("facebook login: a Shopify state cookie presented as the session", 401, Answer.ERROR,
                        () -> Probe.gateway("GET", "/facebook/login").cookie(OAuthTraces.SESSION + "="
                                + foreignShopLogin.stateCookie())));
    }

    // ---- GET /shopify/callback --------------------------------------------------------------------------------

    private static Stream<Arguments> shopifyCallbacks() {
        return Stream.of(
                row("shopify callback: no hmac", 401, Answer.ERROR,
                        () -> callback(OAuthTraces.query(callbackParams(SHOP, installedNonce(), Instant.now())), installedCookie())),
                row("shopify callback: hmac signed with another secret", 401, Answer.ERROR,
                        () -> callback(OAuthTraces.signedShopifyQuery(callbackParams(SHOP, installedNonce(), Instant.now()),
                                "not-the-app-secret"), installedCookie())),
                row("shopify callback: right hmac as base64 instead of hex", 401, Answer.ERROR,
                        () -> callback(rewriteHmac(signedCallback(SHOP, installedNonce(), Instant.now()),
                                hex -> Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex))), installedCookie())),
                row("shopify callback: right hmac in upper-case hex", 401, Answer.ERROR,
                        () -> callback(rewriteHmac(signedCallback(SHOP, installedNonce(), Instant.now()),
                                hex -> hex.toUpperCase(Locale.ROOT)), installedCookie())),
                row("shopify callback: correctly signed, timestamp 10 minutes old", 401, Answer.ERROR,
                        () -> callback(signedCallback(SHOP, installedNonce(), Instant.now().minusSeconds(600)), installedCookie())),
                row("shopify callback: correctly signed, timestamp 10 minutes ahead", 401, Answer.ERROR,
                        () -> callback(signedCallback(SHOP, installedNonce(), Instant.now().plusSeconds(600)), installedCookie())),
                row("shopify callback: shop given twice", 401, Answer.ERROR,
                        () -> callback(signedCallback(SHOP, installedNonce(), Instant.now()) + "&shop=evil.example",
                                installedCookie())),
                row("shopify callback: correctly signed, shop evil.example", 400, Answer.ERROR,
                        () -> callback(signedCallback("evil.example", installedNonce(), Instant.now()), installedCookie())),
                row("shopify callback: correctly signed, shop x.myshopify.com.evil.tld", 400, Answer.ERROR,
                        () -> callback(signedCallback("x.myshopify.com.evil.tld", installedNonce(), Instant.now()),
                                installedCookie())),
                row("shopify callback: correctly signed, shop with a Cyrillic e", 400, Answer.ERROR,
                        () -> callback(signedCallback("d\u0435mo-shop.myshopify.com", installedNonce(), Instant.now()),
                                installedCookie())),
                row("shopify callback: correctly signed, short shop name instead of the domain", 400, Answer.ERROR,
                        () -> callback(signedCallback(DemoShop.NAME, installedNonce(), Instant.now()), installedCookie())),
                row("shopify callback: correctly signed, no code", 400, Answer.ERROR,
                        () -> {
                            Map<String, String> params = callbackParams(SHOP, installedNonce(), Instant.now());
                            params.remove("code");
                            return callback(OAuthTraces.signedShopifyQuery(params, env("SHOPIFY_API_SECRET")), installedCookie());
                        }),
                row("shopify callback: reused state (the install's own, with its cookie)", 403, Answer.ERROR,
                        () -> callback(signedCallback(SHOP, installedNonce(), Instant.now()), installedCookie())),
                row("shopify callback: foreign state (issued for other-shop, with its cookie)", 403, Answer.ERROR,
                        () -> callback(signedCallback(SHOP, foreignShopLogin.nonce(), Instant.now()),
                                OAuthTraces.SHOPIFY_STATE + "=" + foreignShopLogin.stateCookie())),
                row("shopify callback: state of another browser (cookie of another login)", 403, Answer.ERROR,
                        () -> callback(signedCallback(SHOP, foreignShopLogin.nonce(), Instant.now()), installedCookie())),
                row("shopify callback: no state cookie", 403, Answer.ERROR,
                        () -> callback(signedCallback("other-shop.myshopify.com", foreignShopLogin.nonce(), Instant.now()), null)),
                row("shopify callback: forged state cookie", 403, Answer.ERROR,
                        () -> callback(signedCallback("other-shop.myshopify.com", foreignShopLogin.nonce(), Instant.now()),
                                OAuthTraces.SHOPIFY_STATE + "=" + foreignShopLogin.nonce() + ".9999999999.forged")),
                row("shopify callback: Facebook state cookie under the Shopify name", 403, Answer.ERROR,
                        () -> callback(signedCallback(SHOP, facebookConnect.login().nonce(), Instant.now()),
                                OAuthTraces.SHOPIFY_STATE + "=" + facebookConnect.login().stateCookie())));
    }

    // ---- GET /facebook/callback -------------------------------------------------------------------------------

    private static Stream<Arguments> facebookCallbacks() {
        return Stream.of(
                row("facebook callback: reused state (the login's own URL and cookie)", 403, Answer.ERROR,
                        () -> Probe.gateway("GET", pathOf(facebookConnect.callbackUrl()))
                                .cookie(OAuthTraces.FACEBOOK_STATE + "=" + facebookConnect.login().stateCookie())),
                row("facebook callback: no state cookie", 403, Answer.ERROR,
                        () -> Probe.gateway("GET", "/facebook/callback?code=abc&state=" + enc(facebookConnect.login().nonce()))),
                row("facebook callback: forged state cookie", 403, Answer.ERROR,
                        () -> Probe.gateway("GET", "/facebook/callback?code=abc&state=forged")
                                .cookie(OAuthTraces.FACEBOOK_STATE + "=forged.9999999999.AAAA")),
                row("facebook callback: Shopify state cookie under the Facebook name", 403, Answer.ERROR,
                        () -> Probe.gateway("GET", "/facebook/callback?code=abc&state=" + enc(foreignShopLogin.nonce()))
                                .cookie(OAuthTraces.FACEBOOK_STATE + "=" + foreignShopLogin.stateCookie())),
                row("facebook callback: state of another browser", 403, Answer.ERROR,
                        () -> Probe.gateway("GET", "/facebook/callback?code=abc&state=" + enc(foreignShopLogin.nonce()))
                                .cookie(OAuthTraces.FACEBOOK_STATE + "=" + facebookConnect.login().stateCookie())),
                row("facebook callback: no code", 400, Answer.ERROR,
                        () -> Probe.gateway("GET", "/facebook/callback?state=" + enc(facebookConnect.login().nonce()))
                                .cookie(OAuthTraces.FACEBOOK_STATE + "=" + facebookConnect.login().stateCookie())),
                row("facebook callback: error=access_denied", 403, Answer.ERROR,
                        () -> Probe.gateway("GET", "/facebook/callback?error=access_denied&error_reason=user_denied&state="
                                + enc(facebookConnect.login().nonce()))));
    }

    // ---- POST /admin/token, /admin/shops/{shop}/webhooks, /admin/facebook/webhooks -----------------------------

    private static Stream<Arguments> adminApi() {
        String gw = ServiceAuth.AUDIENCE_GATEWAY;
        String admin = ServiceAuth.ROLE_ADMIN;
        Stream<Arguments> forged = Stream.concat(
                refusedTokens("shop webhooks admin", gw, admin, () -> "x", () -> Probe.gateway("GET", SHOP_WEBHOOKS)),
                refusedTokens("facebook webhooks admin", gw, admin, () -> "x",
                        () -> Probe.gateway("POST", "/admin/facebook/webhooks")));
        return Stream.concat(forged, Stream.of(
                row("admin token: no X-Admin-Api-Key", 401, Answer.ERROR,
                        () -> Probe.gateway("POST", "/admin/token")),
                row("admin token: empty X-Admin-Api-Key", 401, Answer.ERROR,
                        () -> Probe.gateway("POST", "/admin/token").with("X-Admin-Api-Key", "")),
                row("admin token: wrong X-Admin-Api-Key", 401, Answer.ERROR,
                        () -> Probe.gateway("POST", "/admin/token").with("X-Admin-Api-Key", "0123456789abcdef0123456789abcdef")),
                row("admin token: X-Admin-Api-Key without its last character", 401, Answer.ERROR,
                        () -> Probe.gateway("POST", "/admin/token").with("X-Admin-Api-Key", chop(env("ADMIN_API_KEY")))),
                row("admin token: the API key as a bearer token instead", 401, Answer.EMPTY,
                        () -> Probe.gateway("POST", "/admin/token").bearer(env("ADMIN_API_KEY"))),
                row("shop webhooks admin: API key as bearer token", 401, Answer.EMPTY,
                        () -> Probe.gateway("GET", SHOP_WEBHOOKS).bearer(env("ADMIN_API_KEY"))),
                row("shop webhooks admin: user token", 403, Answer.EMPTY,
                        () -> Probe.gateway("GET", SHOP_WEBHOOKS)
                                .bearer(tokens.valid(gw, ServiceAuth.ROLE_USER, userId))),
                row("shop webhooks admin: user token trying DELETE", 403, Answer.EMPTY,
                        () -> Probe.gateway("DELETE", SHOP_WEBHOOKS)
                                .bearer(tokens.valid(gw, ServiceAuth.ROLE_USER, userId))),
                row("shop webhooks admin: service token", 403, Answer.EMPTY,
                        () -> Probe.gateway("GET", SHOP_WEBHOOKS)
                                .bearer(tokens.valid(gw, ServiceAuth.ROLE_SERVICE, "oauth-gateway"))),
                row("shop webhooks admin: admin token, shop evil.example", 400, Answer.ERROR,
                        () -> Probe.gateway("GET", "/admin/shops/evil.example/webhooks").bearer(tokens.valid(gw, admin, "x"))),
                row("shop webhooks admin: admin token, shop with a Cyrillic e", 400, Answer.ERROR,
                        () -> Probe.gateway("GET", "/admin/shops/" + enc("d\u0435mo-shop") + "/webhooks")
                                .bearer(tokens.valid(gw, admin, "x"))),
                row("shop webhooks admin: admin token, shop ..%2F..%2Fadmin", 400, Answer.ERROR,
                        () -> Probe.gateway("GET", "/admin/shops/..%2F..%2Fadmin/webhooks").bearer(tokens.valid(gw, admin, "x"))),
                row("facebook webhooks admin: user token", 403, Answer.EMPTY,
                        () -> Probe.gateway("POST", "/admin/facebook/webhooks")
                                .bearer(tokens.valid(gw, ServiceAuth.ROLE_USER, userId)))));
    }

    // ---- worker: POST /internal/events ------------------------------------------------------------------------

    private static Stream<Arguments> workerIntake() {
        String wk = ServiceAuth.AUDIENCE_WORKER;
        return Stream.concat(refusedTokens("worker intake", wk, ServiceAuth.ROLE_SERVICE, () -> "oauth-gateway",
                () -> intake(shopEvent(SHOP))), Stream.of(
                row("worker intake: user-role token", 403, Answer.EMPTY,
                        () -> intake(shopEvent(SHOP)).bearer(tokens.valid(wk, ServiceAuth.ROLE_USER, userId))),
                row("worker intake: admin token", 403, Answer.EMPTY,
                        () -> intake(shopEvent(SHOP)).bearer(tokens.valid(wk, ServiceAuth.ROLE_ADMIN, "x"))),
                row("worker intake: malformed JSON", 400, Answer.ERROR,
                        () -> serviceIntake("{\"events\":[{")),
                row("worker intake: 100,000 nested '['", 400, Answer.ERROR,
                        () -> serviceIntake("[".repeat(DEEP))),
                row("worker intake: 100,000 nested objects", 400, Answer.ERROR,
                        () -> serviceIntake("{\"events\":" + "{\"a\":".repeat(DEEP))),
                row("worker intake: text/plain content type", 415, Answer.EMPTY,
                        () -> serviceIntake(shopEvent(SHOP)).with("Content-Type", "text/plain")),
                row("worker intake: shop evil.example", 400, Answer.ERROR,
                        () -> serviceIntake(shopEvent("evil.example"))),
                row("worker intake: shop x.myshopify.com.evil.tld", 400, Answer.ERROR,
                        () -> serviceIntake(shopEvent("x.myshopify.com.evil.tld"))),
                row("worker intake: shop demo-shop.myshopify.com/../../x", 400, Answer.ERROR,
                        () -> serviceIntake(shopEvent(SHOP + "/../../x"))),
                row("worker intake: page id ../<connected page>", 400, Answer.ERROR,
                        () -> serviceIntake(pageEvent("../" + pageId, null))),
                row("worker intake: page id in Arabic-Indic digits", 400, Answer.ERROR,
                        () -> serviceIntake(pageEvent(arabicIndic(pageId), null))),
                row("worker intake: page id of 20 digits, above the 64-bit maximum", 400, Answer.NOT_AN_ID,
                        () -> serviceIntake(pageEvent(OVER_64_BITS, null))),
                row("worker intake: page id 9223372036854775808", 400, Answer.NOT_AN_ID,
                        () -> serviceIntake(pageEvent(JUST_OVER_64_BITS, null))),
                row("worker intake: page id 0", 400, Answer.NOT_AN_ID,
                        () -> serviceIntake(pageEvent("0", null))),
                row("worker intake: connected page id with a leading zero", 400, Answer.NOT_AN_ID,
                        () -> serviceIntake(pageEvent("0" + pageId, null))),
                row("worker intake: user uuid in full-width digits", 400, Answer.ERROR,
                        () -> serviceIntake(pageEvent(pageId, fullWidth(userId)))),
                row("worker intake: user uuid ../../users", 400, Answer.ERROR,
                        () -> serviceIntake(pageEvent(pageId, "../../users"))),
                row("worker intake: unknown source", 400, Answer.ERROR,
                        () -> serviceIntake(shopEvent(SHOP).replace("\"SHOPIFY\"", "\"EVIL\""))),
                row("worker intake: event id with markup", 400, Answer.ERROR,
                        () -> serviceIntake(shopEvent(SHOP).replace("\"corpus-", "\"<script> corpus-"))),
                // The dropped user-level Facebook deletion (issue 12): a genuine service token cannot make the
                // worker erase every Page it knows for a user; a Facebook event must name its Page.
                row("worker intake: facebook/data_deletion without a page, for the connected user", 400, Answer.ERROR,
                        () -> serviceIntake(pageEvent(null, userId).replace("page/name", "facebook/data_deletion")))));
    }

    // ---- worker: POST /resync ---------------------------------------------------------------------------------

    private static Stream<Arguments> workerResync() {
        String wk = ServiceAuth.AUDIENCE_WORKER;
        return Stream.concat(refusedTokens("resync", wk, ServiceAuth.ROLE_ADMIN, () -> "x",
                () -> resync(resyncBody(userId, null, null))), Stream.of(
                row("resync: user token resyncing another user's uuid", 403, Answer.ERROR,
                        () -> resync(resyncBody(userId, null, null)).bearer(tokens.valid(wk, ServiceAuth.ROLE_USER, STRANGER))),
                row("resync: user token, the user's uuid with a Cyrillic a", 400, Answer.ERROR,
                        () -> userResync(resyncBody(lookAlike(userId), null, null))),
                row("resync: service token", 403, Answer.EMPTY,
                        () -> resync(resyncBody(userId, null, null)).bearer(tokens.valid(wk, ServiceAuth.ROLE_SERVICE, "oauth-gateway"))),
                row("resync: admin token, user id ../../etc", 400, Answer.ERROR,
                        () -> adminResync(resyncBody("../../etc", null, null))),
                row("resync: admin token, user id %2e%2e%2F", 400, Answer.ERROR,
                        () -> adminResync(resyncBody("%2e%2e%2F" + userId, null, null))),
                row("resync: admin token, user id in full-width digits", 400, Answer.ERROR,
                        () -> adminResync(resyncBody(fullWidth(userId), null, null))),
                row("resync: admin token, shop evil.example", 400, Answer.ERROR,
                        () -> adminResync(resyncBody(userId, "evil.example", null))),
                row("resync: admin token, shop x.myshopify.com.evil.tld", 400, Answer.ERROR,
                        () -> adminResync(resyncBody(userId, "x.myshopify.com.evil.tld", null))),
                row("resync: admin token, shop with a Cyrillic e", 400, Answer.ERROR,
                        () -> adminResync(resyncBody(userId, "d\u0435mo-shop", null))),
                row("resync: admin token, shop demo-shop/../other", 400, Answer.ERROR,
                        () -> adminResync(resyncBody(userId, DemoShop.NAME + "/../other", null))),
                row("resync: admin token, shop demo-shop%2F..", 400, Answer.ERROR,
                        () -> adminResync(resyncBody(userId, DemoShop.NAME + "%2F..", null))),
                row("resync: admin token, page id ../<connected page>", 400, Answer.ERROR,
                        () -> adminResync(resyncBody(userId, null, "../" + pageId))),
                row("resync: admin token, page id <connected page>%2F..", 400, Answer.ERROR,
                        () -> adminResync(resyncBody(userId, null, pageId + "%2F.."))),
                row("resync: admin token, page id in Arabic-Indic digits", 400, Answer.ERROR,
                        () -> adminResync(resyncBody(userId, null, arabicIndic(pageId)))),
                row("resync: admin token, page id of 20 digits, above the 64-bit maximum", 400, Answer.NOT_AN_ID,
                        () -> adminResync(resyncBody(userId, null, OVER_64_BITS))),
                row("resync: admin token, page id 9223372036854775808", 400, Answer.NOT_AN_ID,
                        () -> adminResync(resyncBody(userId, null, JUST_OVER_64_BITS))),
                row("resync: admin token, page id 0", 400, Answer.NOT_AN_ID,
                        () -> adminResync(resyncBody(userId, null, "0"))),
                row("resync: admin token, connected page id with a leading zero", 400, Answer.NOT_AN_ID,
                        () -> adminResync(resyncBody(userId, null, "0" + pageId))),
                row("resync: admin token, malformed JSON", 400, Answer.ERROR,
                        () -> adminResync("{\"userId\":")),
                row("resync: admin token, 100,000 nested '['", 400, Answer.ERROR,
                        () -> adminResync("[".repeat(DEEP))),
                row("resync: admin token, 100,000 nested objects", 400, Answer.ERROR,
                        () -> adminResync("{\"a\":".repeat(DEEP))),
                row("resync: admin token, text/plain content type", 415, Answer.EMPTY,
                        () -> adminResync(resyncBody(userId, null, null)).with("Content-Type", "text/plain")),
                row("resync: admin token, empty body", 400, Answer.ERROR,
                        () -> adminResync("")),
                row("resync: admin token, user without connections", 404, Answer.ERROR,
                        () -> adminResync(resyncBody(STRANGER, null, null)))));
    }

    // ---- worker: GET /jobs/{id} -------------------------------------------------------------------------------

    private static Stream<Arguments> workerJobs() {
        String wk = ServiceAuth.AUDIENCE_WORKER;
        return Stream.concat(refusedTokens("job status", wk, ServiceAuth.ROLE_ADMIN, () -> "x",
                () -> Probe.worker("GET", "/jobs/" + jobOfUser)), Stream.of(
                row("job status: service token", 403, Answer.EMPTY,
                        () -> Probe.worker("GET", "/jobs/" + jobOfUser)
                                .bearer(tokens.valid(wk, ServiceAuth.ROLE_SERVICE, "oauth-gateway"))),
                row("job status: user token, another user's job", 404, Answer.ERROR,
                        () -> Probe.worker("GET", "/jobs/" + jobOfUser).bearer(tokens.valid(wk, ServiceAuth.ROLE_USER, STRANGER))),
                row("job status: admin token, id ..%2F..%2Fq%2Fhealth", 400, Answer.ERROR,
                        () -> Probe.worker("GET", "/jobs/..%2F..%2Fq%2Fhealth").bearer(tokens.valid(wk, ServiceAuth.ROLE_ADMIN, "x"))),
                row("job status: admin token, id %2e%2e (normalised away: no such route)", 404, Answer.EMPTY,
                        () -> Probe.worker("GET", "/jobs/%2e%2e").bearer(tokens.valid(wk, ServiceAuth.ROLE_ADMIN, "x"))),
                row("job status: admin token, id in full-width digits", 400, Answer.ERROR,
                        () -> Probe.worker("GET", "/jobs/" + enc(fullWidth(jobOfUser)))
                                .bearer(tokens.valid(wk, ServiceAuth.ROLE_ADMIN, "x"))),
                row("job status: admin token, unknown job", 404, Answer.ERROR,
                        () -> Probe.worker("GET", "/jobs/" + UUID.randomUUID()).bearer(tokens.valid(wk, ServiceAuth.ROLE_ADMIN, "x")))));
    }

    // ---- worker: GET /jobs?userId=&status=&limit=&cursor= (issue #16) ----------------------------------------------

    private static Stream<Arguments> workerJobList() {
        String wk = ServiceAuth.AUDIENCE_WORKER;
        return Stream.concat(refusedTokens("job list", wk, ServiceAuth.ROLE_ADMIN, () -> "x",
                () -> Probe.worker("GET", "/jobs?userId=" + userId)), Stream.of(
                row("job list: expired user token of the user", 401, Answer.EMPTY,
                        () -> Probe.worker("GET", "/jobs?userId=" + userId).bearer(tokens.expired(wk, ServiceAuth.ROLE_USER, userId))),
                row("job list: gateway-audience user token of the user", 401, Answer.EMPTY,
                        () -> Probe.worker("GET", "/jobs?userId=" + userId)
                                .bearer(tokens.valid(ServiceAuth.AUDIENCE_GATEWAY, ServiceAuth.ROLE_USER, userId))),
                row("job list: service token", 403, Answer.EMPTY,
                        () -> Probe.worker("GET", "/jobs?userId=" + userId)
                                .bearer(tokens.valid(wk, ServiceAuth.ROLE_SERVICE, "oauth-gateway"))),
                row("job list: user token listing another user's jobs", 403, Answer.ERROR,
                        () -> Probe.worker("GET", "/jobs?userId=" + userId).bearer(tokens.valid(wk, ServiceAuth.ROLE_USER, STRANGER))),
                row("job list: user token, no userId", 400, Answer.ERROR,
                        () -> Probe.worker("GET", "/jobs").bearer(userToken())),
                row("job list: user token, the user's uuid with a Cyrillic a", 400, Answer.ERROR,
                        () -> jobList("userId=" + enc(lookAlike(userId))).bearer(userToken())),
                row("job list: admin token, no userId", 400, Answer.ERROR,
                        () -> jobList("status=running")),
                row("job list: admin token, userId ../../etc", 400, Answer.ERROR,
                        () -> jobList("userId=" + enc("../../etc"))),
                row("job list: admin token, userId in full-width digits", 400, Answer.ERROR,
                        () -> jobList("userId=" + enc(fullWidth(userId)))),
                row("job list: user token, another user's uuid first and its own second (the first is the one checked)", 403,
                        Answer.ERROR, () -> jobList("userId=" + STRANGER + "&userId=" + userId).bearer(userToken())),
                row("job list: admin token, userId <uuid>' OR '1'='1", 400, Answer.ERROR,
                        () -> jobList("userId=" + enc(userId + "' OR '1'='1"))),
                row("job list: admin token, status bogus", 400, Answer.ERROR,
                        () -> jobList("userId=" + userId + "&status=bogus")),
                row("job list: admin token, status SUCCEEDED in capitals", 400, Answer.ERROR,
                        () -> jobList("userId=" + userId + "&status=SUCCEEDED")),
                row("job list: admin token, status succeeded' OR status <> '", 400, Answer.ERROR,
                        () -> jobList("userId=" + userId + "&status=" + enc("succeeded' OR status <> '"))),
                row("job list: admin token, limit 0", 400, Answer.ERROR,
                        () -> jobList("userId=" + userId + "&limit=0")),
                row("job list: admin token, limit 201 (over the maximum 200)", 400, Answer.ERROR,
                        () -> jobList("userId=" + userId + "&limit=201")),
                row("job list: admin token, limit -1", 400, Answer.ERROR,
                        () -> jobList("userId=" + userId + "&limit=-1")),
                row("job list: admin token, limit 1e2", 400, Answer.ERROR,
                        () -> jobList("userId=" + userId + "&limit=1e2")),
                row("job list: admin token, limit 2^31 (int overflow)", 400, Answer.ERROR,
                        () -> jobList("userId=" + userId + "&limit=2147483648")),
                row("job list: admin token, limit of 40 digits", 400, Answer.ERROR,
                        () -> jobList("userId=" + userId + "&limit=" + "9".repeat(40))),
                row("job list: admin token, limit in Arabic-Indic digits", 400, Answer.ERROR,
                        () -> jobList("userId=" + userId + "&limit=" + enc(arabicIndic("10")))),
                row("job list: admin token, garbled cursor", 400, Answer.ERROR,
                        () -> jobList("userId=" + userId + "&cursor=" + enc("!!not base64!!"))),
                row("job list: admin token, cursor of SQL in base64url", 400, Answer.ERROR,
                        () -> jobList("userId=" + userId + "&cursor=" + b64url("1'; DROP TABLE worker.jobs; --"))),
                row("job list: admin token, forged cursor: a time and an id with SQL after it", 400, Answer.ERROR,
                        () -> jobList("userId=" + userId + "&cursor=" + b64url("1700000000000000." + UUID.randomUUID()
                                + "' OR '1'='1"))),
                row("job list: admin token, forged cursor: a time past 2^63 microseconds", 400, Answer.ERROR,
                        () -> jobList("userId=" + userId + "&cursor=" + b64url("9999999999999999999." + UUID.randomUUID()))),
                row("job list: admin token, forged cursor with an upper-case uuid", 400, Answer.ERROR,
                        () -> jobList("userId=" + userId + "&cursor=" + b64url("1700000000000000."
                                + UUID.randomUUID().toString().toUpperCase(Locale.ROOT)))),
                row("job list: admin token, cursor of 2,000 characters", 400, Answer.ERROR,
                        () -> jobList("userId=" + userId + "&cursor=" + "A".repeat(2000)))));
    }

    // ---- worker: GET /connections?userId= (issue #16) ---------------------------------------------------------------

    private static Stream<Arguments> workerConnections() {
        String wk = ServiceAuth.AUDIENCE_WORKER;
        return Stream.concat(refusedTokens("connections", wk, ServiceAuth.ROLE_USER, () -> userId,
                () -> Probe.worker("GET", "/connections?userId=" + userId)), Stream.of(
                row("connections: service token", 403, Answer.EMPTY,
                        () -> Probe.worker("GET", "/connections?userId=" + userId)
                                .bearer(tokens.valid(wk, ServiceAuth.ROLE_SERVICE, "oauth-gateway"))),
                row("connections: user token, another user's connections", 403, Answer.ERROR,
                        () -> Probe.worker("GET", "/connections?userId=" + userId).bearer(tokens.valid(wk, ServiceAuth.ROLE_USER, STRANGER))),
                row("connections: user token, no userId", 400, Answer.ERROR,
                        () -> Probe.worker("GET", "/connections").bearer(userToken())),
                row("connections: admin token, no userId", 400, Answer.ERROR,
                        () -> Probe.worker("GET", "/connections").bearer(tokens.valid(wk, ServiceAuth.ROLE_ADMIN, "x"))),
                row("connections: admin token, userId ../../etc", 400, Answer.ERROR,
                        () -> Probe.worker("GET", "/connections?userId=" + enc("../../etc"))
                                .bearer(tokens.valid(wk, ServiceAuth.ROLE_ADMIN, "x"))),
                row("connections: admin token, userId <uuid>' OR '1'='1", 400, Answer.ERROR,
                        () -> Probe.worker("GET", "/connections?userId=" + enc(userId + "' OR '1'='1"))
                                .bearer(tokens.valid(wk, ServiceAuth.ROLE_ADMIN, "x"))),
                row("connections: admin token, userId with a NUL byte", 400, Answer.ERROR,
                        () -> Probe.worker("GET", "/connections?userId=" + enc(userId + "\u0000"))
                                .bearer(tokens.valid(wk, ServiceAuth.ROLE_ADMIN, "x"))),
                row("connections: admin token, userId in full-width digits", 400, Answer.ERROR,
                        () -> Probe.worker("GET", "/connections?userId=" + enc(fullWidth(userId)))
                                .bearer(tokens.valid(wk, ServiceAuth.ROLE_ADMIN, "x")))));
    }

    // ---- gateway: POST /session/token (issue #16) -------------------------------------------------------------------

    private static Stream<Arguments> sessionTokens() {
        String session = OAuthTraces.SESSION;
        return Stream.of(
                row("session token: no cookie", 401, Answer.ERROR,
                        () -> Probe.gateway("POST", "/session/token")),
                row("session token: forged session cookie", 401, Answer.ERROR,
                        () -> Probe.gateway("POST", "/session/token").cookie(session + "=" + userId
                                + ".9999999999.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")),
                row("session token: session cookie signed with the right secret, expired a second ago", 401, Answer.ERROR,
                        () -> Probe.gateway("POST", "/session/token").cookie(session + "="
                                + signedCookie("session", userId, Instant.now().minusSeconds(1)))),
                row("session token: session cookie of the user with its expiry moved a year ahead", 401, Answer.ERROR,
                        () -> Probe.gateway("POST", "/session/token").cookie(session + "=" + withExpiry(
                                signedCookie("session", userId, Instant.now().plusSeconds(60)),
                                Instant.now().plusSeconds(365L * 24 * 3600)))),
                row("session token: the user's session cookie re-pointed at a stranger's uuid", 401, Answer.ERROR,
                        () -> Probe.gateway("POST", "/session/token").cookie(session + "="
                                + signedCookie("session", userId, Instant.now().plusSeconds(60)).replace(userId, STRANGER))),
                row("session token: a Shopify state cookie presented as the session", 401, Answer.ERROR,
                        () -> Probe.gateway("POST", "/session/token").cookie(session + "=" + foreignShopLogin.stateCookie())),
                row("session token: a cookie signed for the user under the Shopify state purpose", 401, Answer.ERROR,
                        () -> Probe.gateway("POST", "/session/token").cookie(session + "="
                                + signedCookie("shopify-state", userId, Instant.now().plusSeconds(60)))),
                row("session token: session cookie with four parts", 401, Answer.ERROR,
                        () -> Probe.gateway("POST", "/session/token").cookie(session + "="
                                + signedCookie("session", userId, Instant.now().plusSeconds(60)) + ".x")),
                row("session token: session cookie of 3,000 characters", 401, Answer.ERROR,
                        () -> Probe.gateway("POST", "/session/token").cookie(session + "=" + "A".repeat(3000))),
                row("session token: the user's uuid as a bearer token instead of a cookie (refused by the JWT layer)", 401,
                        Answer.EMPTY,
                        () -> Probe.gateway("POST", "/session/token").bearer(userId)));
    }

    // ---- POST /shopify/webhook of the topics patched or synced by resource (issue #14), refused or ignored ---------

    /** Topics whose body the gateway reads an id from, with a body that would be accepted for the installed shop. */
    private static final Map<String, String> NEWER_TOPICS = SystemClient.ordered(
            "inventory_levels/update", "{\"inventory_item_id\":1,\"location_id\":1,\"available\":5}",
            "inventory_levels/connect", "{\"inventory_item_id\":1,\"location_id\":1}",
            "inventory_levels/disconnect", "{\"inventory_item_id\":1,\"location_id\":1}",
            "collections/update", "{\"id\":1,\"admin_graphql_api_id\":\"gid://shopify/Collection/1\"}",
            "collections/delete", "{\"id\":1}",
            "discounts/update", "{\"admin_graphql_api_id\":\"gid://shopify/DiscountAutomaticNode/1\"}",
            "discounts/delete", "{\"admin_graphql_api_id\":\"gid://shopify/DiscountCodeNode/1\"}",
            "locations/update", "{\"id\":1,\"admin_graphql_api_id\":\"gid://shopify/Location/1\"}",
            "locations/delete", "{\"id\":1}",
            "shop/update", "{\"id\":1,\"myshopify_domain\":\"" + SHOP + "\"}");

    private static Stream<Arguments> newerWebhookTopics() {
        return NEWER_TOPICS.entrySet().stream().flatMap(topic -> {
            String name = topic.getKey();
            byte[] body = bytes(topic.getValue());
            return Stream.of(
                    row("shopify webhook " + name + ": HMAC signed with another secret", 401, Answer.ERROR,
                            () -> shopifyDelivery(SHOP, UUID.randomUUID().toString(), body).with("X-Shopify-Topic", name)
                                    .with(SHOPIFY_HMAC, ShopifyWebhookVerifier.sign(body, "guessed-secret"))),
                    row("shopify webhook " + name + ": valid HMAC, malformed JSON", 400, Answer.ERROR,
                            () -> shopifyDelivery(SHOP, UUID.randomUUID().toString(), bytes("{\"id\":1,"))
                                    .with("X-Shopify-Topic", name)),
                    row("shopify webhook " + name + ": valid HMAC, a JSON array of the body", 400, Answer.ERROR,
                            () -> shopifyDelivery(SHOP, UUID.randomUUID().toString(), bytes("[" + topic.getValue() + "]"))
                                    .with("X-Shopify-Topic", name)),
                    row("shopify webhook " + name + ": valid HMAC, the id field given twice", 400, Answer.ERROR,
                            () -> shopifyDelivery(SHOP, UUID.randomUUID().toString(), bytes("{\"id\":1,\"id\":2,"
                                    + "\"inventory_item_id\":1,\"inventory_item_id\":2}")).with("X-Shopify-Topic", name)),
                    row("shopify webhook " + name + ": valid HMAC, unknown shop", 200, Answer.IGNORED,
                            () -> shopifyDelivery(UNKNOWN_SHOP, UUID.randomUUID().toString(), body).with("X-Shopify-Topic", name)));
        });
    }

    /**
     * Issue #16: genuinely signed deliveries of the topics patched by resource, for the installed shop, whose bodies
     * are hostile: ids missing, of the wrong JSON type, GIDs of another resource kind, numbers past what Shopify
     * issues, negative, strings with control characters. Shopify signed them, so each is taken (200 {@code stored}, one
     * receipt and one outbox row: Shopify would retry a refusal forever), but what is forwarded is a resource id of
     * the topic's own type or none (the worker then syncs the whole shop), never the body's text; and the worker gets
     * through every one of them without a failed job.
     */
    @Test
    @Order(150)
    void signedDeliveriesWithHostileIdsForwardNoForeignIdAndFailNoJob() throws Exception {
        awaitQuiet();
        String since = string("SELECT now()::text");
        Map<String, String> bodies = new LinkedHashMap<>();
        String control = "gid://shopify/Product/1\\u0000\\n\\r\\u001b[31m";
        String huge = "99999999999999999999999"; // 23 digits, past any 64-bit id
        bodies.put("inventory_levels/update: no ids", "{\"available\":5}");
        bodies.put("inventory_levels/update: ids as strings", "{\"inventory_item_id\":\"1\",\"location_id\":\"1\"}");
        bodies.put("inventory_levels/update: negative ids", "{\"inventory_item_id\":-1,\"location_id\":-7}");
        bodies.put("inventory_levels/update: huge ids", "{\"inventory_item_id\":" + huge + ",\"location_id\":" + huge + "}");
        bodies.put("inventory_levels/update: ids as fractions", "{\"inventory_item_id\":1.5,\"location_id\":1e3}");
        bodies.put("inventory_levels/connect: a level GID naming another shop's item, no numeric ids",
                "{\"admin_graphql_api_id\":\"gid://shopify/InventoryLevel/1?inventory_item_id=2&shop=evil\"}");
        bodies.put("inventory_levels/disconnect: location id 0", "{\"inventory_item_id\":1,\"location_id\":0}");
        bodies.put("collections/update: a product's GID", "{\"admin_graphql_api_id\":\"gid://shopify/Product/1\"}");
        bodies.put("collections/update: id null", "{\"id\":null}");
        bodies.put("collections/delete: id as an object", "{\"id\":{\"$gt\":0}}");
        bodies.put("collections/delete: id true", "{\"id\":true}");
        bodies.put("collections/update: GID with control characters", "{\"admin_graphql_api_id\":\"" + control + "\"}");
        bodies.put("discounts/update: a collection's GID", "{\"admin_graphql_api_id\":\"gid://shopify/Collection/1\"}");
        bodies.put("discounts/update: a discount GID with a path after it",
                "{\"admin_graphql_api_id\":\"gid://shopify/DiscountNode/1/../../Shop/1\"}");
        bodies.put("discounts/delete: only a numeric id", "{\"id\":5}");
        bodies.put("discounts/create: a discount GID of 21 digits",
                "{\"admin_graphql_api_id\":\"gid://shopify/DiscountCodeNode/" + "1".repeat(21) + "\"}");
        bodies.put("locations/update: an inventory level's GID",
                "{\"admin_graphql_api_id\":\"gid://shopify/InventoryLevel/1?inventory_item_id=1\"}");
        bodies.put("locations/delete: negative id", "{\"id\":-1}");
        bodies.put("products/delete: id of 20 digits, above the 64-bit maximum", "{\"id\":" + OVER_64_BITS + "}");
        bodies.put("products/update: a product GID one past the 64-bit maximum",
                "{\"admin_graphql_api_id\":\"gid://shopify/Product/" + JUST_OVER_64_BITS + "\"}");
        bodies.put("collections/update: a collection GID of 20 digits",
                "{\"admin_graphql_api_id\":\"gid://shopify/Collection/" + OVER_64_BITS + "\"}");
        bodies.put("inventory_levels/update: item id one past the 64-bit maximum",
                "{\"inventory_item_id\":" + JUST_OVER_64_BITS + ",\"location_id\":1}");
        bodies.put("discounts/update: a discount GID of 20 digits",
                "{\"admin_graphql_api_id\":\"gid://shopify/DiscountAutomaticNode/" + OVER_64_BITS + "\"}");
        bodies.put("locations/create: id with leading zeros as a string", "{\"id\":\"0001\"}");
        bodies.put("shop/update: a product's GID and a control-character name",
                "{\"admin_graphql_api_id\":\"gid://shopify/Product/1\",\"name\":\"\\u0000\\u0007bell\"}");
        bodies.put("shop/update: empty object", "{}");

        Map<String, String> forwarded = new LinkedHashMap<>();
        for (Map.Entry<String, String> row : bodies.entrySet()) {
            String topic = row.getKey().substring(0, row.getKey().indexOf(':'));
            String eventId = "hostile-id-" + UUID.randomUUID();
            HttpResponse<String> response = send(shopifyDelivery(SHOP, eventId, bytes(row.getValue()))
                    .with("X-Shopify-Topic", topic));
            String seen = row.getKey() + " -> " + response.statusCode() + " " + abbreviate(response.body());
            assertThat(response.statusCode()).as(seen).isEqualTo(200);
            assertThat(json(response).path("status").asText()).as(seen).isEqualTo("stored");
            assertThat(count("SELECT count(*) FROM gateway.outbox WHERE event_id = ?", eventId)).as(seen).isEqualTo(1);
            String resourceId = string("SELECT coalesce(payload->>'resourceId', '') FROM gateway.outbox WHERE event_id = ?",
                    eventId);
            forwarded.put(row.getKey(), resourceId);
            if (!resourceId.isEmpty()) {
                assertThat(ShopifyResourceIds.matches(topic, resourceId)).as(seen + ", forwarded " + resourceId).isTrue();
            }
        }
        // Nothing of these bodies is a valid id of its topic: each asks the worker for a whole-shop sync.
        assertThat(forwarded).as("forwarded resource ids").allSatisfy((row, id) -> assertThat(id).as(row).isEmpty());

        awaitQuiet();
        assertThat(count("SELECT count(*) FROM worker.jobs WHERE user_id = ?::uuid AND updated_at >= ?::timestamptz "
                + "AND status IN ('failed', 'dead')", userId, since)).as("jobs failed after the hostile deliveries").isZero();
        assertThat(count("SELECT count(*) FROM worker.jobs WHERE user_id = ?::uuid AND updated_at >= ?::timestamptz "
                + "AND status = 'succeeded'", userId, since)).as("the shop was synced after them").isPositive();
        assertThat(snapshot().spaces().keySet()).contains("users/" + userId + "/shopify/" + SHOP + "/shop_products.json",
                "users/" + userId + "/shopify/" + SHOP + "/shop_metadata.json");
    }

    /**
     * Issue #11: Shopify sends shop/redact 48 h after an uninstall. A genuinely signed one that names the
     * installed shop (a stale request, or one from before a reinstall) is recorded and erases nothing.
     */
    @Test
    @Order(4)
    void shopRedactForTheInstalledShopErasesNothing() throws Exception {
        awaitQuiet();
        StorageSnapshot before = snapshot();
        String eventId = "redact-" + UUID.randomUUID();
        Probe redact = shopifyDelivery(SHOP, eventId, bytes("{\"shop_id\":1,\"shop_domain\":\"" + SHOP + "\"}"))
                .with("X-Shopify-Topic", "shop/redact");

        HttpResponse<String> response = send(redact);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).path("status").asText()).isEqualTo("recorded");
        assertThat(string("SELECT status FROM gateway.shopify_connections WHERE shop = ?", SHOP)).isEqualTo("active");
        assertThat(count("SELECT count(*) FROM gateway.outbox WHERE event_id = ?", eventId)).isZero();
        awaitQuiet();
        assertThat(snapshot().spaces()).as("the shop's objects in Spaces").isEqualTo(before.spaces());
    }

    // ---- what an answer must look like ------------------------------------------------------------------------

    /** The body expected besides the status; every answer is also checked for internals. */
    enum Answer {
        /** The service's JSON error: {@code error} and a readable {@code message}. */
        ERROR(body -> {
            assertThat(body.path("error").asText()).isNotBlank();
            assertThat(body.path("message").asText()).isNotBlank();
        }),
        /**
         * The service's JSON error for a Page id that is no positive 64-bit number in canonical form; the field is
         * {@code pageId}, in a batch {@code events[i].pageId}.
         */
        NOT_AN_ID(body -> {
            assertThat(body.path("error").asText()).isEqualTo("invalid_input");
            String field = body.path("field").asText();
            assertThat(field).matches("(events\\[[0-9]+]\\.)?pageId");
            assertThat(body.path("message").asText()).startsWith(field + ": " + NumericIds.RULE + ": '");
        }),
        /** Shopify webhook acknowledged and dropped: no active connection for the shop. */
        IGNORED(body -> assertThat(body.path("status").asText()).isEqualTo("ignored")),
        /** Shopify webhook acknowledged and dropped: seen before. */
        DUPLICATE(body -> assertThat(body.path("status").asText()).isEqualTo("duplicate")),
        /** Page webhook acknowledged, its one entry dropped: not a connected Page. */
        PAGE_IGNORED(body -> assertThat(List.of(body.path("stored").asLong(), body.path("duplicates").asLong(),
                body.path("ignored").asLong())).containsExactly(0L, 0L, 1L)),
        /** Page webhook acknowledged, its one entry dropped: seen before. */
        PAGE_DUPLICATE(body -> assertThat(List.of(body.path("stored").asLong(), body.path("duplicates").asLong(),
                body.path("ignored").asLong())).containsExactly(0L, 1L, 0L)),
        /**
         * Answered before our code runs, with an empty body: the HTTP layer (413 body too large, 414 request line
         * too long, the worker's 415), the JWT and role checks (401, 403), Vert.x for a path that routes nowhere.
         */
        EMPTY(null),
        /** The merchant's error page: a merchant path asked for with text/html. */
        ERROR_PAGE(null);

        private final Consumer<JsonNode> check;

        Answer(Consumer<JsonNode> check) {
            this.check = check;
        }

        void check(HttpResponse<String> response, String seen) throws Exception {
            if (this == ERROR_PAGE) {
                assertThat(response.headers().firstValue("Content-Type").orElse("")).as(seen).startsWith("text/html");
                assertThat(response.body()).as(seen).contains("<html");
                return;
            }
            if (check == null) {
                assertThat(response.body()).as(seen).isEmpty();
                return;
            }
            assertThat(response.headers().firstValue("Content-Type").orElse("")).as(seen).startsWith("application/json");
            JsonNode body = SystemClient.JSON.readTree(response.body());
            assertThat(body.isObject()).as(seen).isTrue();
            check.accept(body);
        }
    }

    // ---- request builders -------------------------------------------------------------------------------------

    private static Arguments row(String name, int status, Answer answer, Supplier<Probe> probe) {
        return Arguments.of(Named.of(name, new Case(name, status, answer, probe)));
    }

    private static Probe shopifyDelivery(String shop, String eventId, byte[] body) {
        return Probe.gateway("POST", "/shopify/webhook")
                .with("Content-Type", "application/json")
                .with(SHOPIFY_HMAC, ShopifyWebhookVerifier.sign(body, env("SHOPIFY_API_SECRET")))
                .with("X-Shopify-Topic", "products/update")
                .with("X-Shopify-Shop-Domain", shop)
                .with("X-Shopify-API-Version", "2026-07")
                .with("X-Shopify-Webhook-Id", UUID.randomUUID().toString())
                .with("X-Shopify-Event-Id", eventId)
                .body(body);
    }

    /** A genuine-looking delivery for {@code shop} with a never-seen event id. */
    private static Probe fresh(String shop) {
        return shopifyDelivery(shop, UUID.randomUUID().toString(), productBody());
    }

    /**
     * The forgery of issue #11: the query of the genuine OAuth callback the setup's install received (Shopify
     * signs it with the app secret too), sent as a webhook body under the installed shop's header, its hex
     * {@code hmac} re-encoded as the base64 {@code X-Shopify-Hmac-Sha256}. The HMAC verifies; the body is no
     * JSON object.
     */
    private static Probe callbackAsWebhook(String topic) {
        Map<String, List<String>> query = ShopifyOAuthQueryVerifier.parseQuery(URI.create(shopifyInstall.callbackUrl())
                .getRawQuery());
        String hexHmac = query.get("hmac").get(0);
        java.util.TreeMap<String, String> sorted = new java.util.TreeMap<>();
        query.forEach((k, v) -> {
            if (!k.equals("hmac")) {
                sorted.put(k, v.get(0));
            }
        });
        byte[] message = bytes(String.join("&", sorted.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .toList()));
        String forged = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hexHmac));
        ShopifyWebhookVerifier.verify(message, forged, env("SHOPIFY_API_SECRET")); // the premise: it verifies
        return shopifyDelivery(SHOP, UUID.randomUUID().toString(), message).with(SHOPIFY_HMAC, forged)
                .with("X-Shopify-Topic", topic);
    }

    private static byte[] productBody() {
        return bytes("{\"id\":1,\"admin_graphql_api_id\":\"gid://shopify/Product/1\",\"title\":\"corpus\"}");
    }

    private static Probe pageDelivery(byte[] body) {
        return Probe.gateway("POST", "/facebook/webhook")
                .with("Content-Type", "application/json")
                .with(META_SIGNATURE, MetaSignatureVerifier.sign(body, env("FACEBOOK_APP_SECRET")))
                .body(body);
    }

    /** A change to the connected Page that was never delivered: would be stored if the signature passed. */
    private static Probe freshPage() {
        return pageDelivery(freshPageBody());
    }

    private static byte[] freshPageBody() {
        return pageBody(pageId, 1_700_000_000L);
    }

    private static byte[] pageBody(String id, long time) {
        return bytes("{\"object\":\"page\",\"entry\":[{\"id\":" + SystemClient.JSON.valueToTree(id) + ",\"time\":" + time
                + ",\"changes\":[{\"field\":\"name\",\"value\":\"corpus " + time + "\"}]}]}");
    }

    private static Probe verification(String mode, String token, String challenge) {
        return Probe.gateway("GET", "/facebook/webhook?hub.mode=" + enc(mode) + "&hub.verify_token=" + enc(token)
                + "&hub.challenge=" + enc(challenge));
    }

    private static Probe deletion(String form) {
        return Probe.gateway("POST", "/facebook/data-deletion").form(form);
    }

    private static String signedRequest(Map<String, ?> payload) {
        return MetaSignedRequest.create(payload, env("FACEBOOK_APP_SECRET"));
    }

    /** A correctly signed request whose payload part is {@code payload} as is (not necessarily JSON). */
    private static String signedRaw(String payload) {
        String encoded = b64url(payload);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                Hmac.sha256(env("FACEBOOK_APP_SECRET"), encoded.getBytes(StandardCharsets.US_ASCII))) + "." + encoded;
    }

    private static String facebookUserId() {
        try {
            return SystemClient.JSON.readTree(client.get(system.facebookSimulatorUrl() + "/_sim/user", null).body())
                    .path("id").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String installedNonce() {
        return shopifyInstall.login().nonce();
    }

    private static String installedCookie() {
        return OAuthTraces.SHOPIFY_STATE + "=" + shopifyInstall.login().stateCookie();
    }

    private static Map<String, String> callbackParams(String shop, String state, Instant timestamp) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("code", "corpus-" + UUID.randomUUID());
        params.put("host", b64url("admin.shopify.com/store/" + DemoShop.NAME));
        params.put("shop", shop);
        params.put("state", state);
        params.put("timestamp", String.valueOf(timestamp.getEpochSecond()));
        return params;
    }

    private static String signedCallback(String shop, String state, Instant timestamp) {
        return OAuthTraces.signedShopifyQuery(callbackParams(shop, state, timestamp), env("SHOPIFY_API_SECRET"));
    }

    private static String rewriteHmac(String query, UnaryOperator<String> rewrite) {
        String hmac = OAuthTraces.queryParam(URI.create("x:/?" + query), "hmac");
        return query.replace("hmac=" + hmac, "hmac=" + enc(rewrite.apply(hmac)));
    }

    private static Probe callback(String query, String cookie) {
        Probe probe = Probe.gateway("GET", "/shopify/callback?" + query);
        return cookie == null ? probe : probe.cookie(cookie);
    }

    private static Probe intake(String body) {
        return Probe.worker("POST", "/internal/events").json(body);
    }

    /** A genuine service token minted for exactly this body (issue 11: tokens are bound to their body). */
    private static Probe serviceIntake(String body) {
        return intake(body).bearer(tokens.service(bytes(body), UUID.randomUUID().toString()));
    }

    private static String shopEvent(String shop) {
        return "{\"events\":[{\"eventId\":\"corpus-" + UUID.randomUUID() + "\",\"source\":\"SHOPIFY\","
                + "\"topic\":\"products/update\",\"shop\":" + SystemClient.JSON.valueToTree(shop)
                + ",\"receivedAt\":\"" + Instant.now() + "\"}]}";
    }

    private static String pageEvent(String page, String user) {
        return "{\"events\":[{\"eventId\":\"corpus-" + UUID.randomUUID() + "\",\"source\":\"FACEBOOK\","
                + "\"topic\":\"page/name\",\"pageId\":" + SystemClient.JSON.valueToTree(page)
                + (user == null ? "" : ",\"userId\":" + SystemClient.JSON.valueToTree(user))
                + ",\"receivedAt\":\"" + Instant.now() + "\"}]}";
    }

    private static Probe jobList(String query) {
        return Probe.worker("GET", "/jobs?" + query).bearer(tokens.valid(ServiceAuth.AUDIENCE_WORKER, ServiceAuth.ROLE_ADMIN,
                "e2e-operator"));
    }

    private static String userToken() {
        return tokens.valid(ServiceAuth.AUDIENCE_WORKER, ServiceAuth.ROLE_USER, userId);
    }

    /** A cookie value as the gateway's CookieSigner makes it, with STATE_TOKEN_SECRET: value.expiry.mac. */
    private static String signedCookie(String purpose, String value, Instant expiresAt) {
        String secret = env("STATE_TOKEN_SECRET");
        byte[] key;
        try {
            key = Base64.getDecoder().decode(secret.strip());
        } catch (IllegalArgumentException e) {
            key = bytes(secret);
        }
        String payload = value + "." + expiresAt.getEpochSecond();
        return payload + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                Hmac.sha256(key, bytes(purpose + ":" + payload)));
    }

    /** The same signed value with another expiry, its MAC left as it was. */
    private static String withExpiry(String signed, Instant expiresAt) {
        String[] parts = signed.split("\\.");
        return parts[0] + "." + expiresAt.getEpochSecond() + "." + parts[2];
    }

    private static Probe resync(String body) {
        return Probe.worker("POST", "/resync").json(body);
    }

    private static Probe adminResync(String body) {
        return resync(body).bearer(tokens.valid(ServiceAuth.AUDIENCE_WORKER, ServiceAuth.ROLE_ADMIN, "e2e-operator"));
    }

    private static Probe userResync(String body) {
        return resync(body).bearer(tokens.valid(ServiceAuth.AUDIENCE_WORKER, ServiceAuth.ROLE_USER, userId));
    }

    private static String resyncBody(String user, String shop, String page) {
        var body = SystemClient.JSON.createObjectNode().put("userId", user);
        if (shop != null) {
            body.put("shop", shop);
        }
        if (page != null) {
            body.put("pageId", page);
        }
        return body.toString();
    }

    /**
     * What the JWT layer refuses before an endpoint's code runs, 401 with an empty body, for every endpoint that takes
     * a bearer token: none, and a token of the endpoint's own role and audience made wrong one way each: unsigned
     * ({@code alg: none}), expired, of another issuer, signed with another RSA key, HS256 keyed with the public key,
     * or valid but for the other service's audience.
     */
    private static Stream<Arguments> refusedTokens(String endpoint, String audience, String role, Supplier<String> subject,
                                                   Supplier<Probe> request) {
        String otherAudience = ServiceAuth.AUDIENCE_WORKER.equals(audience)
                ? ServiceAuth.AUDIENCE_GATEWAY : ServiceAuth.AUDIENCE_WORKER;
        return Stream.of(
                row(endpoint + ": no token", 401, Answer.EMPTY, request),
                row(endpoint + ": alg none " + role + " token", 401, Answer.EMPTY,
                        () -> request.get().bearer(tokens.unsigned(audience, role, subject.get()))),
                row(endpoint + ": expired " + role + " token", 401, Answer.EMPTY,
                        () -> request.get().bearer(tokens.expired(audience, role, subject.get()))),
                row(endpoint + ": " + role + " token of another issuer", 401, Answer.EMPTY,
                        () -> request.get().bearer(tokens.foreignIssuer(audience, role, subject.get()))),
                row(endpoint + ": " + role + " token signed with another RSA key", 401, Answer.EMPTY,
                        () -> request.get().bearer(tokens.otherKey(audience, role, subject.get()))),
                row(endpoint + ": HS256 " + role + " token keyed with the public key", 401, Answer.EMPTY,
                        () -> request.get().bearer(tokens.hmacWithPublicKey(audience, role, subject.get()))),
                row(endpoint + ": " + role + " token for the " + otherAudience + " audience only", 401, Answer.EMPTY,
                        () -> request.get().bearer(tokens.valid(otherAudience, role, subject.get()))));
    }

    // ---- small things -----------------------------------------------------------------------------------------

    private static HttpResponse<String> send(Probe probe) throws Exception {
        return HTTP.send(probe.toRequest(system), HttpResponse.BodyHandlers.ofString());
    }

    private static StorageSnapshot snapshot() throws Exception {
        return StorageSnapshot.take(db, client);
    }

    /** Nothing left in flight from the setup: outbox delivered, no job pending or running, Spaces stable. */
    private static void awaitQuiet() throws Exception {
        SystemClient.await("the setup's outbox, jobs and Spaces writes to settle", Duration.ofMinutes(2), () -> {
            try {
                if (count("SELECT count(*) FROM gateway.outbox WHERE delivered_at IS NULL") > 0
                        || count("SELECT count(*) FROM worker.jobs WHERE status IN ('pending', 'running', 'waiting')") > 0) {
                    return false;
                }
                StorageSnapshot first = snapshot();
                Thread.sleep(1000);
                return snapshot().changesSince(first).isEmpty();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static long count(String sql, Object... params) throws Exception {
        return Long.parseLong(string(sql, params));
    }

    private static String string(String sql, Object... params) throws Exception {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                assertThat(rs.next()).as(sql).isTrue();
                return rs.getString(1);
            }
        }
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return SystemClient.JSON.readTree(response.body());
    }

    private static String env(String name) {
        return system.env().get(name);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A JSON string document of exactly {@code size} bytes. */
    private static byte[] padded(int size) {
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) 'a');
        body[0] = '"';
        body[size - 1] = '"';
        return body;
    }

    private static byte[] hmacSha1(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return mac.doFinal(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64url(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(text));
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String chop(String text) {
        return text.substring(0, text.length() - 1);
    }

    private static String pathOf(String url) {
        URI uri = URI.create(url);
        return uri.getRawPath() + "?" + uri.getRawQuery();
    }

    /** The same digits in Arabic-Indic script (U+0660..U+0669): digits to a careless {@code \d}. */
    private static String arabicIndic(String digits) {
        return shiftDigits(digits, '\u0660');
    }

    /** Full-width digits (U+FF10..U+FF19), which {@code UUID.fromString} would not take but some parsers do. */
    private static String fullWidth(String text) {
        return shiftDigits(text, '\uFF10');
    }

    private static String shiftDigits(String text, char zero) {
        StringBuilder out = new StringBuilder();
        text.chars().forEach(c -> out.append(c >= '0' && c <= '9' ? (char) (zero + c - '0') : (char) c));
        return out.toString();
    }

    /** The uuid with one character swapped for a look-alike: Cyrillic а, е or с, else a full-width digit. */
    private static String lookAlike(String uuid) {
        for (String[] swap : new String[][] {{"a", "\u0430"}, {"e", "\u0435"}, {"c", "\u0441"}}) {
            if (uuid.contains(swap[0])) {
                return uuid.replaceFirst(swap[0], swap[1]);
            }
        }
        return fullWidth(uuid.substring(0, 1)) + uuid.substring(1);
    }

    private static String abbreviate(String body) {
        return body.length() <= 300 ? body : body.substring(0, 300) + "...";
    }

    // --- issue 11: ownership ---

    /** A service token is good for the one body it was minted for, once: replayed or moved to another body, 401. */
    @Test
    @Order(110)
    void aServiceTokenIsRefusedForAnotherBodyAndWhenReplayed() throws Exception {
        // Ignored by the worker (unknown shop): accepting it stores nothing but the token's use.
        String body = shopEvent(UNKNOWN_SHOP);
        String token = tokens.service(bytes(body), "corpus-jti-" + UUID.randomUUID());
        HttpResponse<String> first = send(intake(body).bearer(token));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        long uses = count("SELECT count(*) FROM worker.service_token_uses");

        Map<String, Probe> refused = new LinkedHashMap<>();
        refused.put("the same token and body again", intake(body).bearer(token));
        refused.put("the same token, another body", intake(shopEvent(SHOP)).bearer(token));
        refused.put("a fresh token minted for another body", intake(shopEvent(SHOP))
                .bearer(tokens.service(bytes(shopEvent(SHOP)), UUID.randomUUID().toString())));
        refused.put("a token without bsh or jti", intake(shopEvent(SHOP))
                .bearer(tokens.valid(ServiceAuth.AUDIENCE_WORKER, ServiceAuth.ROLE_SERVICE, "oauth-gateway")));
        for (Map.Entry<String, Probe> row : refused.entrySet()) {
            StorageSnapshot before = snapshot();
            HttpResponse<String> response = send(row.getValue());
            String seen = "intake, " + row.getKey() + " -> " + response.statusCode() + " " + abbreviate(response.body());
            assertThat(response.statusCode()).as(seen).isEqualTo(401);
            Answer.ERROR.check(response, seen);
            assertThat(json(response).path("error").asText()).as(seen).isEqualTo("invalid_token");
            assertThat(snapshot().changesSince(before)).as("storage changed by " + seen).isEmpty();
        }
        assertThat(count("SELECT count(*) FROM worker.service_token_uses")).isEqualTo(uses);
    }

    /** The worker checks an event's userId against the gateway's connections: another user's shop or Page gets nothing. */
    @Test
    @Order(111)
    void anEventNamingAUserWhoDoesNotOwnTheShopIsRefusedAndWritesNothing() throws Exception {
        String eventId = "corpus-" + UUID.randomUUID();
        String forged = "{\"events\":["
                + "{\"eventId\":\"" + eventId + "\",\"source\":\"SHOPIFY\",\"topic\":\"products/update\",\"shop\":\""
                + SHOP + "\",\"userId\":\"" + STRANGER + "\",\"receivedAt\":\"" + Instant.now() + "\"},"
                + "{\"eventId\":\"" + eventId + "-redact\",\"source\":\"SHOPIFY\",\"topic\":\"shop/redact\",\"shop\":\""
                + SHOP + "\",\"userId\":\"" + STRANGER + "\",\"receivedAt\":\"" + Instant.now() + "\"},"
                + "{\"eventId\":\"" + eventId + "-page\",\"source\":\"FACEBOOK\",\"topic\":\"page/deleted\",\"pageId\":\""
                + pageId + "\",\"userId\":\"" + STRANGER + "\",\"receivedAt\":\"" + Instant.now() + "\"}]}";
        StorageSnapshot before = snapshot();

        HttpResponse<String> response = send(serviceIntake(forged));

        // 202: the gateway would redeliver a refused batch forever; the refusal is per event.
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode receipt = json(response);
        assertThat(receipt.path("jobs").size()).as(response.body()).isZero();
        assertThat(receipt.path("ignored").findValuesAsText("reason"))
                .hasSize(3).allSatisfy(reason -> assertThat(reason).contains("user " + STRANGER + " does not hold"));
        Thread.sleep(2000);
        assertThat(snapshot().changesSince(before)).as("nothing enqueued, nothing written or deleted").isEmpty();
        assertThat(snapshot().spaces().keySet()).noneMatch(key -> key.startsWith("users/" + STRANGER + "/"))
                .contains("users/" + userId + "/shopify/" + SHOP + "/shop_products.json",
                        "users/" + userId + "/facebook/" + pageId + "/page_data.json");
    }

    // --- issue 11: mgmt ---

    /** Health, metrics and the API docs live on each service's management port: the public ports answer 404. */
    @Test
    @Order(4)
    void managementEndpointsAreNotOnThePublicPorts() throws Exception {
        StorageSnapshot before = snapshot();
        for (var service : List.of(system.gateway(), system.worker())) {
            for (String path : List.of("/q/metrics", "/q/openapi", "/q/openapi?format=json", "/q/swagger-ui",
                    "/q/swagger-ui/index.html", "/q/health", "/q/health/ready", "/q/health/live", "/q/info", "/q/dev-ui")) {
                HttpResponse<String> answer = getWithoutRedirects(service.url() + path);
                String seen = service.url() + path + " -> " + answer.statusCode() + " " + abbreviate(answer.body());
                assertThat(answer.statusCode()).as(seen).isEqualTo(404);
                for (String internal : INTERNALS) {
                    assertThat(answer.body()).as("internals in " + seen).doesNotContain(internal);
                }
            }
            for (String path : List.of("/q/metrics", "/q/openapi", "/q/health/ready")) {
                assertThat(getWithoutRedirects(service.managementUrl() + path).statusCode())
                        .as(service.managementUrl() + path).isEqualTo(200);
            }
        }
        assertThat(snapshot().changesSince(before)).as("storage changed by /q/* probes").isEmpty();
    }

    /** Anonymous Shopify logins cost no row: the state is signed, and only a callback Shopify signed records its nonce. */
    @Test
    @Order(5)
    void aFloodOfAnonymousLoginsStoresNothing() throws Exception {
        StorageSnapshot before = snapshot();
        for (int i = 0; i < 200; i++) {
            HttpResponse<String> login = getWithoutRedirects(system.gateway().url() + "/shopify/flood-" + i + "/login");
            assertThat(login.statusCode()).as("login %d: %s", i, abbreviate(login.body())).isEqualTo(302);
        }
        assertThat(snapshot().changesSince(before)).as("storage changed by 200 anonymous logins").isEmpty();
    }

    private static HttpResponse<String> getWithoutRedirects(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    // --- issue 11: meta ---

    /**
     * Meta's app secret signs webhook bodies (hex), signed_request payload parts (base64url) and, for apps that
     * send one, appsecret_proof over a token (hex; we send none). Each presented as another is refused.
     */
    @Test
    @Order(11)
    void aMessageMetaSignedForOneProtocolIsRefusedAsAnother() throws Exception {
        String secret = env("FACEBOOK_APP_SECRET");
        String[] signedRequest = signedRequest(Map.of("user_id", facebookUserId())).split("\\.");
        byte[] webhookBody = freshPageBody();
        byte[] webhookMac = HexFormat.of().parseHex(MetaSignatureVerifier.sign(webhookBody, secret).substring(7));
        String token = "EAAGm0PX4ZCpsBAKZBZCZAbcdefghijklmnopqrstuvwxyz0123456789";
        byte[] proof = Hmac.sha256(secret, bytes(token));
        String b64Proof = Base64.getUrlEncoder().withoutPadding().encodeToString(proof);
        List<Case> cases = List.of(
                new Case("meta: a signed_request's payload part and MAC as a Page webhook", 400, Answer.ERROR,
                        () -> pageDelivery(bytes(signedRequest[1])).with(META_SIGNATURE, "sha256="
                                + HexFormat.of().formatHex(Base64.getUrlDecoder().decode(signedRequest[0])))),
                new Case("meta: a Page webhook's body and MAC as a signed_request", 401, Answer.ERROR,
                        () -> deletion("signed_request=" + enc(Base64.getUrlEncoder().withoutPadding()
                                .encodeToString(webhookMac) + "." + new String(webhookBody, StandardCharsets.UTF_8)))),
                new Case("meta: a Page webhook's MAC over its base64url body as a signed_request", 401, Answer.ERROR,
                        () -> deletion("signed_request=" + enc(Base64.getUrlEncoder().withoutPadding()
                                .encodeToString(webhookMac) + "." + b64url(new String(webhookBody, StandardCharsets.UTF_8))))),
                new Case("meta: an appsecret_proof and its token as a Page webhook", 400, Answer.ERROR,
                        () -> pageDelivery(bytes(token)).with(META_SIGNATURE, "sha256=" + Hmac.hex(proof))),
                new Case("meta: an appsecret_proof and its token as a signed_request", 401, Answer.ERROR,
                        () -> deletion("signed_request=" + enc(b64Proof + "." + token))),
                new Case("meta: a genuine signed_request with its signature padded", 401, Answer.ERROR,
                        () -> deletion("signed_request=" + enc(signedRequest[0] + "=." + signedRequest[1]))));
        for (Case row : cases) {
            hostileRequestIsRefusedAndStoresNothing(row);
        }
    }

    /**
     * A person with only ANALYZE and ADVERTISE on demo-shop's Page (the simulator's analyst) connects it from
     * another merchant's session: the Page stays demo-shop's, nothing is queued for either merchant, no token shown.
     */
    @Test
    @Order(200) // last: it installs rival-shop, whose sync would show in a later test's "stores nothing" check
    void aPersonWithoutManageCannotTakeAPageFromTheMerchantWhoConnectedIt() throws Exception {
        JsonNode simUser = SystemClient.JSON.readTree(client.get(system.facebookSimulatorUrl() + "/_sim/user", null).body());
        String analystPage = simUser.path("analyst").path("pages").get(0).asText();
        String pageOwner = "SELECT user_id::text FROM gateway.facebook_pages WHERE page_id = ?";
        assertThat(string(pageOwner, analystPage)).isEqualTo(userId);
        OAuthTraces rival = new OAuthTraces(system);
        OAuthTraces.Completed rivalInstall = rival.installShopify("rival-shop");
        assertThat(rivalInstall.status()).as(rivalInstall.answer().toString()).isEqualTo(200);
        assertThat(rivalInstall.answer().path("user_uuid").asText()).isNotEqualTo(userId);
        long outboxBefore = count("SELECT coalesce(max(id), 0) FROM gateway.outbox");
        HttpResponse<String> armed = client.postJson(system.facebookSimulatorUrl() + "/_sim/next-login",
                "{\"user_id\":\"" + simUser.path("analyst").path("id").asText() + "\"}", null);
        assertThat(armed.statusCode()).as(armed.body()).isEqualTo(200);

        OAuthTraces.Completed takeover = rival.connectFacebook();

        assertThat(takeover.status()).as(takeover.answer().toString()).isEqualTo(200);
        assertThat(takeover.answer().path("pages")).isEmpty();
        assertThat(takeover.answer().path("skipped").get(0).path("id").asText()).isEqualTo(analystPage);
        assertThat(takeover.answer().path("skipped").get(0).path("reason").asText()).isEqualTo("missing_manage_task");
        assertThat(takeover.answer().toString()).doesNotContain("EAA").doesNotContain("access_token");
        assertThat(string(pageOwner, analystPage)).isEqualTo(userId);
        assertThat(count("SELECT count(*) FROM gateway.outbox WHERE id > ? AND payload->>'source' = 'FACEBOOK'",
                outboxBefore)).as("no page/connected for the rival, no page/deleted for demo-shop's merchant").isZero();
    }
}
