package io.storefrontsync.gateway.shopify;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.crypto.TokenAad;
import io.storefrontsync.common.crypto.TokenCipher;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.gateway.shopify.ShopifyConnections.ClaimedRefresh;
import io.storefrontsync.gateway.shopify.ShopifyConnections.RefreshedTokens;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Refreshes expiring offline access tokens before they lapse ({@code grant_type=refresh_token}),
 * storing the rotated refresh token. Logs name the shop, never a token.
 *
 * <p>Scale: each pass runs {@code refresh-concurrency} lanes that claim one due row at a time until
 * none is left, so every instance keeps that many refreshes in flight however many shops are due
 * (5,000 shops on one-hour tokens are 1.4 refreshes a second).
 *
 * <p>Exactly once: a refresh token rotates, so two instances must never both send it. A claim
 * leases its one row for the refresh's whole worst case (the retry budget, then one more request
 * timeout, plus a margin); no request is sent after the budget, so the lease outlives every request
 * of this claim. The answer is stored, and the shop marked {@code needs_reinstall}, only if the row
 * still holds the refresh token that was sent (compare-and-set): a reinstall or another instance
 * that got there first is never overwritten.
 *
 * <p>Only Shopify refusing the grant itself ({@code 400 invalid_grant}) means the merchant must
 * reinstall. 429 (after its {@code Retry-After}), 5xx, timeouts and connection errors are retried
 * with backoff within the budget; after that, or on any other refusal, the row stays due and a later
 * pass tries again once its lease has run out.
 */
@ApplicationScoped
public class TokenRefresher {

    private static final Logger LOG = Logger.getLogger(TokenRefresher.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Covers the claim's round trip, pauses of this JVM and Shopify answering a request sent at the last moment. */
    private static final Duration LEASE_MARGIN = Duration.ofSeconds(30);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    enum Outcome { REFRESHED, NEEDS_REINSTALL, SUPERSEDED, DEFERRED, NONE_DUE }

    private final Pool pool;
    private final ShopifyConnections connections;
    private final ShopifyAdminClients clients;
    private final ShopifyConfig config;
    private final TokenCipher cipher;

    public TokenRefresher(Pool pool, ShopifyConnections connections, ShopifyAdminClients clients, ShopifyConfig config,
                          TokenCipher cipher) {
        this.pool = pool;
        this.connections = connections;
        this.clients = clients;
        this.config = config;
        this.cipher = cipher;
    }

    @Scheduled(every = "{gateway.shopify.refresh-every}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refreshExpiring() {
        List<Uni<Map<Outcome, Integer>>> lanes = IntStream.range(0, Math.max(1, config.refreshConcurrency()))
                .mapToObj(lane -> lane()).toList();
        return Uni.join().all(lanes).andCollectFailures()
                .invoke(TokenRefresher::logPass)
                .onFailure().invoke(failure -> LOG.warnf("token refresh pass stopped: %s", failure.getMessage()))
                .replaceWithVoid();
    }

    /** Claims and refreshes one row after the other until none is due. */
    private Uni<Map<Outcome, Integer>> lane() {
        return Multi.createBy().repeating().uni(this::claimAndRefresh)
                .until(outcome -> outcome == Outcome.NONE_DUE)
                .collect().in(() -> new EnumMap<>(Outcome.class), (counts, outcome) -> counts.merge(outcome, 1, Integer::sum));
    }

    private Uni<Outcome> claimAndRefresh() {
        Duration lease = config.refreshRetryBudget().plus(config.requestTimeout()).plus(LEASE_MARGIN);
        return connections.claimDueRefresh(pool, config.refreshAhead(), lease)
                .chain(claimed -> claimed.isEmpty() ? Uni.createFrom().item(Outcome.NONE_DUE) : refresh(claimed.get()));
    }

    private Uni<Outcome> refresh(ClaimedRefresh claimed) {
        ShopDomain shop = new ShopDomain(claimed.shop());
        String sentEnc = claimed.refreshTokenEnc();
        // The budget starts after the claim returned, so it ends before the lease the database set.
        long deadline = System.nanoTime() + config.refreshRetryBudget().toNanos();
        return Uni.createFrom().item(() -> cipher.decrypt(sentEnc, TokenAad.shopifyRefreshToken(shop)))
                .chain(refreshToken -> redeem(shop, refreshToken, deadline))
                .chain(tokens -> store(shop, sentEnc, tokens))
                .onFailure().recoverWithUni(failure -> failed(shop, sentEnc, failure));
    }

    /** One refresh request, retried on 429/5xx/timeouts/connection errors; none is sent after the deadline. */
    private Uni<AccessTokenResponse> redeem(ShopDomain shop, String refreshToken, long deadline) {
        ShopifyAdminApi admin = clients.forShop(shop);
        return Uni.createFrom().deferred(() -> System.nanoTime() < deadline
                        ? admin.refresh(config.apiKey(), config.apiSecret(), "refresh_token", refreshToken)
                                .ifNoItem().after(config.requestTimeout()).fail()
                        : Uni.createFrom().failure(new RetryBudgetSpent()))
                .onFailure(TokenRefresher::retryable).call(failure -> waitRetryAfter(failure, deadline))
                .onFailure(TokenRefresher::retryable).retry()
                .withBackOff(FIRST_BACKOFF, MAX_BACKOFF).withJitter(0.5).indefinitely();
    }

    private Uni<Outcome> store(ShopDomain shop, String sentEnc, AccessTokenResponse tokens) {
        if (tokens == null || tokens.accessToken() == null) {
            return Uni.createFrom().failure(new IllegalStateException("no access token in the refresh answer"));
        }
        RefreshedTokens sealed = new RefreshedTokens(
                cipher.encrypt(tokens.accessToken(), TokenAad.shopifyAccessToken(shop)),
                tokens.expiresIn() == null ? 3600.0 : tokens.expiresIn().doubleValue(),
                tokens.refreshToken() == null ? null : cipher.encrypt(tokens.refreshToken(), TokenAad.shopifyRefreshToken(shop)),
                tokens.refreshTokenExpiresIn() == null ? null : tokens.refreshTokenExpiresIn().doubleValue());
        return connections.storeRefreshed(pool, shop.value(), sentEnc, sealed)
                .map(stored -> {
                    if (!stored) {
                        LOG.warnf("the connection of %s changed while its token was refreshed (reinstalled, uninstalled"
                                + " or refreshed elsewhere): the refreshed tokens are dropped", shop);
                        return Outcome.SUPERSEDED;
                    }
                    LOG.debugf("refreshed the access token of %s", shop);
                    return Outcome.REFRESHED;
                });
    }

    private Uni<Outcome> failed(ShopDomain shop, String sentEnc, Throwable failure) {
        if (grantRefused(failure)) {
            LOG.warnf("Shopify refused the refresh token of %s (invalid_grant): the shop must reinstall the app", shop);
            return connections.markNeedsReinstall(pool, shop.value(), sentEnc)
                    .map(marked -> marked ? Outcome.NEEDS_REINSTALL : Outcome.SUPERSEDED);
        }
        if (failure instanceof WebApplicationException wae && !retryable(wae)) {
            // Another refusal (invalid_client, 401, 403, ...) is about the app, not this shop's grant.
            LOG.errorf("Shopify refused to refresh the token of %s (HTTP %d, %s); will try again", shop,
                    wae.getResponse().getStatus(), errorCode(wae));
        } else {
            // The lease runs out and a later pass tries again (Shopify keeps the token until its replacement is used).
            LOG.warnf("token refresh for %s failed, will retry: %s", shop,
                    failure instanceof RetryBudgetSpent ? "failed for the whole retry budget" : failure.getClass().getSimpleName());
        }
        return Uni.createFrom().item(Outcome.DEFERRED);
    }

    /** Honours a 429's {@code Retry-After} (seconds, Shopify sends "2.0"), but never past the budget. */
    private static Uni<Void> waitRetryAfter(Throwable failure, long deadline) {
        if (!(failure instanceof WebApplicationException wae) || wae.getResponse().getStatus() != 429) {
            return Uni.createFrom().voidItem();
        }
        long waitNanos;
        try {
            String header = wae.getResponse().getHeaderString("Retry-After");
            waitNanos = header == null ? 0 : (long) (Double.parseDouble(header.trim()) * 1_000_000_000L);
        } catch (NumberFormatException e) {
            waitNanos = 0; // an HTTP date or garbage: the exponential backoff alone
        }
        long pause = Math.min(waitNanos, deadline - System.nanoTime());
        return pause <= 0 ? Uni.createFrom().voidItem()
                : Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofNanos(pause));
    }

    static boolean retryable(Throwable failure) {
        if (failure instanceof WebApplicationException wae) {
            int status = wae.getResponse().getStatus();
            return status == 429 || status >= 500;
        }
        // Timeouts, refused or reset connections; not our own give-up.
        return !(failure instanceof RetryBudgetSpent);
    }

    /** Shopify's refusal of the grant itself: 400 {@code {"error":"invalid_grant"}} (RFC 6749 §5.2). */
    static boolean grantRefused(Throwable failure) {
        return failure instanceof WebApplicationException wae && wae.getResponse().getStatus() == 400
                && "invalid_grant".equals(errorCode(wae));
    }

    /** The OAuth {@code error} code of a refusal (never a token), or "unknown". */
    private static String errorCode(WebApplicationException wae) {
        try {
            String body = wae.getResponse().readEntity(String.class);
            String code = body == null ? "" : JSON.readTree(body).path("error").asText("");
            return code.matches("[a-z_]{1,64}") ? code : "unknown";
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static void logPass(List<Map<Outcome, Integer>> lanes) {
        Map<Outcome, Integer> total = new EnumMap<>(Outcome.class);
        lanes.forEach(lane -> lane.forEach((outcome, n) -> total.merge(outcome, n, Integer::sum)));
        total.remove(Outcome.NONE_DUE);
        if (!total.isEmpty()) {
            LOG.infof("token refresh pass: %s", total);
        }
    }

    /** No request is sent once the retry budget is spent: the lease was sized for it. */
    static final class RetryBudgetSpent extends RuntimeException {
        RetryBudgetSpent() {
            super("retry budget spent", null, false, false);
        }
    }
}
