package io.storefrontsync.gateway.shopify;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.signature.Hmac;
import io.storefrontsync.common.signature.ShopifyOAuthQueryVerifier;
import io.storefrontsync.common.validation.InvalidInputException;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.gateway.error.ApiException;
import io.storefrontsync.gateway.oauth.OAuthStateService;
import io.storefrontsync.gateway.session.SessionCookies;
import io.storefrontsync.gateway.webhook.OutboxPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.UriBuilder;
import org.jboss.logging.Logger;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The Shopify install (authorization-code grant with an expiring offline token). Checks in this
 * order, and nothing leaves the gateway before all of them pass: query HMAC and timestamp, shop
 * domain, state cookie signature and expiry, state signature and expiry for this shop, cookie nonce = state
 * nonce, nonce not used before (recorded atomically). Then the code exchange, storage, webhooks, event.
 */
@ApplicationScoped
public class ShopifyInstallService {

    private static final Logger LOG = Logger.getLogger(ShopifyInstallService.class);

    public record LoginRedirect(URI location, NewCookie stateCookie) {
    }

    public record InstallAnswer(@JsonProperty("user_uuid") String userUuid,
                                @JsonProperty("webhook_result") StepResult webhookResult,
                                @JsonProperty("sync_result") StepResult syncResult) {
    }

    public record InstallResult(InstallAnswer answer, NewCookie session, ShopDomain shop) {
    }

    private record Installed(UserId user, String accessToken) {
    }

    private final ShopifyConfig config;
    private final ShopifyAdminClients clients;
    private final OAuthStateService states;
    private final SessionCookies cookies;
    private final ShopifyConnectionService connections;
    private final WebhookRegistrar webhooks;
    private final OutboxPublisher publisher;

    public ShopifyInstallService(ShopifyConfig config, ShopifyAdminClients clients, OAuthStateService states,
                                 SessionCookies cookies, ShopifyConnectionService connections, WebhookRegistrar webhooks,
                                 OutboxPublisher publisher) {
        this.config = config;
        this.clients = clients;
        this.states = states;
        this.cookies = cookies;
        this.connections = connections;
        this.webhooks = webhooks;
        this.publisher = publisher;
    }

    /** Writes nothing: the state is signed ({@link OAuthStateService#issueForShop}), so anonymous hits cost no row. */
    public Uni<LoginRedirect> begin(ShopDomain shop) {
        OAuthStateService.ShopState state = states.issueForShop(shop, cookies.stateTtl());
        return Uni.createFrom().item(new LoginRedirect(
                UriBuilder.fromUri(clients.adminBase(shop)).path("/admin/oauth/authorize")
                        .queryParam("client_id", config.apiKey())
                        .queryParam("scope", config.scopes())
                        .queryParam("redirect_uri", config.redirectUri())
                        .queryParam("state", state.value())
                        .build(),
                cookies.state(state.nonce(), state.expiresAt())));
    }

    public Uni<InstallResult> complete(String rawQuery, String stateCookie) {
        return Uni.createFrom().item(() -> checkCallback(rawQuery, stateCookie))
                .chain(callback -> states.consumeForShop(callback.nonce(), callback.shop(), cookies.stateTtl())
                        .invoke(consumed -> {
                            if (!consumed) {
                                throw new ApiException(403, "invalid_state", "state was already used");
                            }
                        })
                        .chain(() -> exchangeCode(callback.shop(), callback.code()))
                        .chain(tokens -> connections.saveInstall(callback.shop(), tokens)
                                .map(user -> new Installed(user, tokens.accessToken())))
                        .invoke(publisher::trigger)
                        .chain(installed -> webhooks.register(callback.shop(), installed.accessToken())
                                .map(webhookResult -> new InstallResult(
                                        new InstallAnswer(installed.user().toString(), webhookResult, StepResult.success()),
                                        cookies.session(installed.user()), callback.shop()))));
    }

    /** The App URL opened from the Shopify admin: the shop, and its owner when it is installed and working. */
    public record AppOpen(ShopDomain shop, java.util.Optional<UserId> owner) {
    }

    /**
     * {@code GET /shopify?shop=&hmac=&host=&timestamp=}: Shopify signs the App URL like the OAuth callback, with
     * the same ±90 s timestamp tolerance, so only a link Shopify just made for this shop opens its status.
     */
    public Uni<AppOpen> open(String rawQuery) {
        return Uni.createFrom().item(() -> {
            Map<String, List<String>> params = ShopifyOAuthQueryVerifier.parseQuery(rawQuery);
            ShopifyOAuthQueryVerifier.verify(params, config.apiSecret()); // 401 with the reason, stale included
            try {
                return new ShopDomain(single(params, "shop"));
            } catch (InvalidInputException e) {
                throw new ApiException(400, "invalid_shop", e.getMessage());
            }
        }).chain(shop -> connections.activeOwner(shop).map(owner -> new AppOpen(shop, owner)));
    }

    /** The session cookie of an App URL opened for an installed shop (the Facebook Login link needs it). */
    public NewCookie session(UserId user) {
        return cookies.session(user);
    }

    private record Callback(ShopDomain shop, String code, String nonce) {
    }

    private Callback checkCallback(String rawQuery, String stateCookie) {
        Map<String, List<String>> params = ShopifyOAuthQueryVerifier.parseQuery(rawQuery);
        ShopifyOAuthQueryVerifier.verify(params, config.apiSecret()); // 401 with the reason
        ShopDomain shop;
        try {
            shop = new ShopDomain(single(params, "shop")); // the full *.myshopify.com domain only
        } catch (InvalidInputException e) {
            throw new ApiException(400, "invalid_shop", e.getMessage());
        }
        String code = single(params, "code");
        if (code == null || code.isBlank()) {
            throw new ApiException(400, "missing_code", "code is missing");
        }
        String state = single(params, "state");
        if (state == null || state.isBlank()) {
            throw new ApiException(403, "invalid_state", "state is missing");
        }
        String nonce = cookies.readState(stateCookie).orElseThrow(() -> new ApiException(403, "invalid_state",
                "state cookie is missing, expired or not ours: start again from /shopify/{shop}/login in this browser"));
        String stateNonce = states.verifyForShop(state, shop).orElseThrow(() -> new ApiException(403, "invalid_state",
                "state has expired, was issued for another shop, or is not ours"));
        if (!Hmac.constantTimeEquals(nonce.getBytes(StandardCharsets.UTF_8), stateNonce.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(403, "invalid_state", "state does not belong to this browser");
        }
        return new Callback(shop, code, nonce);
    }

    private Uni<AccessTokenResponse> exchangeCode(ShopDomain shop, String code) {
        return clients.forShop(shop)
                .exchangeCode(config.apiKey(), config.apiSecret(), code, "1")
                .invoke(tokens -> {
                    if (tokens == null || tokens.accessToken() == null || tokens.accessToken().isBlank()) {
                        throw new ApiException(502, "code_exchange_failed", "Shopify answered without an access token");
                    }
                })
                .onFailure(e -> !(e instanceof ApiException)).transform(failure -> {
                    LOG.warnf("code exchange for %s failed: %s", shop, failure.getClass().getSimpleName());
                    if (failure instanceof WebApplicationException wae && wae.getResponse().getStatus() < 500) {
                        return new ApiException(400, "code_exchange_failed",
                                "Shopify refused the authorization code (HTTP " + wae.getResponse().getStatus() + ")");
                    }
                    return new ApiException(502, "code_exchange_failed", "Shopify could not be reached for the code exchange");
                });
    }

    private static String single(Map<String, List<String>> params, String key) {
        List<String> values = params.get(key);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new ApiException(400, "invalid_query", key + " is repeated");
        }
        return values.get(0);
    }
}
