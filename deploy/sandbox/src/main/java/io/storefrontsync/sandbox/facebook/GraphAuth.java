package io.storefrontsync.sandbox.facebook;

import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/** Finds and validates the access token of a Graph call the way Graph does: query, form body or Authorization. */
final class GraphAuth {

    private final FacebookWorld world;
    private final String appId;
    private final String appSecret;

    GraphAuth(FacebookWorld world, String appId, String appSecret) {
        this.world = world;
        this.appId = appId;
        this.appSecret = appSecret;
    }

    /** The raw token of the request, if any; does not validate. */
    static Optional<String> rawToken(RoutingContext ctx) {
        String param = ctx.request().getParam("access_token");
        if (param != null && !param.isBlank()) {
            return Optional.of(param);
        }
        String header = ctx.request().getHeader("Authorization");
        if (header != null) {
            for (String scheme : new String[] {"Bearer ", "OAuth "}) {
                if (header.regionMatches(true, 0, scheme, 0, scheme.length())) {
                    return Optional.of(header.substring(scheme.length()).trim());
                }
            }
        }
        return Optional.empty();
    }

    /** The valid token of the request; Graph errors for missing, unknown, expired or revoked tokens. */
    AccessToken require(RoutingContext ctx) {
        String raw = rawToken(ctx).orElseThrow(() -> new GraphErrors.GraphException(400, "OAuthException", 104,
                null, false, "An access token is required to request this resource."));
        return validate(raw);
    }

    AccessToken validate(String raw) {
        int bar = raw.indexOf('|');
        if (bar > 0) {
            // App access token "{app-id}|{app-secret}"; Graph tells a wrong secret apart from garbage.
            if (raw.substring(0, bar).equals(appId) && raw.substring(bar + 1).equals(appSecret)) {
                return new AccessToken(raw, AccessToken.Kind.APP, null, null, null, false);
            }
            throw new GraphErrors.GraphException(400, "OAuthException", 190, null, false,
                    "Invalid OAuth access token signature.");
        }
        AccessToken token = world.token(raw).orElseThrow(GraphErrors::cannotParseToken);
        if (token.revoked()) {
            throw GraphErrors.tokenInvalidated();
        }
        if (token.expiredAt(world.now())) {
            throw GraphErrors.tokenExpired(token.expiresAt(), world.now());
        }
        return token;
    }
}
