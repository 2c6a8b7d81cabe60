package io.storefrontsync.gateway.shopify;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.storefrontsync.common.crypto.TokenAad;
import io.storefrontsync.common.crypto.TokenCipher;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.gateway.support.GatewayDb;
import io.storefrontsync.gateway.support.WorkerReceiver;
import io.storefrontsync.sandbox.testing.SandboxWorldResource;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgBuilder;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The refresher at scale: 5,000 installed shops whose one-hour tokens all expire within the hour,
 * two refresher instances (this application's, on its scheduler, and a second one wired on its own
 * database pool and HTTP clients, as another gateway process would be) against one PostgreSQL, and a
 * Shopify token endpoint limited to {@value #TOKEN_CALLS_PER_SECOND} calls a second that retires a
 * refresh token once used. The refresh-ahead window covers the whole hour, so every shop is due at
 * once: the hour's work as one burst, the worst case, instead of an hour of waiting.
 */
@QuarkusTest
@TestProfile(TokenRefresherScaleTest.EveryShopDue.class)
@WithTestResource(value = SandboxWorldResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS,
        initArgs = @ResourceArg(name = "set.SIM_SHOPIFY_STRICT_REFRESH_ROTATION", value = "true"))
@WithTestResource(value = WorkerReceiver.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class TokenRefresherScaleTest {

    private static final int SHOPS = 5_000;
    private static final int TOKEN_CALLS_PER_SECOND = 60;
    private static final Duration FIRST_EXPIRY = Duration.ofSeconds(90);
    private static final Duration LAST_EXPIRY = Duration.ofMinutes(55);

    /**
     * Every seeded token (at most 55 minutes left) is due at once; a refreshed one (60 minutes) only
     * 4 minutes after its refresh, after this test. A pass a minute, as in production (the test
     * profile's 1 s would hide a refresher that does too little per pass).
     */
    public static class EveryShopDue implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.shopify.refresh-ahead", "56m", "gateway.shopify.refresh-every", "1m");
        }
    }

    @Inject
    Pool pool;
    @Inject
    Vertx vertx;
    @Inject
    TokenCipher cipher;
    @Inject
    ShopifyConfig shopifyConfig;

    @ConfigProperty(name = "SHOPIFY_SIMULATOR_URL")
    String simulator;
    @ConfigProperty(name = "quarkus.datasource.reactive.url")
    String databaseUrl;
    @ConfigProperty(name = "quarkus.datasource.username")
    String databaseUser;
    @ConfigProperty(name = "quarkus.datasource.password")
    String databasePassword;

    @Test
    void shouldRefreshEveryTokenBeforeItLapsesAndRedeemEachRefreshTokenOnceAcrossTwoInstances() throws Exception {
        GatewayDb db = new GatewayDb(pool);
        given().contentType("application/json").body(Map.of("perSecond", TOKEN_CALLS_PER_SECOND))
                .post(simulator + "/_sim/token-rate-limit").then().statusCode(200);
        List<Map<String, Object>> installed = given().contentType("application/json")
                .body(Map.of("prefix", "scale-", "count", SHOPS))
                .post(simulator + "/_sim/shops").then().statusCode(201).extract().jsonPath().getList("shops");
        OffsetDateTime seededAt = OffsetDateTime.now();
        Map<String, OffsetDateTime> expiries = seed(installed, seededAt);
        Map<String, String> seededRefreshTokens = new HashMap<>();
        installed.forEach(shop -> seededRefreshTokens.put((String) shop.get("shop"), (String) shop.get("refresh_token")));

        Pool secondPool = PgBuilder.pool().with(new PoolOptions().setMaxSize(10))
                .connectingTo(PgConnectOptions.fromUri(databaseUrl).setUser(databaseUser).setPassword(databasePassword))
                .using(vertx).build();
        TokenRefresher second = new TokenRefresher(secondPool, new ShopifyConnections(), new ShopifyAdminClients(shopifyConfig),
                shopifyConfig, cipher);
        // Its own scheduler: a pass, then the next one refresh-every later.
        CountDownLatch done = new CountDownLatch(1);
        Thread secondInstance = new Thread(() -> {
            try {
                do {
                    second.refreshExpiring().await().atMost(Duration.ofMinutes(5));
                } while (!done.await(shopifyConfig.refreshEvery().toMillis(), TimeUnit.MILLISECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "second-refresher");
        long start = System.nanoTime();
        secondInstance.start();
        try {
            // The rate limit alone takes 5,000 / 60 = 83 s; the cap leaves room for a loaded machine.
            long deadline = start + Duration.ofMinutes(5).toNanos();
            // A refreshed token expires an hour after its refresh, later than any seeded one.
            while (db.count("SELECT count(*) FROM gateway.shopify_connections WHERE shop LIKE 'scale-%' "
                    + "AND access_token_expires_at > $1", seededAt.plusMinutes(57)) < SHOPS) {
                assertThat(db.count("SELECT count(*) FROM gateway.shopify_connections WHERE status <> 'active'"))
                        .as("connections marked needs_reinstall").isZero();
                assertThat(db.count("SELECT count(*) FROM gateway.shopify_connections WHERE shop LIKE 'scale-%' "
                        + "AND access_token_expires_at < now()")).as("tokens that lapsed before their refresh").isZero();
                assertThat(System.nanoTime()).as("every shop refreshed within 5 minutes").isLessThan(deadline);
                sleep(Duration.ofMillis(500));
            }
        } finally {
            done.countDown();
            secondInstance.join(Duration.ofMinutes(3).toMillis());
            secondPool.closeAndAwait();
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        var redemptions = given().get(simulator + "/_sim/token-redemptions").then().statusCode(200).extract().jsonPath();
        Map<String, Integer> redeemed = redemptions.getMap("redemptions", String.class, Integer.class);
        System.out.printf("refreshed %d shops in %.1f s (%.0f/s) with two instances; %d token calls answered 429%n",
                SHOPS, seconds, SHOPS / seconds, redemptions.getLong("rateLimited"));
        assertThat(redemptions.getLong("refused")).as("refresh tokens refused (redeemed twice)").isZero();
        assertThat(redemptions.getLong("rateLimited")).as("token calls refused by the rate limit").isPositive();
        assertThat(seededRefreshTokens.values()).allSatisfy(token -> assertThat(redeemed.get(token)).isEqualTo(1));

        for (Row row : db.query("SELECT shop, status, access_token_expires_at, refresh_token_enc "
                + "FROM gateway.shopify_connections WHERE shop LIKE 'scale-%'")) {
            String shop = row.getString("shop");
            assertThat(row.getString("status")).isEqualTo("active");
            // A refresh stores now + expires_in (3600 s): it happened an hour before the new expiry.
            OffsetDateTime refreshedAt = row.getOffsetDateTime("access_token_expires_at").minusSeconds(3600);
            assertThat(refreshedAt).as("refresh of %s before its token lapsed", shop).isBefore(expiries.get(shop));
            String stored = cipher.decrypt(row.getString("refresh_token_enc"), TokenAad.shopifyRefreshToken(new ShopDomain(shop)));
            assertThat(stored).isNotEqualTo(seededRefreshTokens.get(shop));
            assertThat(redeemed).doesNotContainKey(stored);
        }
    }

    /** Stores each shop as an install would (encrypted tokens), its token expiring within the hour. */
    private Map<String, OffsetDateTime> seed(List<Map<String, Object>> installed, OffsetDateTime now) {
        long spreadMillis = LAST_EXPIRY.minus(FIRST_EXPIRY).toMillis();
        Map<String, OffsetDateTime> expiries = new HashMap<>();
        List<Tuple> users = new ArrayList<>();
        List<Tuple> connections = new ArrayList<>();
        for (int i = 0; i < installed.size(); i++) {
            Map<String, Object> shop = installed.get(i);
            ShopDomain domain = new ShopDomain((String) shop.get("shop"));
            OffsetDateTime expiry = now.plus(FIRST_EXPIRY).plusNanos(spreadMillis * 1_000_000L / installed.size() * i);
            expiries.put(domain.value(), expiry);
            UUID user = UUID.randomUUID();
            users.add(Tuple.of(user));
            connections.add(Tuple.tuple().addString(domain.value()).addUUID(user)
                    .addString(cipher.encrypt((String) shop.get("access_token"), TokenAad.shopifyAccessToken(domain)))
                    .addOffsetDateTime(expiry)
                    .addString(cipher.encrypt((String) shop.get("refresh_token"), TokenAad.shopifyRefreshToken(domain)))
                    .addOffsetDateTime(now.plusDays(90)));
        }
        pool.preparedQuery("INSERT INTO gateway.users (id) VALUES ($1)").executeBatch(users)
                .await().atMost(Duration.ofSeconds(60));
        pool.preparedQuery("""
                        INSERT INTO gateway.shopify_connections
                            (shop, user_id, access_token_enc, access_token_expires_at, refresh_token_enc,
                             refresh_token_expires_at, scopes)
                        VALUES ($1, $2, $3, $4, $5, $6, 'read_products')""")
                .executeBatch(connections).await().atMost(Duration.ofSeconds(60));
        return expiries;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
