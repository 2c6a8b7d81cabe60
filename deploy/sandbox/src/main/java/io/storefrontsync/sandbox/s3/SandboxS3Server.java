package io.storefrontsync.sandbox.s3;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * An S3-compatible server (S3Proxy) speaking real S3 over HTTP with AWS Signature V4, objects and
 * their user metadata persisted under a directory, so a second sandbox run sees the first run's
 * documents. Stands in for DigitalOcean Spaces, including its atomic replacement of an object
 * ({@link AtomicObjectsBlobStore}).
 * <p>
 * Fault-injection tests {@link #stop()} it (clients then get connection refused, as when Spaces is
 * unreachable) and {@link #start()} it again: same port, same objects.
 */
public final class SandboxS3Server implements AutoCloseable {

    private final BlobStoreContext context;
    private final BlobStore store;
    private final String host;
    private final String accessKey;
    private final String secretKey;
    /** Fixed by the first start (which may pick a free port), so a restart comes back where clients look. */
    private int port;
    /** Null while stopped. */
    private S3Proxy proxy;

    private SandboxS3Server(BlobStoreContext context, String host, int port, String accessKey, String secretKey) {
        this.context = context;
        this.store = new AtomicObjectsBlobStore(context.getBlobStore());
        this.host = host;
        this.port = port;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    public static SandboxS3Server start(Path baseDir, String host, int port, String accessKey, String secretKey,
                                        String bucket) throws Exception {
        Files.createDirectories(baseDir);
        Properties overrides = new Properties();
        overrides.setProperty("jclouds.filesystem.basedir", baseDir.toAbsolutePath().toString());
        BlobStoreContext context = ContextBuilder.newBuilder("filesystem-nio2")
                .credentials(accessKey, secretKey)
                .overrides(overrides)
                .build(BlobStoreContext.class);
        BlobStore store = context.getBlobStore();
        if (!store.containerExists(bucket)) {
            store.createContainerInLocation(null, bucket);
        }
        SandboxS3Server server = new SandboxS3Server(context, host, port, accessKey, secretKey);
        try {
            server.start();
        } catch (Exception e) {
            context.close();
            throw e;
        }
        return server;
    }

    /** Listens again (no-op when running), on the port of the first start, over the same objects. */
    public synchronized void start() throws Exception {
        if (proxy != null) {
            return;
        }
        S3Proxy started = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://" + host + ":" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .ignoreUnknownHeaders(true)
                .build();
        started.start();
        while (!started.getState().equals("STARTED")) {
            if (started.getState().equals("FAILED")) {
                throw new IllegalStateException("S3 server could not listen on " + host + ":" + port);
            }
            Thread.sleep(10);
        }
        port = started.getPort();
        proxy = started;
    }

    /** Stops listening and drops open connections; the objects stay on disk. No-op when stopped. */
    public synchronized void stop() throws Exception {
        if (proxy == null) {
            return;
        }
        proxy.stop();
        proxy = null;
    }

    public synchronized boolean isRunning() {
        return proxy != null;
    }

    public synchronized int port() {
        return port;
    }

    public String endpoint() {
        return "http://" + host + ":" + port();
    }

    @Override
    public void close() throws Exception {
        stop();
        context.close();
    }
}
