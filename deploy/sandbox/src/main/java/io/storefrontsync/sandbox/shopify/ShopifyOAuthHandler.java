package io.storefrontsync.sandbox.shopify;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Shopify's authorization-code grant: {@code GET /admin/oauth/authorize} (the merchant approves at
 * once, nobody clicks) and {@code POST /admin/oauth/access_token} for codes and refresh tokens.
 *
 * <p>Without {@code expiring=1} the token endpoint refuses by default: public apps created on or
 * after 2026-04-01 must use expiring offline tokens (shopify.dev, "About offline access tokens"),
 * and this app is one. {@code allowNonExpiringTokens} turns on the legacy non-expiring answer.
 */
final class ShopifyOAuthHandler {

    private final ShopifySimulator.Config config;
    private final TokenStore tokens;
    private final SimClock clock;
    private final TokenRateLimit rateLimit;

    ShopifyOAuthHandler(ShopifySimulator.Config config, TokenStore tokens, SimClock clock, TokenRateLimit rateLimit) {
        this.config = config;
        this.tokens = tokens;
        this.clock = clock;
        this.rateLimit = rateLimit;
    }

    void authorize(RoutingContext ctx, SimulatedShop shop) {
        MultiMap query = ctx.queryParams();
        String clientId = query.get("client_id");
        String redirectUri = query.get("redirect_uri");
        if (clientId == null || !clientId.equals(config.apiKey())) {
            errorPage(ctx, "Oauth error invalid_request: The client_id is invalid or missing.");
            return;
        }
        if (redirectUri == null || !redirectUri.matches("(?i)https?://.+")) {
            errorPage(ctx, "Oauth error invalid_request: The redirect_uri is missing or is not a valid URL.");
            return;
        }
        String scope = query.get("scope") == null ? "" : query.get("scope");
        Instant now = clock.now();
        Map<String, String> params = new LinkedHashMap<>();
        params.put("code", tokens.newCode(shop.domain(), scope, now));
        params.put("host", Base64.getEncoder().withoutPadding().encodeToString(
                ("admin.shopify.com/store/" + shop.store().shortName()).getBytes(StandardCharsets.UTF_8)));
        params.put("shop", shop.domain());
        if (query.get("state") != null) {
            params.put("state", query.get("state"));
        }
        // Real time, not the simulated clock: the app checks this against its own clock.
        params.put("timestamp", String.valueOf(Instant.now().getEpochSecond()));
        params.put("hmac", Signatures.queryHmac(params, config.apiSecret()));
        StringBuilder location = new StringBuilder(redirectUri).append(redirectUri.contains("?") ? '&' : '?');
        boolean firstParam = true;
        for (Map.Entry<String, String> param : params.entrySet()) {
            if (!firstParam) {
                location.append('&');
            }
            firstParam = false;
            location.append(URLEncoder.encode(param.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(param.getValue(), StandardCharsets.UTF_8));
        }
        ctx.response().setStatusCode(302).putHeader("Location", location.toString()).end();
    }

    void accessToken(RoutingContext ctx, SimulatedShop shop) {
        synchronized (shop) {
            shop.tokenRequests++;
        }
        if (!rateLimit.tryAcquire(System.currentTimeMillis())) {
            // Refused before the grant is looked at: the refresh token stays as it was.
            ctx.response().setStatusCode(429).putHeader("Retry-After", "1.0")
                    .putHeader("Content-Type", "application/json; charset=utf-8")
                    .end(new JsonObject().put("errors", "Too many requests to the access token endpoint. "
                            + "Retry after the time in the Retry-After header.").encode());
            return;
        }
        Map<String, String> body = requestParameters(ctx);
        if (!config.apiKey().equals(body.get("client_id"))
                || !Signatures.constantTimeEquals(config.apiSecret(), body.get("client_secret"))) {
            error(ctx, "invalid_client", "Client authentication failed: unknown client_id or wrong client_secret.");
            return;
        }
        Instant now = clock.now();
        if ("refresh_token".equals(body.get("grant_type"))) {
            TokenStore.Issued issued = tokens.refresh(body.get("refresh_token"), shop.domain(), now);
            if (issued == null) {
                error(ctx, "invalid_grant", "The refresh token is invalid, expired, or was already replaced.");
                return;
            }
            answer(ctx, issued);
            return;
        }
        boolean expiring = "1".equals(body.get("expiring")) || "true".equalsIgnoreCase(body.get("expiring"));
        if (!expiring && !config.allowNonExpiringTokens()) {
            error(ctx, "invalid_request", "Public apps created on or after April 1, 2026 must request expiring "
                    + "offline access tokens: add expiring=1 to the access token request.");
            return;
        }
        TokenStore.Grant grant = tokens.redeemCode(body.get("code"), shop.domain(), now);
        if (grant == null) {
            error(ctx, "invalid_request", "The authorization code was not found or was already used.");
            return;
        }
        answer(ctx, tokens.issue(shop.domain(), grant.scope(), expiring, now, null));
    }

    /** Shopify accepts the token request as JSON, as a form, or as query parameters. */
    private static Map<String, String> requestParameters(RoutingContext ctx) {
        Map<String, String> params = new LinkedHashMap<>();
        ctx.queryParams().forEach(e -> params.put(e.getKey(), e.getValue()));
        String contentType = ctx.request().getHeader("Content-Type");
        if (contentType != null && contentType.toLowerCase().contains("json") && ctx.body().length() > 0) {
            try {
                JsonObject json = ctx.body().asJsonObject();
                json.forEach(e -> params.put(e.getKey(), e.getValue() == null ? null : String.valueOf(e.getValue())));
            } catch (RuntimeException ignored) {
                // an unreadable body is answered like a missing parameter
            }
        } else {
            ctx.request().formAttributes().forEach(e -> params.put(e.getKey(), e.getValue()));
        }
        return params;
    }

    private static void answer(RoutingContext ctx, TokenStore.Issued issued) {
        JsonObject json = new JsonObject().put("access_token", issued.accessToken()).put("scope", issued.scope());
        if (issued.expiresIn() != null) {
            json.put("expires_in", issued.expiresIn())
                    .put("refresh_token", issued.refreshToken())
                    .put("refresh_token_expires_in", issued.refreshTokenExpiresIn());
        }
        ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json; charset=utf-8")
                .end(json.encode());
    }

    private static void error(RoutingContext ctx, String error, String description) {
        ctx.response().setStatusCode(400).putHeader("Content-Type", "application/json; charset=utf-8")
                .end(new JsonObject().put("error", error).put("error_description", description).encode());
    }

    private static void errorPage(RoutingContext ctx, String message) {
        String escaped = message.replace("&", "&amp;").replace("<", "&lt;");
        ctx.response().setStatusCode(400).putHeader("Content-Type", "text/html; charset=utf-8")
                .end("<!DOCTYPE html><html><head><title>Oauth error</title></head><body><h1>" + escaped
                        + "</h1></body></html>");
    }
}
