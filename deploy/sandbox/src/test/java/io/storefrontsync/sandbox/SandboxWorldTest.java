package io.storefrontsync.sandbox;

import io.storefrontsync.common.config.DatabaseUrl;
import io.storefrontsync.sandbox.testing.SandboxWorldResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SandboxWorldTest {

    @Test
    void shouldStartTheWholeWorldAsAChildProcessAndTakeItDownOnStop() throws Exception {
        SandboxWorldResource resource = new SandboxWorldResource();
        resource.init(Map.of());
        Map<String, String> env = resource.start();
        DatabaseUrl db;
        try {
            assertThat(env).containsKeys("DATABASE_URL", "SPACES_ENDPOINT", "SPACES_BUCKET", "SPACES_ACCESS_KEY",
                    "SPACES_SECRET_KEY", "FACEBOOK_GRAPH_URL", "FACEBOOK_DIALOG_URL", "SHOPIFY_ADMIN_URL_TEMPLATE", "SHOPIFY_API_KEY",
                    "SHOPIFY_API_SECRET", "FACEBOOK_APP_SECRET", "TOKEN_ENCRYPTION_KEY", "STATE_TOKEN_SECRET",
                    "JWT_PRIVATE_KEY", "JWT_PUBLIC_KEY");
            db = DatabaseUrl.parse(env.get("DATABASE_URL"));
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
                 ResultSet rs = c.createStatement().executeQuery("SELECT current_database()")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("storefront");
            }
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> user = http.send(HttpRequest.newBuilder(
                    URI.create(env.get("FACEBOOK_GRAPH_URL") + "/_sim/user")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(user.statusCode()).isEqualTo(200);
            String shopAdmin = env.get("SHOPIFY_ADMIN_URL_TEMPLATE").replace("{shop}", DemoShop.DOMAIN);
            HttpResponse<String> count = http.send(HttpRequest.newBuilder(URI.create(
                    env.get("SHOPIFY_SIMULATOR_URL") + "/_sim/shops/" + DemoShop.DOMAIN + "/products/count")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(count.statusCode()).isEqualTo(200);
            assertThat(count.body()).contains("650");
            HttpResponse<String> noToken = http.send(HttpRequest.newBuilder(URI.create(shopAdmin + "/admin/api/2026-07/graphql.json"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"{shop{name}}\"}"))
                    .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(noToken.statusCode()).isEqualTo(401);
            // S3 answers (403 for an unsigned request is an answer)
            HttpResponse<String> s3 = http.send(HttpRequest.newBuilder(URI.create(env.get("SPACES_ENDPOINT") + "/"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(s3.statusCode()).isBetween(200, 499);

            // The control endpoint takes the S3 server and PostgreSQL away and brings them back where they were.
            assertThat(env).containsKey(SandboxControl.URL_VARIABLE);
            URI spaces = URI.create(env.get("SPACES_ENDPOINT"));
            resource.control("s3", "stop");
            assertThatThrownBy(() -> new Socket(spaces.getHost(), spaces.getPort()).close()).isInstanceOf(ConnectException.class);
            resource.control("s3", "start");
            assertThat(http.send(HttpRequest.newBuilder(spaces).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isBetween(200, 499);
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password())) {
                c.createStatement().execute("CREATE TABLE survives_restart (v int)");
                resource.control("postgres", "restart");
                assertThatThrownBy(() -> c.createStatement().execute("SELECT 1")).isInstanceOf(SQLException.class);
            }
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
                 ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM survives_restart")) {
                assertThat(rs.next()).isTrue();
            }
            assertThatThrownBy(() -> resource.control("shopify", "stop")).hasMessageContaining("404");
            assertThatThrownBy(() -> resource.control("s3", "explode")).hasMessageContaining("400");
        } finally {
            resource.stop();
        }
        DatabaseUrl stopped = db;
        assertThatThrownBy(() -> new Socket(stopped.host(), stopped.port()).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void shouldKeepGeneratedSecretsInTheEnvFileOfItsDirectory(@TempDir Path dir) throws Exception {
        SandboxWorld.Options options = new SandboxWorld.Options(dir, false, "127.0.0.1", 0, 0, 0, 0, Set.of(), Map.of());
        Map<String, String> first;
        try (SandboxWorld world = SandboxWorld.start(options)) {
            first = Map.copyOf(world.env());
        }
        try (SandboxWorld world = SandboxWorld.start(options)) {
            assertThat(world.env().get("TOKEN_ENCRYPTION_KEY")).isEqualTo(first.get("TOKEN_ENCRYPTION_KEY"));
            assertThat(world.env().get("JWT_PRIVATE_KEY")).isEqualTo(first.get("JWT_PRIVATE_KEY"));
            assertThat(world.env().get("SHOPIFY_API_SECRET")).isEqualTo(first.get("SHOPIFY_API_SECRET"));
        }
        Path envFile = SandboxWorld.envFile(dir);
        assertThat(DotEnv.read(envFile)).containsEntry("STATE_TOKEN_SECRET", first.get("STATE_TOKEN_SECRET"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(envFile))).isEqualTo("rw-------");
    }

    @Test
    void overridesShouldWinOverGeneratedSettings(@TempDir Path dir) throws Exception {
        SandboxWorld.Options options = new SandboxWorld.Options(dir, true, "127.0.0.1", 0, 0, 0, 0, Set.of(),
                Map.of("GATEWAY_URL", "http://127.0.0.1:18080", "SHOPIFY_API_KEY", "key-from-test"));
        try (SandboxWorld world = SandboxWorld.start(options)) {
            assertThat(world.env())
                    .containsEntry("SHOPIFY_API_KEY", "key-from-test")
                    .containsEntry("SHOPIFY_REDIRECT_URI", "http://127.0.0.1:18080/shopify/callback");
        }
        assertThat(dir).doesNotExist();
    }

    /**
     * run.sh passes GATEWAY_URL with its SANDBOX_PORT_OFFSET: a later run on the same directory with another offset
     * must move what was made from it (the callback and webhook addresses), not keep the earlier run's ports; a value
     * edited in the env file stays.
     */
    @Test
    void settingsMadeFromTheGatewayUrlShouldFollowItWhenTheOffsetChanges(@TempDir Path dir) throws Exception {
        try (SandboxWorld world = SandboxWorld.start(worldAt(dir, "http://127.0.0.1:8380"))) {
            assertThat(world.env()).containsEntry("SHOPIFY_REDIRECT_URI", "http://127.0.0.1:8380/shopify/callback");
        }
        Path envFile = SandboxWorld.envFile(dir);
        Map<String, String> edited = new java.util.LinkedHashMap<>(DotEnv.read(envFile));
        edited.put("FACEBOOK_WEBHOOK_ADDRESS", "https://tunnel.example/facebook/webhook");
        DotEnv.write(envFile, edited, "edited by hand");

        try (SandboxWorld world = SandboxWorld.start(worldAt(dir, "http://127.0.0.1:8580"))) {
            assertThat(world.env())
                    .containsEntry("GATEWAY_URL", "http://127.0.0.1:8580")
                    .containsEntry("SHOPIFY_REDIRECT_URI", "http://127.0.0.1:8580/shopify/callback")
                    .containsEntry("SHOPIFY_WEBHOOK_ADDRESS", "http://127.0.0.1:8580/shopify/webhook")
                    .containsEntry("FACEBOOK_REDIRECT_URI", "http://127.0.0.1:8580/facebook/callback")
                    .containsEntry("FACEBOOK_WEBHOOK_ADDRESS", "https://tunnel.example/facebook/webhook")
                    .containsEntry("COOKIES_SECURE", "false");
        }
        assertThat(DotEnv.read(envFile)).containsEntry("SHOPIFY_REDIRECT_URI", "http://127.0.0.1:8580/shopify/callback");
    }

    private static SandboxWorld.Options worldAt(Path dir, String gatewayUrl) {
        return new SandboxWorld.Options(dir, false, "127.0.0.1", 0, 0, 0, 0, Set.of(), Map.of("GATEWAY_URL", gatewayUrl));
    }
}
