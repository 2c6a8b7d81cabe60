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
 * install event.
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

    public Uni<UserId> saveInstall(ShopDomain shop, AccessTokenResponse tokens) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        InstallTokens sealed = seal(shop, tokens, now);
        return pool.withTransaction(conn -> connections.find(conn, shop)
                .chain(existing -> existing.isPresent()
                        ? connections.reinstall(conn, shop, sealed, now).replaceWith(new UserId(existing.get().userId()))
                        : users.create(conn, now).call(user -> connections.insert(conn, shop, user.value(), sealed, now)))
                .call(user -> outbox.enqueue(conn, ChangeEvent.shopify("app-installed:" + UUID.randomUUID(),
                        EventKind.SHOP_INSTALLED.topic(), shop, user, null, null, Instant.now()))))
                .invoke(user -> LOG.infof("%s installed for user %s", shop, user));
    }

    /** The owner of {@code shop} while it is installed and working; empty for an unknown, uninstalled or broken one. */
    public Uni<Optional<UserId>> activeOwner(ShopDomain shop) {
        return connections.find(pool, shop)
                .map(found -> found.filter(ShopifyConnection::isActive).map(c -> new UserId(c.userId())));
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
