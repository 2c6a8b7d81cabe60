import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.storefrontsync.common.config.DatabaseUrl;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the benchmark does to a running world, from outside, as a merchant, an operator and the
 * bot would: the install through the simulator's OAuth, the admin API, the worker's metrics, the
 * simulator's control API, a look into the database, and S3 reads signed with SigV4.
 */
final class BenchClient implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private final BenchWorld world;
    private final String gateway;
    private final String worker;
    private final String workerManagement;
    private final String gatewayManagement;
    /** A browser: keeps the gateway's state and session cookies across the OAuth redirects. */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Connection db;

    BenchClient(BenchWorld world, BenchWorld.Service gateway, BenchWorld.Service worker) throws SQLException {
        this.world = world;
        this.gateway = gateway.url();
        this.worker = worker.url();
        this.workerManagement = worker.managementUrl();
        this.gatewayManagement = gateway.managementUrl();
        DatabaseUrl url = DatabaseUrl.parse(world.env().get("DATABASE_URL"));
        this.db = DriverManager.getConnection(url.jdbcUrl(), url.username(), url.password());
    }

    // --- the merchant ----------------------------------------------------------------------------

    /** Installs the app on {@code shop}: login → the simulator's consent (it approves) → our callback. */
    JsonNode install(String shop) throws Exception {
        HttpResponse<String> login = send(HttpRequest.newBuilder(URI.create(gateway + "/shopify/" + shop + "/login")));
        expect(login, 302);
        HttpResponse<String> consent = send(HttpRequest.newBuilder(URI.create(location(login))));
        expect(consent, 302);
        HttpResponse<String> callback = send(HttpRequest.newBuilder(URI.create(location(consent))));
        expect(callback, 200);
        JsonNode answer = JSON.readTree(callback.body());
        if (!"success".equals(answer.path("webhook_result").path("status").asText())
                || !"success".equals(answer.path("sync_result").path("status").asText())) {
            throw new IllegalStateException("install did not fully succeed: " + callback.body());
        }
        return answer;
    }

    // --- the operator ----------------------------------------------------------------------------

    String adminToken() throws Exception {
        HttpResponse<String> token = send(HttpRequest.newBuilder(URI.create(gateway + "/admin/token"))
                .header("X-Admin-Api-Key", world.env().get("ADMIN_API_KEY")).POST(HttpRequest.BodyPublishers.noBody()));
        expect(token, 200);
        return JSON.readTree(token.body()).path("access_token").asText();
    }

    /** {@code POST /resync} for a user; the answer lists the job ids. */
    JsonNode resync(String token, String userId) throws Exception {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(worker + "/resync"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.createObjectNode().put("userId", userId).toString())));
        expect(answer, 202);
        return JSON.readTree(answer.body());
    }

    JsonNode job(String token, String id) throws Exception {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(worker + "/jobs/" + id))
                .header("Authorization", "Bearer " + token));
        expect(answer, 200);
        return JSON.readTree(answer.body());
    }

    /** Polls {@code GET /jobs/{id}} until the job succeeded or died. */
    JsonNode awaitJob(String token, String id, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode job = job(token, id);
            String status = job.path("status").asText();
            if (status.equals("succeeded") || status.equals("dead") || status.equals("cancelled")) {
                return job;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("job " + id + " did not finish within " + timeout);
    }

    /** The sum of a Prometheus counter over all its label sets, from {@code /q/metrics} (management port). */
    static double metric(String body, String name) {
        double sum = 0;
        for (String line : body.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** One labelled series of a counter (e.g. {@code op="put"}), 0 when absent. */
    static double metric(String body, String name, String label) {
        double sum = 0;
        for (String line : body.split("\n")) {
            if (line.startsWith(name + "{") && line.contains(label)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    String gatewayMetrics() throws Exception {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(gatewayManagement + "/q/metrics")));
        expect(answer, 200);
        return answer.body();
    }

    String workerMetrics() throws Exception {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(workerManagement + "/q/metrics")));
        expect(answer, 200);
        return answer.body();
    }

    // --- the Shopify simulator --------------------------------------------------------------------

    /** {@code /_sim/shops/{shop}/state}: counts, bucket, and the request/cost statistics. */
    JsonNode simState(String shop) throws Exception {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(
                URI.create(world.shopifySimulator() + "/_sim/shops/" + shop + "/state")));
        expect(answer, 200);
        return JSON.readTree(answer.body());
    }

    /** Changes the store {@code count} times and delivers the signed webhooks (returns once delivered). */
    JsonNode simEvents(String shop, String topic, int count) throws Exception {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(
                        URI.create(world.shopifySimulator() + "/_sim/shops/" + shop + "/events"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        JSON.createObjectNode().put("topic", topic).put("count", count).toString())));
        expect(answer, 200);
        return JSON.readTree(answer.body());
    }

    // --- the database -----------------------------------------------------------------------------

    synchronized long count(String sql, Object... params) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** A count over a text array parameter (e.g. {@code dedupe_key = ANY(?)}). */
    synchronized long countKeys(String sql, java.util.List<String> keys) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setArray(1, db.createArrayOf("text", keys.toArray()));
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** One row as column → value (first row of the answer), empty when there is none. */
    synchronized Optional<Map<String, Object>> row(String sql, Object... params) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Map<String, Object> row = new LinkedHashMap<>();
                for (int c = 1; c <= rs.getMetaData().getColumnCount(); c++) {
                    row.put(rs.getMetaData().getColumnLabel(c), rs.getObject(c));
                }
                return Optional.of(row);
            }
        }
    }

    /** Nothing left to do: every outbox row delivered, no job pending or running. */
    boolean idle() throws SQLException {
        return count("SELECT count(*) FROM gateway.outbox WHERE delivered_at IS NULL") == 0
                && count("SELECT count(*) FROM worker.jobs WHERE status IN ('pending', 'running')") == 0;
    }

    /** Waits until {@link #idle()}; returns how long it took in ms. */
    long awaitIdle(Duration timeout) throws Exception {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        while (!idle()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the system was still busy after " + timeout);
            }
            Thread.sleep(100);
        }
        return (System.nanoTime() - started) / 1_000_000;
    }

    // --- Spaces (the S3 server), as the bot reads it -----------------------------------------------

    /** The object's ETag (HEAD), empty when it does not exist. */
    Optional<String> s3ETag(String key) throws Exception {
        HttpResponse<Void> head = http.send(s3("HEAD", key).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
        if (head.statusCode() == 404) {
            return Optional.empty();
        }
        if (head.statusCode() != 200) {
            throw new IllegalStateException("HEAD " + key + " answered " + head.statusCode());
        }
        return head.headers().firstValue("ETag");
    }

    Optional<byte[]> s3Get(String key) throws Exception {
        HttpResponse<byte[]> get = http.send(s3("GET", key).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (get.statusCode() == 404) {
            return Optional.empty();
        }
        if (get.statusCode() != 200) {
            throw new IllegalStateException("GET " + key + " answered " + get.statusCode());
        }
        return Optional.of(get.body());
    }

    /** A path-style request signed with AWS Signature Version 4 (the S3 server checks it). */
    private HttpRequest.Builder s3(String method, String key) throws Exception {
        Map<String, String> env = world.env();
        URI endpoint = URI.create(env.get("SPACES_ENDPOINT"));
        String region = env.get("SPACES_REGION");
        String path = "/" + env.get("SPACES_BUCKET") + "/" + key;
        String host = endpoint.getHost() + (endpoint.getPort() > 0 ? ":" + endpoint.getPort() : "");
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        String amzDate = now.format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"));
        String date = amzDate.substring(0, 8);
        String signedHeaders = "host;x-amz-content-sha256;x-amz-date";
        String canonicalRequest = method + "\n" + path + "\n\n"
                + "host:" + host + "\nx-amz-content-sha256:" + EMPTY_SHA256 + "\nx-amz-date:" + amzDate + "\n\n"
                + signedHeaders + "\n" + EMPTY_SHA256;
        String scope = date + "/" + region + "/s3/aws4_request";
        String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + sha256Hex(canonicalRequest);
        byte[] key0 = hmac(("AWS4" + env.get("SPACES_SECRET_KEY")).getBytes(StandardCharsets.UTF_8), date);
        byte[] signingKey = hmac(hmac(hmac(key0, region), "s3"), "aws4_request");
        String signature = HexFormat.of().formatHex(hmac(signingKey, toSign));
        return HttpRequest.newBuilder(URI.create(endpoint.getScheme() + "://" + host + path))
                .timeout(Duration.ofSeconds(30))
                .header("x-amz-date", amzDate)
                .header("x-amz-content-sha256", EMPTY_SHA256)
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + env.get("SPACES_ACCESS_KEY") + "/" + scope
                        + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature);
    }

    private static byte[] hmac(byte[] key, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256Hex(String data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data.getBytes(StandardCharsets.UTF_8)));
    }

    // --- plumbing ---------------------------------------------------------------------------------

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String location(HttpResponse<String> response) {
        return response.headers().firstValue("Location").orElseThrow(() ->
                new IllegalStateException("no Location from " + response.uri()));
    }

    private static void expect(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            String body = response.body() == null ? "" : response.body();
            throw new IllegalStateException("expected " + status + " from " + response.request().method() + " "
                    + response.uri().getPath() + " but got " + response.statusCode() + ": "
                    + body.substring(0, Math.min(300, body.length())));
        }
    }

    @Override
    public void close() throws SQLException {
        db.close();
    }
}
