package io.storefrontsync.worker.testing;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.eclipse.microprofile.config.ConfigProvider;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static io.restassured.RestAssured.given;

/**
 * The sandbox world's Facebook simulator, driven as the gateway and a merchant would: Facebook Login
 * (dialog → code → short-lived token → {@code fb_exchange_token} → {@code /me/accounts}) for real Page
 * tokens, plus its {@code /_sim/} control API. Remembers every token it was ever given, for leak checks.
 */
public final class SimulatedFacebook {

    private static final String VERSION = "v26.0";
    private static final String REDIRECT_URI = "http://127.0.0.1:9/facebook/callback";
    private static final Set<String> TOKENS_SEEN = ConcurrentHashMap.newKeySet();

    private SimulatedFacebook() {
    }

    public static String graphUrl() {
        return ConfigProvider.getConfig().getValue("FACEBOOK_GRAPH_URL", String.class);
    }

    /** Logs the simulated user in and answers each managed Page's id with its current Page token. */
    public static Map<String, String> loginPageTokens() {
        String appId = ConfigProvider.getConfig().getValue("FACEBOOK_APP_ID", String.class);
        String appSecret = ConfigProvider.getConfig().getValue("FACEBOOK_APP_SECRET", String.class);
        String location = given().redirects().follow(false)
                .queryParam("client_id", appId).queryParam("redirect_uri", REDIRECT_URI)
                .queryParam("state", "test").queryParam("scope", "pages_show_list,pages_read_engagement")
                .when().get(graphUrl() + "/" + VERSION + "/dialog/oauth")
                .then().statusCode(302).extract().header("Location");
        String code = queryParam(location, "code");
        String shortLived = remember(given()
                .queryParam("client_id", appId).queryParam("client_secret", appSecret)
                .queryParam("redirect_uri", REDIRECT_URI).queryParam("code", code)
                .when().get(graphUrl() + "/" + VERSION + "/oauth/access_token")
                .then().statusCode(200).extract().path("access_token"));
        String longLived = remember(given()
                .queryParam("grant_type", "fb_exchange_token").queryParam("client_id", appId)
                .queryParam("client_secret", appSecret).queryParam("fb_exchange_token", shortLived)
                .when().get(graphUrl() + "/" + VERSION + "/oauth/access_token")
                .then().statusCode(200).extract().path("access_token"));
        List<Map<String, String>> accounts = given().header("Authorization", "Bearer " + longLived)
                .queryParam("fields", "id,name,access_token")
                .when().get(graphUrl() + "/" + VERSION + "/me/accounts")
                .then().statusCode(200).extract().path("data");
        Map<String, String> tokens = new LinkedHashMap<>();
        accounts.forEach(page -> tokens.put(page.get("id"), remember(page.get("access_token"))));
        return tokens;
    }

    /** Every token this helper was handed by the simulator, in any test so far. */
    public static Set<String> tokensSeen() {
        return Set.copyOf(TOKENS_SEEN);
    }

    /** The Page node exactly as Graph answers it for these fields. */
    public static String page(String pageId, String pageToken, String fields) {
        return given().header("Authorization", "Bearer " + pageToken).queryParam("fields", fields)
                .when().get(graphUrl() + "/" + VERSION + "/" + pageId)
                .then().statusCode(200).extract().asString();
    }

    /** {@code POST /_sim/pages/{id}/events}: changes the Page's {@code field} (and fires its webhook). */
    public static void changePage(String pageId, String field) {
        given().contentType(ContentType.JSON).body(Map.of("field", field))
                .when().post(graphUrl() + "/_sim/pages/" + pageId + "/events")
                .then().statusCode(200);
    }

    /** {@code POST /_sim/faults}. */
    public static Response armFault(Map<String, Object> fault) {
        return given().contentType(ContentType.JSON).body(fault)
                .when().post(graphUrl() + "/_sim/faults")
                .then().statusCode(200).extract().response();
    }

    public static void clearFaults() {
        given().when().delete(graphUrl() + "/_sim/faults").then().statusCode(200);
    }

    private static String remember(String token) {
        TOKENS_SEEN.add(token);
        return token;
    }

    private static String queryParam(String url, String name) {
        String query = URI.create(url.replace("#_=_", "")).getRawQuery();
        for (String pair : query.split("&")) {
            if (pair.startsWith(name + "=")) {
                return java.net.URLDecoder.decode(pair.substring(name.length() + 1), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        throw new IllegalStateException("no " + name + " in " + url);
    }
}
