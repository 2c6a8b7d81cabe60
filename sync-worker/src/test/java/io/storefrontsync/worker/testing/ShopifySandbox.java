package io.storefrontsync.worker.testing;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.storefrontsync.common.crypto.TokenAad;
import io.storefrontsync.common.crypto.TokenCipher;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.sandbox.DemoShop;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import org.eclipse.microprofile.config.ConfigProvider;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/**
 * The sandbox world's Shopify simulator seen from a worker test: installs the app the way the
 * gateway does (OAuth authorize → code → {@code access_token} with {@code expiring=1}, the token
 * stored encrypted in {@code gateway.shopify_connections}) and drives the {@code /_sim/} control API.
 */
public final class ShopifySandbox {

    /** The simulator's demo shop: the store the worker's Shopify tests sync. */
    public static final String SHOP = DemoShop.DOMAIN;
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private ShopifySandbox() {
    }

    public static String simulatorUrl() {
        return ConfigProvider.getConfig().getValue("SHOPIFY_SIMULATOR_URL", String.class);
    }

    /** Installs the app for {@code user}: a fresh expiring access token, stored as the gateway stores it. */
    public static void install(Pool pool, UUID user, String shop) {
        String accessToken = oauthAccessToken(shop);
        TokenCipher cipher = TokenCipher.fromKeyRing(config("TOKEN_ENCRYPTION_KEY"));
        String encrypted = cipher.encrypt(accessToken, TokenAad.shopifyAccessToken(new ShopDomain(shop)));
        pool.preparedQuery("""
                        INSERT INTO gateway.shopify_connections (shop, user_id, access_token_enc, access_token_expires_at, status)
                        VALUES ($1, $2, $3, now() + interval '1 hour', 'active')
                        ON CONFLICT (shop) DO UPDATE SET user_id = EXCLUDED.user_id, access_token_enc = EXCLUDED.access_token_enc,
                            access_token_expires_at = EXCLUDED.access_token_expires_at, status = 'active', updated_at = now()""")
                .execute(Tuple.of(shop, user, encrypted)).await().atMost(TIMEOUT);
    }

    private static String oauthAccessToken(String shop) {
        String admin = adminBase(shop);
        Response authorize = given().redirects().follow(false)
                .queryParam("client_id", config("SHOPIFY_API_KEY"))
                .queryParam("scope", "read_products,read_inventory,read_discounts,read_locations")
                .queryParam("redirect_uri", "https://gateway.example/shopify/callback")
                .queryParam("state", UUID.randomUUID().toString())
                .when().get(admin + "/admin/oauth/authorize");
        if (authorize.statusCode() != 302) {
            throw new IllegalStateException("authorize answered " + authorize.statusCode());
        }
        String code = queryParameter(authorize.header("Location"), "code");
        Map<String, Object> body = new HashMap<>();
        body.put("client_id", config("SHOPIFY_API_KEY"));
        body.put("client_secret", config("SHOPIFY_API_SECRET"));
        body.put("code", code);
        body.put("expiring", 1);
        return given().contentType(ContentType.JSON).body(body)
                .when().post(admin + "/admin/oauth/access_token")
                .then().statusCode(200)
                .extract().path("access_token");
    }

    /** The store as the simulator holds it: products with their scalar fields and variants. */
    public static List<Map<String, Object>> products(String shop) {
        return given().when().get(simulatorUrl() + "/_sim/shops/" + shop + "/products")
                .then().statusCode(200).extract().jsonPath().getList("products");
    }

    /** The store's discounts: {@code id, __typename, title, status, usageLimit, codesCount, context} (the buyers' type), {@code codes}. */
    public static List<Map<String, Object>> discounts(String shop) {
        return given().when().get(simulatorUrl() + "/_sim/shops/" + shop + "/discounts")
                .then().statusCode(200).extract().jsonPath().getList("discounts");
    }

    /** {@code /_sim/shops/{shop}/state}: counts, bucket and request/cost/throttle counters. */
    public static JsonPath state(String shop) {
        return given().when().get(simulatorUrl() + "/_sim/shops/" + shop + "/state")
                .then().statusCode(200).extract().jsonPath();
    }

    /** Every access and refresh token the simulator ever issued. */
    public static List<String> tokensEverIssued() {
        return given().when().get(simulatorUrl() + "/_sim/tokens").then().statusCode(200).extract().jsonPath().getList("tokens");
    }

    /** Changes the store like a merchant would (products/update, shop/update, ...). */
    public static void event(String shop, String topic) {
        given().contentType(ContentType.JSON).body(Map.of("topic", topic, "count", 1))
                .when().post(simulatorUrl() + "/_sim/shops/" + shop + "/events")
                .then().statusCode(200);
    }

    /** Arms a fault for the shop's next {@code count} Admin API requests ({@code kind}: 429, 500, 503, slow). */
    public static void fault(String shop, String kind, int count, Map<String, Object> options) {
        Map<String, Object> body = new HashMap<>(options);
        body.put("shop", shop);
        body.put("kind", kind);
        body.put("count", count);
        given().contentType(ContentType.JSON).body(body)
                .when().post(simulatorUrl() + "/_sim/faults")
                .then().statusCode(201);
    }

    /** Every Admin API answer carries {@code X-Shopify-API-Deprecated-Reason: reason} until {@link #clearFaults()}. */
    public static void deprecate(String reason) {
        given().contentType(ContentType.JSON).body(Map.of("reason", reason))
                .when().post(simulatorUrl() + "/_sim/deprecation")
                .then().statusCode(200);
    }

    public static void clearFaults() {
        given().when().delete(simulatorUrl() + "/_sim/faults").then().statusCode(204);
    }

    /** Moves the clock that tokens expire by. */
    public static void advanceClock(Duration by) {
        given().contentType(ContentType.JSON).body(Map.of("advanceSeconds", by.toSeconds()))
                .when().post(simulatorUrl() + "/_sim/clock")
                .then().statusCode(200);
    }

    private static String adminBase(String shop) {
        return config("SHOPIFY_ADMIN_URL_TEMPLATE").replace("{shop}", shop);
    }

    private static String config(String name) {
        return ConfigProvider.getConfig().getValue(name, String.class);
    }

    private static String queryParameter(String location, String name) {
        String query = URI.create(location).getRawQuery();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        throw new IllegalStateException("no " + name + " in the authorize redirect");
    }
}
