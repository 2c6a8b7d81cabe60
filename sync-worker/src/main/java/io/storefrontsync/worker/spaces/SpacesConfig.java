package io.storefrontsync.worker.spaces;

import io.smallrye.config.ConfigMapping;

/**
 * Where the worker keeps its documents in DigitalOcean Spaces. The endpoint, region, keys and path
 * style are the S3 extension's own {@code quarkus.s3.*}, which application.properties fills from the
 * {@code SPACES_*} variables.
 */
@ConfigMapping(prefix = "storefront.spaces")
public interface SpacesConfig {

    /** {@code SPACES_BUCKET}; no default: a worker without a bucket stops at start naming the variable. */
    String bucket();
}
