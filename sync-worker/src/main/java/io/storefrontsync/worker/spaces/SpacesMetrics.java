package io.storefrontsync.worker.spaces;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code storefront_spaces_requests_total{op}}: every request sent to Spaces;
 * {@code storefront_spaces_documents_total{outcome=written|skipped}};
 * {@code storefront_spaces_bytes_written_total}.
 */
@ApplicationScoped
public class SpacesMetrics {

    private final MeterRegistry registry;

    public SpacesMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void request(String operation) {
        Counter.builder("storefront.spaces.requests").tag("op", operation).register(registry).increment();
    }

    void written(long bytes) {
        Counter.builder("storefront.spaces.documents").tag("outcome", "written").register(registry).increment();
        // No baseUnit: Micrometer would append it and export storefront_spaces_bytes_written_bytes_total.
        Counter.builder("storefront.spaces.bytes.written").description("Bytes PUT to Spaces").register(registry)
                .increment(bytes);
    }

    void skipped() {
        Counter.builder("storefront.spaces.documents").tag("outcome", "skipped").register(registry).increment();
    }

    /** Requests of one operation so far (tests compare before and after). */
    public double requests(String operation) {
        Counter counter = registry.find("storefront.spaces.requests").tag("op", operation).counter();
        return counter == null ? 0 : counter.count();
    }
}
