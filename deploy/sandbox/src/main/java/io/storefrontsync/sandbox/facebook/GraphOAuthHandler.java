package io.storefrontsync.sandbox.facebook;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Facebook Login's server-side flow: the dialog on www.facebook.com that approves at once and redirects with a
 * code, and {@code /oauth/access_token} for code exchange, {@code fb_exchange_token} and
 * {@code client_credentials} (https://developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow/,
 * https://developers.facebook.com/docs/facebook-login/guides/access-tokens/get-long-lived/).
 */
final class GraphOAuthHandler {

    private final FacebookWorld world;
    private final GraphAuth auth;
    private final String appId;
    private final String appSecret;
    private final FaultInjector faults;

    GraphOAuthHandler(FacebookWorld world, GraphAuth auth, String appId, String appSecret, FaultInjector faults) {
        this.world = world;
        this.auth = auth;
        this.appId = appId;
        this.appSecret = appSecret;
        this.faults = faults;
    }

    /**
     * {@code GET /{v}/dialog/oauth}: no login screen, the simulated user always approves: the owner, or whom
     * {@code POST /_sim/next-login} named.
     */
    void dialog(RoutingContext ctx) {
        String clientId = ctx.request().getParam("client_id");
        String redirectUri = ctx.request().getParam("redirect_uri");
        String state = ctx.request().getParam("state");
        String responseType = ctx.request().getParam("response_type", "code");
        if (clientId == null || !clientId.equals(appId)) {
            errorPage(ctx, "Invalid App ID", "The provided app ID does not look like a valid app ID.");
            return;
        }
        if (!isAbsoluteHttpUrl(redirectUri)) {
            errorPage(ctx, "URL blocked", "This redirect failed because the redirect URI is not whitelisted in the"
                    + " app's client OAuth settings.");
            return;
        }
        if (!responseType.equals("code")) {
            errorPage(ctx, "Unsupported response_type",
                    "This simulator imitates the server-side flow only (response_type=code).");
            return;
        }
        StringBuilder location = new StringBuilder(redirectUri).append(redirectUri.contains("?") ? '&' : '?');
        if (faults.consumeLoginDenied()) {
            // What Login sends back when the user cancels the dialog.
            location.append("error=access_denied&error_code=200&error_description=")
                    .append(encode("Permissions error")).append("&error_reason=user_denied");
        } else {
            FacebookWorld.AuthorizationCode code = world.issueCode(redirectUri, ctx.request().getParam("scope"));
            location.append("code=").append(encode(code.code()));
        }
        if (state != null) {
            location.append("&state=").append(encode(state));
        }
        // Facebook appends this empty fragment to every Login redirect; clients must tolerate it.
        location.append("#_=_");
        ctx.response().setStatusCode(302).putHeader("Location", location.toString()).end();
    }

    /** {@code GET|POST /{v}/oauth/access_token}. */
    JsonObject accessToken(RoutingContext ctx) {
        String grantType = ctx.request().getParam("grant_type");
        checkClient(ctx);
        if ("fb_exchange_token".equals(grantType)) {
            return exchangeForLongLived(ctx);
        }
        if ("client_credentials".equals(grantType)) {
            return new JsonObject().put("access_token", appId + "|" + appSecret).put("token_type", "bearer");
        }
        return exchangeCode(ctx);
    }

    private void checkClient(RoutingContext ctx) {
        String clientId = ctx.request().getParam("client_id");
        if (clientId == null) {
            throw new GraphErrors.GraphException(400, "OAuthException", 101, null, false,
                    "Missing client_id parameter.");
        }
        if (!clientId.equals(appId)) {
            throw GraphErrors.invalidAppId();
        }
        if (!appSecret.equals(ctx.request().getParam("client_secret"))) {
            throw GraphErrors.invalidClientSecret();
        }
    }

    private JsonObject exchangeCode(RoutingContext ctx) {
        String codeValue = ctx.request().getParam("code");
        if (codeValue == null || codeValue.isBlank()) {
            throw GraphErrors.missingParameter("code");
        }
        FacebookWorld.AuthorizationCode code = world.code(codeValue).orElseThrow(GraphErrors::invalidCode);
        if (!code.redirectUri().equals(ctx.request().getParam("redirect_uri"))) {
            throw GraphErrors.redirectUriMismatch();
        }
        if (world.now().isAfter(code.issuedAt().plus(FacebookWorld.CODE_TTL))) {
            throw GraphErrors.codeExpired();
        }
        if (!world.consumeCode(codeValue)) {
            throw GraphErrors.codeAlreadyUsed();
        }
        return tokenResponse(world.issueUserToken(code.userId(), FacebookWorld.SHORT_LIVED), FacebookWorld.SHORT_LIVED);
    }

    private JsonObject exchangeForLongLived(RoutingContext ctx) {
        String shortLived = ctx.request().getParam("fb_exchange_token");
        if (shortLived == null || shortLived.isBlank()) {
            throw GraphErrors.missingParameter("fb_exchange_token");
        }
        AccessToken token = auth.validate(shortLived);
        if (token.kind() != AccessToken.Kind.USER) {
            throw GraphErrors.invalidParameter("fb_exchange_token must be a user access token");
        }
        return tokenResponse(world.issueUserToken(token.userId(), FacebookWorld.LONG_LIVED), FacebookWorld.LONG_LIVED);
    }

    private static JsonObject tokenResponse(AccessToken token, Duration lifetime) {
        return new JsonObject()
                .put("access_token", token.value())
                .put("token_type", "bearer")
                .put("expires_in", lifetime.toSeconds());
    }

    private static void errorPage(RoutingContext ctx, String title, String detail) {
        ctx.response().setStatusCode(400).putHeader("content-type", "text/html; charset=utf-8")
                .end("<!DOCTYPE html><html><head><title>Error</title></head><body><h1>" + title + "</h1><p>"
                        + detail + "</p></body></html>");
    }

    private static boolean isAbsoluteHttpUrl(String value) {
        if (value == null) {
            return false;
        }
        try {
            URI uri = URI.create(value);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
