package io.storefrontsync.worker.config;

import io.storefrontsync.worker.spaces.Spaces;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The S3 client for Spaces: the extension's configured builder (endpoint, region, credentials,
 * path style, Netty) plus checksums only where an operation requires them. Since AWS SDK 2.30 the
 * default sends CRC32 trailers with every upload (aws-chunked), which DigitalOcean Spaces and
 * S3Proxy reject or store wrongly.
 */
@ApplicationScoped
public class SpacesClientProducer {

    @Produces
    @ApplicationScoped
    @Spaces
    S3AsyncClient spacesClient(S3AsyncClientBuilder configuredBuilder,
                               @ConfigProperty(name = "quarkus.s3.path-style-access") boolean pathStyleAccess) {
        // The SDK refuses checksum settings in both S3Configuration (where the extension puts its
        // checksum-validation flag) and on the client, so the service configuration is replaced by
        // one that carries only what Spaces needs.
        return configuredBuilder
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(pathStyleAccess).build())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    void close(@Disposes @Spaces S3AsyncClient client) {
        client.close();
    }
}
