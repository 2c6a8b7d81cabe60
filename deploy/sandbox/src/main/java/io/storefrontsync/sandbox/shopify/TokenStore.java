package io.storefrontsync.sandbox.shopify;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Authorization codes, access tokens and refresh tokens of all shops.
 *
 * <p>Refresh tokens rotate as Shopify's do since 2026-08-28 ("More resilient refreshes for expiring
 * offline access tokens"): each refresh returns a new pair, the refresh token just used stays
 * usable (so a lost response can be retried) until its replacement is used, for at most 30 days;
 * with {@code strictRefreshRotation} it is retired at once instead. Refresh tokens live 90 days.
 */
final class TokenStore {

    static final Duration CODE_LIFETIME = Duration.ofMinutes(5);
    static final Duration REFRESH_LIFETIME = Duration.ofDays(90);
    static final Duration RETRY_WINDOW = Duration.ofDays(30);

    record Grant(String shop, String scope, Instant expiresAt) {
    }

    record AccessToken(String shop, String scope, Instant expiresAt) {
        boolean validAt(Instant now) {
            return expiresAt == null || now.isBefore(expiresAt);
        }
    }

    private static final class RefreshToken {
        final String shop;
        final String scope;
        final Instant expiresAt;
        final String predecessor;
        Instant firstUsedAt;

        RefreshToken(String shop, String scope, Instant expiresAt, String predecessor) {
            this.shop = shop;
            this.scope = scope;
            this.expiresAt = expiresAt;
            this.predecessor = predecessor;
        }
    }

    /** What the token endpoint answers: the Shopify JSON fields, nulls omitted by the caller. */
    record Issued(String accessToken, String scope, Long expiresIn, String refreshToken, Long refreshTokenExpiresIn) {
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Grant> codes = new HashMap<>();
    private final Map<String, AccessToken> accessTokens = new HashMap<>();
    private final Map<String, RefreshToken> refreshTokens = new HashMap<>();
    /** Every token ever handed out, kept so tests can search logs, responses and objects for leaks. */
    private final java.util.Set<String> everIssued = new java.util.LinkedHashSet<>();
    /**
     * How often each refresh token was presented, answered or refused: a rotating token redeemed
     * twice means two app instances (or a retry) spent it twice, which tests must be able to see.
     */
    private final Map<String, Integer> redemptions = new HashMap<>();
    private long refusedRedemptions;
    private final Duration accessLifetime;
    private final boolean strictRotation;

    TokenStore(Duration accessLifetime, boolean strictRotation) {
        this.accessLifetime = accessLifetime;
        this.strictRotation = strictRotation;
    }

    synchronized String newCode(String shop, String scope, Instant now) {
        String code = randomHex(16);
        codes.put(code, new Grant(shop, scope, now.plus(CODE_LIFETIME)));
        return code;
    }

    /** The grant behind a code, consumed whether or not it is still valid (codes are single use). */
    synchronized Grant redeemCode(String code, String shop, Instant now) {
        Grant grant = code == null ? null : codes.remove(code);
        if (grant == null || !grant.shop().equals(shop) || !now.isBefore(grant.expiresAt())) {
            return null;
        }
        return grant;
    }

    synchronized Issued issue(String shop, String scope, boolean expiring, Instant now, String predecessor) {
        String access = "shpat_" + randomHex(16);
        everIssued.add(access);
        if (!expiring) {
            accessTokens.put(access, new AccessToken(shop, scope, null));
            return new Issued(access, scope, null, null, null);
        }
        accessTokens.put(access, new AccessToken(shop, scope, now.plus(accessLifetime)));
        String refresh = "shprt_" + randomHex(16);
        everIssued.add(refresh);
        refreshTokens.put(refresh, new RefreshToken(shop, scope, now.plus(REFRESH_LIFETIME), predecessor));
        return new Issued(access, scope, accessLifetime.toSeconds(), refresh, REFRESH_LIFETIME.toSeconds());
    }

    /** A new pair for a valid refresh token of this shop, or null. */
    synchronized Issued refresh(String refreshToken, String shop, Instant now) {
        if (refreshToken != null) {
            redemptions.merge(refreshToken, 1, Integer::sum);
        }
        RefreshToken token = refreshToken == null ? null : refreshTokens.get(refreshToken);
        if (token == null || !token.shop.equals(shop) || !now.isBefore(token.expiresAt)) {
            refusedRedemptions++;
            return null;
        }
        if (token.firstUsedAt == null) {
            token.firstUsedAt = now;
        } else if (!now.isBefore(token.firstUsedAt.plus(RETRY_WINDOW))) {
            refreshTokens.remove(refreshToken);
            refusedRedemptions++;
            return null;
        }
        if (token.predecessor != null) {
            refreshTokens.remove(token.predecessor); // the app has moved on to this token
        }
        if (strictRotation) {
            refreshTokens.remove(refreshToken);
        }
        return issue(shop, token.scope, true, now, refreshToken);
    }

    synchronized AccessToken validAccessToken(String token, String shop, Instant now) {
        AccessToken access = token == null ? null : accessTokens.get(token);
        if (access == null || !access.shop().equals(shop) || !access.validAt(now)) {
            return null;
        }
        return access;
    }

    /** The access token lapses at {@code now}, as an expiring token does at the end of its life. */
    synchronized void expire(String token, Instant now) {
        accessTokens.computeIfPresent(token, (key, access) -> new AccessToken(access.shop(), access.scope(), now));
    }

    /** app/uninstalled: every token of the shop stops working. */
    synchronized void revokeShop(String shop) {
        accessTokens.values().removeIf(t -> t.shop().equals(shop));
        refreshTokens.values().removeIf(t -> t.shop.equals(shop));
        codes.values().removeIf(g -> g.shop().equals(shop));
    }

    synchronized java.util.List<String> everIssued() {
        return java.util.List.copyOf(everIssued);
    }

    /** Refresh token → how many times it was presented to the token endpoint. */
    synchronized Map<String, Integer> redemptions() {
        return Map.copyOf(redemptions);
    }

    /** Refresh requests refused with {@code invalid_grant}. */
    synchronized long refusedRedemptions() {
        return refusedRedemptions;
    }

    synchronized void clear() {
        redemptions.clear();
        refusedRedemptions = 0;
        accessTokens.clear();
        refreshTokens.clear();
        codes.clear();
    }

    private String randomHex(int bytes) {
        byte[] buffer = new byte[bytes];
        random.nextBytes(buffer);
        return HexFormat.of().formatHex(buffer);
    }
}
