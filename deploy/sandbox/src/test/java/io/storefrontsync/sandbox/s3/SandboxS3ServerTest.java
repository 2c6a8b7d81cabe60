package io.storefrontsync.sandbox.s3;

import io.storefrontsync.sandbox.DemoShop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The S3 server speaks the protocol the worker's AWS SDK client uses, and keeps objects on disk. */
class SandboxS3ServerTest {

    private static final String BUCKET = "storefront-sync";

    @TempDir
    Path dir;

    @Test
    void shouldStoreObjectsWithUserMetadataAndKeepThemAcrossRestarts() throws Exception {
        String key = "users/0b6c7f44-1f7e-4a7e-9a51-2f0c2d0c1a11/shopify/" + DemoShop.DOMAIN + "/shop_metadata.json";
        byte[] body = "{\"name\":\"Demo\"}".getBytes(StandardCharsets.UTF_8);

        try (SandboxS3Server server = SandboxS3Server.start(dir, "127.0.0.1", 0, "ak", "sk", BUCKET);
             S3Client s3 = client(server.endpoint(), "sk")) {
            s3.putObject(b -> b.bucket(BUCKET).key(key).contentType("application/json").metadata(Map.of("sha256", "abc123")),
                    RequestBody.fromBytes(body));

            HeadObjectResponse head = s3.headObject(b -> b.bucket(BUCKET).key(key));
            assertThat(head.metadata()).containsEntry("sha256", "abc123");
            assertThat(head.contentLength()).isEqualTo(body.length);
            assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray()).isEqualTo(body);
            assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("users/")).contents())
                    .extracting(S3Object::key).containsExactly(key);
        }

        try (SandboxS3Server server = SandboxS3Server.start(dir, "127.0.0.1", 0, "ak", "sk", BUCKET);
             S3Client s3 = client(server.endpoint(), "sk")) {
            assertThat(s3.headObject(b -> b.bucket(BUCKET).key(key)).metadata()).containsEntry("sha256", "abc123");

            s3.deleteObject(b -> b.bucket(BUCKET).key(key));

            assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)))
                    .isInstanceOf(NoSuchKeyException.class);
        }
    }

    @Test
    void shouldRefuseConnectionsWhileStoppedAndComeBackOnTheSamePortWithTheSameObjects() throws Exception {
        String key = "users/0b6c7f44-1f7e-4a7e-9a51-2f0c2d0c1a11/shopify/" + DemoShop.DOMAIN + "/shop_products.json";
        try (SandboxS3Server server = SandboxS3Server.start(dir, "127.0.0.1", 0, "ak", "sk", BUCKET);
             S3Client s3 = client(server.endpoint(), "sk")) {
            String endpoint = server.endpoint();
            s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString("{\"products\":[]}"));

            server.stop();

            assertThat(server.isRunning()).isFalse();
            URI uri = URI.create(endpoint);
            assertThatThrownBy(() -> new Socket(uri.getHost(), uri.getPort()).close()).isInstanceOf(ConnectException.class);

            server.start();

            assertThat(server.endpoint()).isEqualTo(endpoint);
            assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asUtf8String()).isEqualTo("{\"products\":[]}");
        }
    }

    @Test
    void shouldRejectRequestsSignedWithAnotherSecret() throws Exception {
        try (SandboxS3Server server = SandboxS3Server.start(dir, "127.0.0.1", 0, "ak", "sk", BUCKET);
             S3Client s3 = client(server.endpoint(), "wrong-secret")) {
            // A request without a body: with one, the server may refuse before the client finished
            // writing, and the client then reports the broken upload instead of the 403.
            assertThatThrownBy(() -> s3.headBucket(b -> b.bucket(BUCKET)))
                    .isInstanceOf(S3Exception.class)
                    .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(403));
        }
    }

    /**
     * S3 replaces an object atomically: a reader gets the old version or the new one, whole, with its
     * own metadata. S3Proxy's filesystem store reads an object's size and metadata, then opens the file
     * by name, so an overwrite landing in between served the old length over the new bytes (a
     * truncated JSON document) until the server took reads and replacements in turn.
     */
    @Test
    void readersDuringOverwritesShouldSeeOneWholeVersionWithItsOwnMetadata() throws Exception {
        String key = "users/0b6c7f44-1f7e-4a7e-9a51-2f0c2d0c1a11/shopify/" + DemoShop.DOMAIN + "/shop_products.json";
        List<byte[]> versions = List.of(version('a', 300_000), version('b', 900_000), version('c', 40_000));
        try (SandboxS3Server server = SandboxS3Server.start(dir, "127.0.0.1", 0, "ak", "sk", BUCKET);
             S3Client writer = client(server.endpoint(), "sk");
             S3Client reader = client(server.endpoint(), "sk")) {
            put(writer, key, versions.get(0));
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicInteger puts = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                Future<?> overwrites = pool.submit(() -> {
                    while (writing.get()) {
                        put(writer, key, versions.get(puts.incrementAndGet() % versions.size()));
                    }
                    return null;
                });
                List<Future<Integer>> reads = new ArrayList<>();
                for (int r = 0; r < 2; r++) {
                    reads.add(pool.submit(() -> {
                        int n = 0;
                        // At least 4 s, and on until enough reads and overwrites overlapped (a loaded machine
                        // writes slowly): the assertion is about what a reader sees, not about speed.
                        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
                        long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(50);
                        while (System.nanoTime() < end || ((n <= 10 || puts.get() <= 20) && System.nanoTime() < limit)) {
                            ResponseBytes<GetObjectResponse> got = reader.getObjectAsBytes(b -> b.bucket(BUCKET).key(key));
                            byte[] body = got.asByteArray();
                            String sha = sha256(body);
                            assertThat(versions.stream().map(SandboxS3ServerTest::sha256))
                                    .as("read %d: %d bytes, not one of the versions written", n, body.length)
                                    .contains(sha);
                            assertThat(got.response().metadata().get("sha256"))
                                    .as("read %d: the metadata of the version read", n).isEqualTo(sha);
                            assertThat(got.response().contentLength()).as("read %d: Content-Length", n)
                                    .isEqualTo(body.length);
                            n++;
                        }
                        return n;
                    }));
                }
                int total = 0;
                for (Future<Integer> read : reads) {
                    total += read.get(60, TimeUnit.SECONDS);
                }
                writing.set(false);
                overwrites.get(60, TimeUnit.SECONDS);
                assertThat(total).as("reads").isGreaterThan(20);
                assertThat(puts.get()).as("overwrites").isGreaterThan(20);
            } finally {
                writing.set(false);
                pool.shutdownNow();
            }
        }
    }

    private static byte[] version(char fill, int size) {
        byte[] body = new byte[size];
        java.util.Arrays.fill(body, (byte) fill);
        return body;
    }

    private static void put(S3Client s3, String key, byte[] body) {
        s3.putObject(b -> b.bucket(BUCKET).key(key).contentType("application/json").metadata(Map.of("sha256", sha256(body))),
                RequestBody.fromBytes(body));
    }

    private static String sha256(byte[] body) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(body));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static S3Client client(String endpoint, String secret) {
        return S3Client.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.of("nyc3"))
                .forcePathStyle(true)
                // Spaces (like S3Proxy) does not take the SDK's default CRC trailers; the worker sets the same.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("ak", secret)))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }
}
