package io.storefrontsync.sandbox.shopify;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A running simulator plus a blocking HTTP client for tests. */
final class SimulatorFixture implements AutoCloseable {

    static final String SHOP = "test-shop.myshopify.com";
    static final String KEY = "test-key";
    static final String SECRET = "test-secret";
    static final String VERSION = "2026-07";

    final Vertx vertx;
    final ShopifySimulator simulator;
    final int port;
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    SimulatorFixture(ShopifySimulator.Config config) throws Exception {
        this.vertx = Vertx.vertx();
        this.simulator = new ShopifySimulator(vertx, config);
        this.port = simulator.start("127.0.0.1", 0).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }

    static ShopifySimulator.Config smallStore(int products) {
        return new ShopifySimulator.Config(KEY, SECRET, List.of(SHOP), products, 3, 2, 2, 4, 5, 1000, 100,
                Duration.ofHours(1), 7L);
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    String shopUrl() {
        return base() + "/" + SHOP;
    }

    HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String url, String contentType, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postJson(String url, JsonObject body) throws IOException, InterruptedException {
        return post(url, "application/json", body.encode());
    }

    /** Runs the whole OAuth dance and answers the token response. */
    JsonObject install() throws Exception {
        Map<String, String> redirect = authorize("read_products,read_inventory", "nonce-1");
        HttpResponse<String> token = postJson(shopUrl() + "/admin/oauth/access_token", new JsonObject()
                .put("client_id", KEY).put("client_secret", SECRET).put("code", redirect.get("code"))
                .put("expiring", "1"));
        if (token.statusCode() != 200) {
            throw new IllegalStateException("token exchange failed: " + token.body());
        }
        return new JsonObject(token.body());
    }

    /** GET authorize; answers the query parameters of the redirect. */
    Map<String, String> authorize(String scope, String state) throws Exception {
        HttpResponse<String> response = get(shopUrl() + "/admin/oauth/authorize?client_id=" + KEY + "&scope="
                + URLEncoder.encode(scope, StandardCharsets.UTF_8) + "&redirect_uri="
                + URLEncoder.encode("https://app.example/shopify/callback", StandardCharsets.UTF_8) + "&state=" + state);
        if (response.statusCode() != 302) {
            throw new IllegalStateException("authorize answered " + response.statusCode() + ": " + response.body());
        }
        String location = response.headers().firstValue("Location").orElseThrow();
        Map<String, String> params = new LinkedHashMap<>();
        params.put("__location", location);
        for (String pair : URI.create(location).getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }

    HttpResponse<String> graphqlRaw(String token, JsonObject body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(shopUrl() + "/admin/api/" + VERSION + "/graphql.json"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.encode()));
        if (token != null) {
            request.header("X-Shopify-Access-Token", token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonObject graphql(String token, String query) throws Exception {
        return graphql(token, query, null);
    }

    JsonObject graphql(String token, String query, JsonObject variables) throws Exception {
        JsonObject body = new JsonObject().put("query", query);
        if (variables != null) {
            body.put("variables", variables);
        }
        HttpResponse<String> response = graphqlRaw(token, body);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("graphql answered " + response.statusCode() + ": " + response.body());
        }
        return new JsonObject(response.body());
    }

    JsonObject state() throws Exception {
        return new JsonObject(get(base() + "/_sim/shops/" + SHOP + "/state").body());
    }

    @Override
    public void close() throws Exception {
        simulator.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
