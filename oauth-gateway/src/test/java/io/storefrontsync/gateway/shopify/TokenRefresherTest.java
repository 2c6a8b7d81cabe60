package io.storefrontsync.gateway.shopify;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.storefrontsync.common.crypto.TokenAad;
import io.storefrontsync.common.crypto.TokenCipher;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.gateway.support.GatewayDb;
import io.storefrontsync.gateway.support.ShopifyInstall;
import io.storefrontsync.gateway.support.WorkerReceiver;
import io.storefrontsync.sandbox.DemoShop;
import io.storefrontsync.sandbox.testing.SandboxWorldResource;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@WithTestResource(value = SandboxWorldResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = WorkerReceiver.class, scope = TestResourceScope.MATCHING_RESOURCES)
class TokenRefresherTest {

    private static final ShopDomain SHOP = new ShopDomain(DemoShop.DOMAIN);

    @Inject
    Pool pool;

    @Inject
    TokenCipher cipher;

    @Test
    void shouldRefreshATokenAboutToExpireAndStoreTheRotatedRefreshToken() {
        GatewayDb db = new GatewayDb(pool);
        ShopifyInstall.demoShop();
        String oldRefresh = refreshToken(db);
        db.query("UPDATE gateway.shopify_connections SET access_token_expires_at = now() + interval '1 minute' WHERE shop = $1",
                SHOP.value());

        await(() -> db.count("SELECT count(*) FROM gateway.shopify_connections WHERE shop = $1 "
                + "AND access_token_expires_at > now() + interval '30 minutes'", SHOP.value()) == 1);

        assertThat(refreshToken(db)).isNotEqualTo(oldRefresh);
        assertThat(db.query("SELECT status FROM gateway.shopify_connections WHERE shop = $1", SHOP.value()).get(0)
                .getString("status")).isEqualTo("active");
    }

    @Test
    void shouldMarkTheConnectionNeedsReinstallWhenTheRefreshTokenIsRejected() {
        GatewayDb db = new GatewayDb(pool);
        ShopifyInstall.demoShop();
        db.query("UPDATE gateway.shopify_connections SET access_token_expires_at = now() + interval '1 minute', "
                        + "refresh_token_enc = $2 WHERE shop = $1", SHOP.value(),
                cipher.encrypt("not-a-refresh-token-" + UUID.randomUUID(), TokenAad.shopifyRefreshToken(SHOP)));

        await(() -> db.count("SELECT count(*) FROM gateway.shopify_connections WHERE shop = $1 AND status = 'needs_reinstall'",
                SHOP.value()) == 1);
    }

    private String refreshToken(GatewayDb db) {
        Row row = db.query("SELECT refresh_token_enc FROM gateway.shopify_connections WHERE shop = $1", SHOP.value()).get(0);
        return cipher.decrypt(row.getString("refresh_token_enc"), TokenAad.shopifyRefreshToken(SHOP));
    }

    private static void await(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 30 s").isLessThan(deadline);
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
