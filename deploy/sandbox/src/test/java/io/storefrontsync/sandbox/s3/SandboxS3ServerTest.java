package io.storefrontsync.sandbox.s3;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The S3 server speaks the protocol the worker's AWS SDK client uses, and keeps objects on disk. */
class SandboxS3ServerTest {

    private static final String BUCKET = "storefront-sync";

    @TempDir
    Path dir;

    @Test
    void shouldStoreObjectsWithUserMetadataAndKeepThemAcrossRestarts() throws Exception {
        String key = "users/0b6c7f44-1f7e-4a7e-9a51-2f0c2d0c1a11/shopify/demo-shop.myshopify.com/shop_metadata.json";
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
        String key = "users/0b6c7f44-1f7e-4a7e-9a51-2f0c2d0c1a11/shopify/demo-shop.myshopify.com/shop_products.json";
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
