package io.storefrontsync.gateway.shopify;

import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.crypto.TokenAad;
import io.storefrontsync.common.crypto.TokenCipher;
import io.storefrontsync.common.event.ChangeEvent;
import io.storefrontsync.common.event.EventKind;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.gateway.shopify.ShopifyConnections.InstallTokens;
import io.storefrontsync.gateway.user.Users;
import io.storefrontsync.gateway.webhook.Outbox;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

/**
 * Saves an install in one transaction: the user (created once, reused on reinstall), the encrypted tokens, the
 * install event. Two callbacks of one new shop at once (a double click, two tabs) both see no row and both create a
 * user; the later one's insert finds the row the other committed, so its transaction is rolled back (its user with it)
 * and run again as the reinstall it now is: one owner, and a 200 for each instead of a unique-violation 500.
 */
@ApplicationScoped
public class ShopifyConnectionService {

    private static final Logger LOG = Logger.getLogger(ShopifyConnectionService.class);

    private final Pool pool;
    private final Users users;
    private final ShopifyConnections connections;
    private final Outbox outbox;
    private final TokenCipher cipher;

    public ShopifyConnectionService(Pool pool, Users users, ShopifyConnections connections, Outbox outbox,
                                    TokenCipher cipher) {
        this.pool = pool;
        this.users = users;
        this.connections = connections;
        this.outbox = outbox;
        this.cipher = cipher;
    }

    /** How often an install that lost the race for a new shop's row is run again (once is enough: the row stays). */
    private static final int RACE_RETRIES = 2;

    public Uni<UserId> saveInstall(ShopDomain shop, AccessTokenResponse tokens) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        InstallTokens sealed = seal(shop, tokens, now);
        return pool.withTransaction(conn -> connections.find(conn, shop)
                .chain(existing -> existing.isPresent()
                        ? connections.reinstall(conn, shop, sealed, now).replaceWith(new UserId(existing.get().userId()))
                        : users.create(conn, now).call(user -> connections.insert(conn, shop, user.value(), sealed, now)
                                .invoke(inserted -> {
                                    if (!inserted) {
                                        throw new InstalledMeanwhile(shop);
                                    }
                                })))
                .call(user -> outbox.enqueue(conn, ChangeEvent.shopify("app-installed:" + UUID.randomUUID(),
                        EventKind.SHOP_INSTALLED.topic(), shop, user, null, null, Instant.now()))))
                .onFailure(InstalledMeanwhile.class).invoke(race -> LOG.infof("%s was installed by a concurrent "
                        + "callback; saving this one as a reinstall", shop))
                .onFailure(InstalledMeanwhile.class).retry().atMost(RACE_RETRIES)
                .invoke(user -> LOG.infof("%s installed for user %s", shop, user));
    }

    /** The owner of {@code shop} while it is installed and working; empty for an unknown, uninstalled or broken one. */
    public Uni<Optional<UserId>> activeOwner(ShopDomain shop) {
        return connections.find(pool, shop)
                .map(found -> found.filter(ShopifyConnection::isActive).map(c -> new UserId(c.userId())));
    }

    /** The shop's row appeared between this install's look and its insert: roll back, run again as a reinstall. */
    private static final class InstalledMeanwhile extends RuntimeException {
        InstalledMeanwhile(ShopDomain shop) {
            super(shop.value() + " was installed concurrently", null, false, false);
        }
    }

    private InstallTokens seal(ShopDomain shop, AccessTokenResponse tokens, OffsetDateTime now) {
        return new InstallTokens(
                cipher.encrypt(tokens.accessToken(), TokenAad.shopifyAccessToken(shop)),
                tokens.expiresIn() == null ? null : now.plusSeconds(tokens.expiresIn()),
                tokens.refreshToken() == null ? null : cipher.encrypt(tokens.refreshToken(), TokenAad.shopifyRefreshToken(shop)),
                tokens.refreshTokenExpiresIn() == null ? null : now.plusSeconds(tokens.refreshTokenExpiresIn()),
                tokens.scope() == null ? "" : tokens.scope());
    }
}
