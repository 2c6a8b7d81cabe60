package io.storefrontsync.sandbox.facebook;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** Starts one simulator per test class on a free port and speaks to it over plain HTTP, as the services do. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SimulatorTestSupport {

    static final String APP_ID = "1234567890";
    static final String APP_SECRET = "test-app-secret";
    static final String VERIFY_TOKEN = "test-verify-token";
    static final String REDIRECT_URI = "http://127.0.0.1:8080/facebook/callback";

    protected Vertx vertx;
    protected FacebookSimulator simulator;
    protected String base;
    protected final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Reply(int status, Map<String, String> headers, String body) {
        JsonObject json() {
            return new JsonObject(body);
        }

        JsonObject error() {
            return json().getJsonObject("error");
        }

        String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    protected FacebookSimulator.Config config() {
        return new FacebookSimulator.Config(APP_ID, APP_SECRET, null, VERIFY_TOKEN, 7L, 2, 3, 20);
    }

    @BeforeAll
    void startSimulator() throws Exception {
        vertx = Vertx.vertx();
        simulator = new FacebookSimulator(vertx, config());
        int port = simulator.start("127.0.0.1", 0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        base = "http://127.0.0.1:" + port;
    }

    @AfterAll
    void stopSimulator() throws Exception {
        simulator.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    Reply get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET());
    }

    Reply getAbsolute(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    Reply postForm(String path, Map<String, String> form) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(formBody(form))));
    }

    Reply postJson(String path, JsonObject body) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.encode())));
    }

    Reply delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
    }

    private Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(15)).build(),
                    HttpResponse.BodyHandlers.ofString());
            Map<String, String> headers = new LinkedHashMap<>();
            response.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
            return new Reply(response.statusCode(), headers, response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String formBody(Map<String, String> form) {
        StringBuilder out = new StringBuilder();
        form.forEach((k, v) -> out.append(out.length() == 0 ? "" : "&").append(enc(k)).append('=').append(enc(v)));
        return out.toString();
    }

    static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static Map<String, String> query(URI uri) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            params.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return params;
    }

    /** Runs the dialog and returns the code the redirect carries. */
    String authorizationCode(String state) {
        Reply dialog = get("/v26.0/dialog/oauth?client_id=" + APP_ID + "&redirect_uri=" + enc(REDIRECT_URI)
                + "&state=" + enc(state) + "&scope=pages_show_list,pages_read_engagement,pages_manage_metadata");
        assertThat(dialog.status()).isEqualTo(302);
        return query(URI.create(dialog.header("location"))).get("code");
    }

    /** Full login as the gateway performs it: dialog, code exchange, long-lived exchange. */
    String longLivedUserToken() {
        String code = authorizationCode("s");
        Reply shortLived = get("/v26.0/oauth/access_token?client_id=" + APP_ID + "&client_secret=" + APP_SECRET
                + "&redirect_uri=" + enc(REDIRECT_URI) + "&code=" + enc(code));
        assertThat(shortLived.status()).isEqualTo(200);
        Reply longLived = get("/v26.0/oauth/access_token?grant_type=fb_exchange_token&client_id=" + APP_ID
                + "&client_secret=" + APP_SECRET + "&fb_exchange_token=" + enc(shortLived.json().getString("access_token")));
        assertThat(longLived.status()).isEqualTo(200);
        return longLived.json().getString("access_token");
    }

    JsonArray accounts(String userToken) {
        Reply accounts = get("/v26.0/me/accounts?access_token=" + enc(userToken));
        assertThat(accounts.status()).isEqualTo(200);
        return accounts.json().getJsonArray("data");
    }

    String pageToken(String userToken, String pageId) {
        return accounts(userToken).stream().map(JsonObject.class::cast)
                .filter(p -> p.getString("id").equals(pageId)).findFirst().orElseThrow()
                .getString("access_token");
    }

    JsonObject simUser() {
        return get("/_sim/user").json();
    }

    String firstPageId() {
        return simUser().getJsonArray("pages").getString(0);
    }
}
