package io.storefrontsync.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.storefrontsync.common.config.DatabaseUrl;
import io.storefrontsync.sandbox.testing.EndToEndSystem;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;

/** What an end-to-end test does to the running system: a merchant's browser, an operator, a look into Spaces and the database. */
final class SystemClient implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    private final EndToEndSystem system;
    /** The merchant's browser: keeps the gateway's cookies (state, session) like a browser would. */
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final S3AsyncClient s3;

    SystemClient(EndToEndSystem system) {
        this.system = system;
        Map<String, String> env = system.env();
        this.s3 = S3AsyncClient.builder()
                .endpointOverride(URI.create(env.get("SPACES_ENDPOINT")))
                .region(Region.of(env.get("SPACES_REGION")))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        env.get("SPACES_ACCESS_KEY"), env.get("SPACES_SECRET_KEY"))))
                .build();
    }

    /** A merchant installs the app: login → the simulator's authorize page → our callback, with the state cookie. */
    Install install(String shop) throws Exception {
        HttpResponse<String> callback = throughConsentScreen(system.gateway().url() + "/shopify/" + shop + "/login");
        return new Install(callback.statusCode(), callback.body(), JSON.readTree(callback.body()));
    }

    /** The same merchant (session cookie from the install) connects the Facebook Pages they manage. */
    Install connectFacebook() throws Exception {
        HttpResponse<String> callback = throughConsentScreen(system.gateway().url() + "/facebook/login");
        return new Install(callback.statusCode(), callback.body(), JSON.readTree(callback.body()));
    }

    /** Login → the provider's consent page (the simulator approves with a redirect) → our callback. */
    private HttpResponse<String> throughConsentScreen(String loginUrl) throws Exception {
        HttpResponse<String> login = get(loginUrl, null);
        expectStatus(login, 302);
        HttpResponse<String> consent = get(login.headers().firstValue("Location").orElseThrow(), null);
        expectStatus(consent, 302);
        return get(consent.headers().firstValue("Location").orElseThrow(), null);
    }

    record Install(int status, String body, JsonNode json) {
        String userId() {
            return json.path("user_uuid").asText();
        }
    }

    HttpResponse<String> get(String url, String cookie) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postJson(String url, String body, String bearer) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A GET as an API client: a bearer token, JSON asked for. */
    HttpResponse<String> getAuthorized(String url, String bearer) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Accept", "application/json");
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String url, byte[] body, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Fires store events in the Shopify simulator, which changes its store and delivers signed webhooks. */
    JsonNode shopifyEvents(String shop, String topic, int count) throws Exception {
        HttpResponse<String> response = postJson(system.shopifySimulatorUrl() + "/_sim/shops/" + shop + "/events",
                JSON.createObjectNode().put("topic", topic).put("count", count).toString(), null);
        expectStatus(response, 200);
        return JSON.readTree(response.body());
    }

    JsonNode simulatorProducts(String shop) throws Exception {
        return JSON.readTree(get(system.shopifySimulatorUrl() + "/_sim/shops/" + shop + "/products", null).body())
                .path("products");
    }

    List<String> simulatorTokens() throws Exception {
        JsonNode tokens = JSON.readTree(get(system.shopifySimulatorUrl() + "/_sim/tokens", null).body()).path("tokens");
        return JSON.convertValue(tokens, JSON.getTypeFactory().constructCollectionType(List.class, String.class));
    }

    Optional<byte[]> object(String key) {
        try {
            return Optional.of(s3.getObject(b -> b.bucket(system.env().get("SPACES_BUCKET")).key(key),
                    AsyncResponseTransformer.toBytes()).join().asByteArray());
        } catch (CompletionException e) {
            if (e.getCause() instanceof NoSuchKeyException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Every object under {@code prefix}, key → ETag, size and last-modified: a PUT of the same key shows
     * as a changed entry, so equal listings mean nothing was written.
     */
    java.util.SortedMap<String, String> listing(String prefix) {
        java.util.SortedMap<String, String> objects = new java.util.TreeMap<>();
        s3.listObjectsV2Paginator(b -> b.bucket(system.env().get("SPACES_BUCKET")).prefix(prefix))
                .contents().subscribe(o -> objects.put(o.key(), o.eTag() + " " + o.size() + " " + o.lastModified()))
                .join();
        return objects;
    }

    long count(String sql, Object... params) throws Exception {
        DatabaseUrl db = DatabaseUrl.parse(system.env().get("DATABASE_URL"));
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
             PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** A map in the order written, from {@code key, value, key, value, ...}: the ITs' tables of topics and bodies. */
    static Map<String, String> ordered(String... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values come in pairs");
        }
        Map<String, String> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (map.put(keysAndValues[i], keysAndValues[i + 1]) != null) {
                throw new IllegalArgumentException("key twice: " + keysAndValues[i]);
            }
        }
        return java.util.Collections.unmodifiableMap(map);
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
    }

    private static void expectStatus(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new AssertionError("expected " + status + " from " + response.uri() + " but got "
                    + response.statusCode() + ": " + response.body());
        }
    }

    @Override
    public void close() {
        s3.close();
    }
}
