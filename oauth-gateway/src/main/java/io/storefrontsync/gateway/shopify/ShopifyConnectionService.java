package io.storefrontsync.gateway.shopify;

import io.storefrontsync.common.event.EventKind;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.crypto.TokenAad;
import io.storefrontsync.common.crypto.TokenCipher;
import io.storefrontsync.common.event.ChangeEvent;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.gateway.user.AppUser;
import io.storefrontsync.gateway.webhook.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/** Saves an install: the user (created once, reused on reinstall), the encrypted tokens, the install event. */
@ApplicationScoped
public class ShopifyConnectionService {

    private static final Logger LOG = Logger.getLogger(ShopifyConnectionService.class);

    private final TokenCipher cipher;
    private final Outbox outbox;

    public ShopifyConnectionService(TokenCipher cipher, Outbox outbox) {
        this.cipher = cipher;
        this.outbox = outbox;
    }

    @WithTransaction
    public Uni<UserId> saveInstall(ShopDomain shop, AccessTokenResponse tokens) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return ShopifyConnection.<ShopifyConnection>findById(shop.value())
                .chain(existing -> existing != null ? Uni.createFrom().item(existing) : newConnection(shop, now))
                .invoke(connection -> storeTokens(connection, shop, tokens, now))
                .chain(connection -> {
                    UserId user = new UserId(connection.userId);
                    LOG.infof("%s installed for user %s", shop, user);
                    return outbox.enqueue(ChangeEvent.shopify("app-installed:" + UUID.randomUUID(), EventKind.SHOP_INSTALLED.topic(),
                            shop, user, null, null, Instant.now())).replaceWith(user);
                });
    }

    private Uni<ShopifyConnection> newConnection(ShopDomain shop, OffsetDateTime now) {
        AppUser user = AppUser.create(now);
        ShopifyConnection connection = new ShopifyConnection();
        connection.shop = shop.value();
        connection.userId = user.id;
        connection.installedAt = now;
        connection.updatedAt = now;
        return user.persist().chain(() -> connection.persist()).replaceWith(connection);
    }

    private void storeTokens(ShopifyConnection connection, ShopDomain shop, AccessTokenResponse tokens, OffsetDateTime now) {
        connection.accessTokenEnc = cipher.encrypt(tokens.accessToken(), TokenAad.shopifyAccessToken(shop));
        connection.accessTokenExpiresAt = tokens.expiresIn() == null ? null : now.plusSeconds(tokens.expiresIn());
        connection.refreshTokenEnc = tokens.refreshToken() == null ? null
                : cipher.encrypt(tokens.refreshToken(), TokenAad.shopifyRefreshToken(shop));
        connection.refreshTokenExpiresAt = tokens.refreshTokenExpiresIn() == null ? null
                : now.plusSeconds(tokens.refreshTokenExpiresIn());
        connection.scopes = tokens.scope() == null ? "" : tokens.scope();
        connection.status = ShopifyConnection.ACTIVE;
        connection.updatedAt = now;
    }
}
