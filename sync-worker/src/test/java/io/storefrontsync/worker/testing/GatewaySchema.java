package io.storefrontsync.worker.testing;

import io.storefrontsync.common.crypto.TokenAad;
import io.storefrontsync.common.crypto.TokenCipher;
import io.storefrontsync.common.validation.PageId;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

import org.eclipse.microprofile.config.ConfigProvider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The gateway tables the worker reads, created in tests from the gateway's own Flyway scripts, plus
 * helpers to seed connections as the gateway would store them. The scripts are part of the
 * gateway–worker contract and live in {@code common} ({@code db/gateway/V*__*.sql}, the gateway's
 * {@code quarkus.flyway.locations}), so they are on this classpath in common's jar, or its
 * {@code target/classes} when a reactor build has not packaged it yet: both are read.
 */
public final class GatewaySchema {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private GatewaySchema() {
    }

    /** Creates the {@code gateway} schema once per database (idempotent). */
    public static synchronized void ensure(Pool pool) {
        boolean exists = pool.query("SELECT to_regclass('gateway.shopify_connections') IS NOT NULL").execute()
                .await().atMost(TIMEOUT).iterator().next().getBoolean(0);
        if (exists) {
            return;
        }
        StringBuilder sql = new StringBuilder("CREATE SCHEMA IF NOT EXISTS gateway; SET LOCAL search_path TO gateway;\n");
        for (String script : migrations()) {
            sql.append(script).append('\n');
        }
        pool.withTransaction(conn -> conn.query(sql.toString()).execute()).await().atMost(TIMEOUT);
    }

    public static UUID seedUser(Pool pool) {
        UUID user = UUID.randomUUID();
        pool.preparedQuery("INSERT INTO gateway.users (id) VALUES ($1)").execute(Tuple.of(user)).await().atMost(TIMEOUT);
        return user;
    }

    public static void seedShop(Pool pool, UUID user, String shop, String status) {
        pool.preparedQuery("INSERT INTO gateway.shopify_connections (shop, user_id, status) VALUES ($1, $2, $3)")
                .execute(Tuple.of(shop, user, status)).await().atMost(TIMEOUT);
    }

    public static void seedPage(Pool pool, UUID user, String pageId) {
        pool.preparedQuery("INSERT INTO gateway.facebook_pages (page_id, user_id, facebook_user_id) VALUES ($1, $2, '1000')")
                .execute(Tuple.of(pageId, user)).await().atMost(TIMEOUT);
    }

    /**
     * Connects {@code pageId} to {@code user} as the gateway's Facebook callback does: the Page token encrypted
     * with {@code TOKEN_ENCRYPTION_KEY} and the page's AAD. A page already connected (to anyone) is taken over.
     */
    public static void connectPage(Pool pool, UUID user, String pageId, String pageToken) {
        TokenCipher cipher = TokenCipher.fromKeyRing(ConfigProvider.getConfig().getValue("TOKEN_ENCRYPTION_KEY", String.class));
        String encrypted = cipher.encrypt(pageToken, TokenAad.facebookPageToken(new PageId(pageId)));
        pool.preparedQuery("""
                        INSERT INTO gateway.facebook_pages (page_id, user_id, facebook_user_id, page_token_enc, status)
                        VALUES ($1, $2, '1000', $3, 'active')
                        ON CONFLICT (page_id) DO UPDATE SET user_id = EXCLUDED.user_id, page_token_enc = EXCLUDED.page_token_enc,
                            status = 'active', updated_at = now()""")
                .execute(Tuple.of(pageId, user, encrypted)).await().atMost(TIMEOUT);
    }

    public static void setPageStatus(Pool pool, String pageId, String status) {
        pool.preparedQuery("UPDATE gateway.facebook_pages SET status = $2, updated_at = now() WHERE page_id = $1")
                .execute(Tuple.of(pageId, status)).await().atMost(TIMEOUT);
    }

    /** Where the gateway's Flyway finds them too ({@code quarkus.flyway.locations=db/gateway}). */
    private static final String LOCATION = "db/gateway";

    private static List<String> migrations() {
        URL location = GatewaySchema.class.getClassLoader().getResource(LOCATION);
        if (location == null) {
            throw new IllegalStateException(LOCATION + " missing from the test classpath: it comes with the common module");
        }
        try {
            URI uri = location.toURI();
            if (!"jar".equals(uri.getScheme())) {
                return read(Path.of(uri));
            }
            try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                return read(jar.getPath(LOCATION));
            } catch (FileSystemAlreadyExistsException e) {
                return read(FileSystems.getFileSystem(uri).getPath(LOCATION)); // someone else's: theirs to close
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The scripts' text in version order, as Flyway applies them. */
    private static List<String> read(Path directory) throws IOException {
        List<Path> scripts;
        try (Stream<Path> files = Files.list(directory)) {
            scripts = files.filter(p -> p.getFileName().toString().matches("V\\d+__.*\\.sql"))
                    .sorted(Comparator.comparingInt(GatewaySchema::version))
                    .toList();
        }
        List<String> sql = new ArrayList<>();
        for (Path script : scripts) {
            sql.add(Files.readString(script, StandardCharsets.UTF_8));
        }
        return sql;
    }

    private static int version(Path script) {
        String name = script.getFileName().toString();
        return Integer.parseInt(name.substring(1, name.indexOf("__")));
    }
}
