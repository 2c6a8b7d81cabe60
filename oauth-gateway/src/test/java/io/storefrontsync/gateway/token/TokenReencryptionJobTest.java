package io.storefrontsync.gateway.token;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.storefrontsync.common.crypto.TokenAad;
import io.storefrontsync.common.crypto.TokenCipher;
import io.storefrontsync.common.validation.PageId;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.gateway.support.GatewayDb;
import io.storefrontsync.gateway.support.WorkerReceiver;
import io.storefrontsync.gateway.token.TokenReencryptionJob.Outcome;
import io.storefrontsync.gateway.token.TokenReencryptionJob.Run;
import io.storefrontsync.sandbox.testing.MetricsScrape;
import io.storefrontsync.sandbox.testing.SandboxWorldResource;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A key rotation as an operator runs it: the ring is {@code k2} (current) then {@code k1} (old), the
 * database holds tokens of every kind sealed under {@code k1}. After the job, every token opens with
 * {@code k2} alone, the gauge shows the move, and a token replaced while the job ran is kept.
 * Its own sandbox world: the gauge counts every row of the database.
 */
@QuarkusTest
@WithTestResource(value = SandboxWorldResource.class, initArgs = @ResourceArg(name = "set.TOKEN_ENCRYPTION_KEY",
        value = TokenReencryptionJobTest.NEW_KEY + "," + TokenReencryptionJobTest.OLD_KEY))
@WithTestResource(value = WorkerReceiver.class)
class TokenReencryptionJobTest {

    static final String NEW_KEY = "k2:f9a1fWKIKYGGXElTI8zpsTYUtCFZMvzMUQXblERaMzo=";
    static final String OLD_KEY = "k1:2iCijs2viPlnHa1xkW06xvkc8qXgf+Hky4QakJaAG7Q=";
    private static final TokenCipher OLD_RING = TokenCipher.fromKeyRing(OLD_KEY);
    private static final TokenCipher NEW_KEY_ALONE = TokenCipher.fromKeyRing(NEW_KEY);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** Metrics are on the management interface (a free port in tests). */
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.management.test-port")
    int managementPort;

    @Inject
    Pool pool;
    @Inject
    TokenReencryptionJob job;
    @Inject
    TokensByKeyGauge gauge;

    @Test
    void everyTokenShouldOpenWithTheNewKeyAloneAfterTheJobAndTheGaugeShouldShowTheMove() {
        GatewayDb db = new GatewayDb(pool);
        List<String> shops = new ArrayList<>();
        List<String> pages = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            shops.add(shopUnderOldKey(db, "access-" + i, "refresh-" + i));
            pages.add(pageUnderOldKey(db, "page-token-" + i));
        }
        String noRefreshToken = shopUnderOldKey(db, "access-only", null);
        // Damaged (a test placeholder): counted as not decryptable, left alone, and the walk goes past it.
        String damaged = shopUnderOldKey(db, "unused", "unused");
        db.query("UPDATE gateway.shopify_connections SET access_token_enc = 'v1.k1.placeholder' WHERE shop = $1", damaged);
        MetricsScrape before = scrapeWhen(s -> s.value("gateway_tokens_by_key", "kind", "shopify_access", "key_id", "k1") == 5
                && s.value("gateway_tokens_by_key", "kind", "facebook_page", "key_id", "k1") == 3);

        Run run = job.reencryptAll().await().atMost(TIMEOUT);

        assertThat(run).isEqualTo(new Run(4 + 4 + 3, 0, 1));
        for (int i = 0; i < 3; i++) {
            ShopDomain shop = new ShopDomain(shops.get(i));
            assertThat(NEW_KEY_ALONE.decrypt(column(db, "access_token_enc", shops.get(i)), TokenAad.shopifyAccessToken(shop)))
                    .isEqualTo("access-" + i);
            assertThat(NEW_KEY_ALONE.decrypt(column(db, "refresh_token_enc", shops.get(i)), TokenAad.shopifyRefreshToken(shop)))
                    .isEqualTo("refresh-" + i);
            assertThat(NEW_KEY_ALONE.decrypt(pageToken(db, pages.get(i)), TokenAad.facebookPageToken(new PageId(pages.get(i)))))
                    .isEqualTo("page-token-" + i);
        }
        assertThat(NEW_KEY_ALONE.decrypt(column(db, "access_token_enc", noRefreshToken),
                TokenAad.shopifyAccessToken(new ShopDomain(noRefreshToken)))).isEqualTo("access-only");
        assertThat(column(db, "refresh_token_enc", noRefreshToken)).isNull();
        assertThat(column(db, "access_token_enc", damaged)).isEqualTo("v1.k1.placeholder");

        MetricsScrape after = scrapeWhen(s -> s.value("gateway_tokens_by_key", "kind", "shopify_access", "key_id", "k1") == 1);
        assertThat(before.value("gateway_tokens_by_key", "kind", "shopify_access", "key_id", "k1")).isEqualTo(5);
        assertThat(before.value("gateway_tokens_by_key", "kind", "shopify_refresh", "key_id", "k1")).isEqualTo(4);
        assertThat(before.value("gateway_tokens_by_key", "kind", "facebook_page", "key_id", "k1")).isEqualTo(3);
        assertThat(after.value("gateway_tokens_by_key", "kind", "shopify_access", "key_id", "k1")).isEqualTo(1);
        assertThat(after.value("gateway_tokens_by_key", "kind", "shopify_refresh", "key_id", "k1")).isZero();
        assertThat(after.value("gateway_tokens_by_key", "kind", "facebook_page", "key_id", "k1")).isZero();
        // The other test of this class may have left tokens under k2 already.
        assertThat(delta(before, after, "gateway_tokens_by_key", "kind", "shopify_access", "key_id", "k2")).isEqualTo(4);
        assertThat(delta(before, after, "gateway_tokens_by_key", "kind", "shopify_refresh", "key_id", "k2")).isEqualTo(4);
        assertThat(delta(before, after, "gateway_tokens_by_key", "kind", "facebook_page", "key_id", "k2")).isEqualTo(3);
        assertThat(after.labelValues("gateway_tokens_by_key", "key_id")).containsExactlyInAnyOrder("k1", "k2");
        assertThat(delta(before, after, "gateway_token_reencryption_total", "outcome", "reencrypted")).isEqualTo(11);
        assertThat(delta(before, after, "gateway_token_reencryption_total", "kind", "shopify_access", "outcome", "failed"))
                .isEqualTo(1);

        // A second run finds nothing but the damaged token.
        assertThat(job.reencryptAll().await().atMost(TIMEOUT)).isEqualTo(new Run(0, 0, 1));
    }

    @Test
    void aTokenReplacedWhileTheJobRanShouldNotBeOverwritten() {
        GatewayDb db = new GatewayDb(pool);
        String shop = shopUnderOldKey(db, "access", "refresh-read-by-the-job");
        String readByTheJob = column(db, "refresh_token_enc", shop);
        // Meanwhile an instance still on the old ring refreshes the shop and stores the rotated refresh token.
        String rotated = OLD_RING.encrypt("refresh-rotated-meanwhile", TokenAad.shopifyRefreshToken(new ShopDomain(shop)));
        db.query("UPDATE gateway.shopify_connections SET refresh_token_enc = $2 WHERE shop = $1", shop, rotated);

        Outcome outcome = job.reencrypt(EncryptedColumn.SHOPIFY_REFRESH, shop, readByTheJob).await().atMost(TIMEOUT);

        assertThat(outcome).isEqualTo(Outcome.SUPERSEDED);
        assertThat(column(db, "refresh_token_enc", shop)).isEqualTo(rotated);
        // The next run moves the newer token, not the one it read before.
        job.reencryptAll().await().atMost(TIMEOUT);
        assertThat(NEW_KEY_ALONE.decrypt(column(db, "refresh_token_enc", shop),
                TokenAad.shopifyRefreshToken(new ShopDomain(shop)))).isEqualTo("refresh-rotated-meanwhile");
    }

    private static String shopUnderOldKey(GatewayDb db, String accessToken, String refreshToken) {
        String shop = GatewayDb.uniqueShop();
        ShopDomain domain = new ShopDomain(shop);
        UUID user = UUID.randomUUID();
        db.query("INSERT INTO gateway.users (id) VALUES ($1)", user);
        db.query("INSERT INTO gateway.shopify_connections (shop, user_id, access_token_enc, refresh_token_enc) "
                        + "VALUES ($1, $2, $3, $4)", shop, user,
                OLD_RING.encrypt(accessToken, TokenAad.shopifyAccessToken(domain)),
                refreshToken == null ? null : OLD_RING.encrypt(refreshToken, TokenAad.shopifyRefreshToken(domain)));
        return shop;
    }

    private static String pageUnderOldKey(GatewayDb db, String pageToken) {
        String page = GatewayDb.uniquePageId();
        UUID user = UUID.randomUUID();
        db.query("INSERT INTO gateway.users (id) VALUES ($1)", user);
        db.query("INSERT INTO gateway.facebook_pages (page_id, user_id, facebook_user_id, name, page_token_enc) "
                        + "VALUES ($1, $2, '1', 'Test page', $3)", page, user,
                OLD_RING.encrypt(pageToken, TokenAad.facebookPageToken(new PageId(page))));
        return page;
    }

    private static String column(GatewayDb db, String column, String shop) {
        return db.query("SELECT " + column + " FROM gateway.shopify_connections WHERE shop = $1", shop).get(0)
                .getString(column);
    }

    private static String pageToken(GatewayDb db, String page) {
        return db.query("SELECT page_token_enc FROM gateway.facebook_pages WHERE page_id = $1", page).get(0)
                .getString("page_token_enc");
    }

    private static double delta(MetricsScrape before, MetricsScrape after, String name, String... labels) {
        return after.value(name, labels) - before.value(name, labels);
    }

    /**
     * The gauge follows the table every {@code gateway.token-keys.count-every} (1 s here): a scrape right after a
     * write may still show the count before it, so wait (bounded) for the one the assertions are about.
     */
    private MetricsScrape scrapeWhen(java.util.function.Predicate<MetricsScrape> settled) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        MetricsScrape scrape = scrape();
        while (!settled.test(scrape) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            scrape = scrape();
        }
        return scrape;
    }

    private MetricsScrape scrape() {
        gauge.refresh().await().atMost(TIMEOUT);
        return MetricsScrape.parse(given().port(managementPort).when().get("/q/metrics").then().statusCode(200).extract().asString());
    }
}
