package io.storefrontsync.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.storefrontsync.common.signature.ShopifyOAuthQueryVerifier;
import io.storefrontsync.sandbox.testing.EndToEndSystem;

import java.io.IOException;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A merchant's browser that keeps what an attacker would love to replay: the OAuth state nonce of each
 * login, the signed state cookie bound to it and the provider's callback URL. The corpus replays them
 * (reused state), swaps them (foreign state, another browser's cookie) and re-signs callbacks with the
 * app secret to get past the HMAC to the state and shop checks (playing Shopify, which holds that secret).
 */
final class OAuthTraces {

    static final String SHOPIFY_STATE = "sfs_shopify_state";
    static final String FACEBOOK_STATE = "sfs_facebook_state";
    static final String SESSION = "sfs_session";

    /** A login that was started: the state the gateway issued and the cookie that binds it to this browser. */
    record Login(String nonce, String stateCookie, URI providerUrl) {
    }

    /** A login that went all the way through the provider to our callback. */
    record Completed(Login login, String callbackUrl, int status, JsonNode answer) {
    }

    private final EndToEndSystem system;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, String> cookies = new LinkedHashMap<>();

    OAuthTraces(EndToEndSystem system) {
        this.system = system;
    }

    Login startShopify(String shop) throws Exception {
        return start(system.gateway().url() + "/shopify/" + shop + "/login", SHOPIFY_STATE);
    }

    Completed installShopify(String shop) throws Exception {
        return complete(startShopify(shop));
    }

    /** Needs the session cookie of {@link #installShopify}. */
    Completed connectFacebook() throws Exception {
        return complete(start(system.gateway().url() + "/facebook/login", FACEBOOK_STATE));
    }

    private Login start(String loginUrl, String stateCookieName) throws Exception {
        HttpResponse<String> login = get(loginUrl);
        expect(login, 302);
        URI provider = URI.create(login.headers().firstValue("Location").orElseThrow());
        String nonce = queryParam(provider, "state");
        return new Login(nonce, cookies.get(stateCookieName), provider);
    }

    private Completed complete(Login login) throws Exception {
        HttpResponse<String> consent = get(login.providerUrl().toString());
        expect(consent, 302);
        String callbackUrl = consent.headers().firstValue("Location").orElseThrow();
        HttpResponse<String> callback = get(callbackUrl);
        return new Completed(login, callbackUrl, callback.statusCode(), SystemClient.JSON.readTree(callback.body()));
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120));
        if (!cookies.isEmpty() && url.startsWith(system.gateway().url())) {
            request.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; ")));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        for (String header : response.headers().allValues("Set-Cookie")) {
            for (HttpCookie cookie : HttpCookie.parse(header)) {
                if (cookie.getMaxAge() == 0 || cookie.getValue().isEmpty()) {
                    cookies.remove(cookie.getName());
                } else {
                    cookies.put(cookie.getName(), cookie.getValue());
                }
            }
        }
        return response;
    }

    /**
     * The query of a Shopify OAuth callback, signed with {@code secret} exactly as Shopify signs it, with a
     * fresh timestamp unless {@code params} brings one.
     */
    static String signedShopifyQuery(Map<String, String> params, String secret) {
        Map<String, String> all = new LinkedHashMap<>(params);
        all.putIfAbsent("timestamp", String.valueOf(Instant.now().getEpochSecond()));
        Map<String, List<String>> multi = new LinkedHashMap<>();
        all.forEach((k, v) -> multi.put(k, List.of(v)));
        all.put("hmac", ShopifyOAuthQueryVerifier.sign(multi, secret));
        return query(all);
    }

    static String query(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    static String queryParam(URI uri, String name) {
        return ShopifyOAuthQueryVerifier.parseQuery(uri.getRawQuery()).getOrDefault(name, List.of()).stream()
                .findFirst().orElseThrow(() -> new AssertionError(name + " missing in " + uri));
    }

    private static void expect(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new AssertionError("expected " + status + " from " + response.uri() + " but got "
                    + response.statusCode() + ": " + response.body());
        }
    }
}
