package io.storefrontsync.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.storefrontsync.common.json.CanonicalJson;
import io.storefrontsync.sandbox.testing.EndToEndSystem;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Reads a set of Spaces objects over and over while a fault runs, as the sales bot would, and
 * judges every version it sees: never empty, always JSON, its body hashing to the {@code sha256}
 * metadata the worker wrote with it, and whatever the key's own check demands (e.g. the whole
 * catalog, not a truncated one). A partial write that is visible even for a moment is caught here;
 * the final state alone could hide it.
 */
final class SpacesWatcher implements AutoCloseable {

    /** A check of one parsed object: empty when fine, else what is wrong. */
    interface Check extends Function<JsonNode, Optional<String>> {
    }

    private final S3AsyncClient s3;
    private final String bucket;
    private final Map<String, Check> keys;
    private final Thread thread;
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong unavailable = new AtomicLong();
    private volatile boolean running = true;

    SpacesWatcher(EndToEndSystem system, Map<String, Check> keys) {
        Map<String, String> env = system.env();
        this.bucket = env.get("SPACES_BUCKET");
        this.keys = new LinkedHashMap<>(keys);
        this.s3 = S3AsyncClient.builder()
                .endpointOverride(URI.create(env.get("SPACES_ENDPOINT")))
                .region(Region.of(env.get("SPACES_REGION")))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofSeconds(5)))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        env.get("SPACES_ACCESS_KEY"), env.get("SPACES_SECRET_KEY"))))
                .build();
        this.thread = new Thread(this::watch, "spaces-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void watch() {
        while (running) {
            keys.forEach(this::readOnce);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Reads the object now and records what is wrong with it; answers the body when there is one. */
    Optional<byte[]> readOnce(String key, Check check) {
        ResponseBytes<GetObjectResponse> object;
        try {
            object = s3.getObject(b -> b.bucket(bucket).key(key), AsyncResponseTransformer.toBytes()).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof NoSuchKeyException) {
                violations.add(key + ": missing (it existed before the fault)");
            } else {
                unavailable.incrementAndGet(); // Spaces away: that is the fault, not a finding
            }
            return Optional.empty();
        }
        reads.incrementAndGet();
        byte[] body = object.asByteArray();
        String sha256 = object.response().metadata().get("sha256");
        if (body.length == 0) {
            violations.add(key + ": empty object");
            return Optional.of(body);
        }
        if (!CanonicalJson.sha256Hex(body).equals(sha256)) {
            violations.add(key + ": body of " + body.length + " bytes does not hash to its sha256 metadata " + sha256);
        }
        try {
            check.apply(CanonicalJson.parse(body)).ifPresent(problem -> violations.add(key + ": " + problem));
        } catch (IllegalArgumentException e) {
            violations.add(key + ": not JSON (" + body.length + " bytes): " + e.getMessage());
        }
        return Optional.of(body);
    }

    /** Every key once more, now, with its check. */
    void readAllOnce() {
        keys.forEach(this::readOnce);
    }

    List<String> violations() {
        synchronized (violations) {
            return List.copyOf(violations);
        }
    }

    long reads() {
        return reads.get();
    }

    long unavailableReads() {
        return unavailable.get();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(10_000);
        s3.close();
    }
}
