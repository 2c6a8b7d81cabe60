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
 * documents. Stands in for DigitalOcean Spaces.
 */
public final class SandboxS3Server implements AutoCloseable {

    private final S3Proxy proxy;
    private final BlobStoreContext context;
    private final String host;

    private SandboxS3Server(S3Proxy proxy, BlobStoreContext context, String host) {
        this.proxy = proxy;
        this.context = context;
        this.host = host;
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
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://" + host + ":" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .ignoreUnknownHeaders(true)
                .build();
        proxy.start();
        while (!proxy.getState().equals("STARTED")) {
            Thread.sleep(10);
        }
        return new SandboxS3Server(proxy, context, host);
    }

    public int port() {
        return proxy.getPort();
    }

    public String endpoint() {
        return "http://" + host + ":" + port();
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        context.close();
    }
}
