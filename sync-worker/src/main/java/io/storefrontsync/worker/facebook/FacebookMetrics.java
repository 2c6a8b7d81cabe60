package io.storefrontsync.worker.facebook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code storefront_facebook_requests_total{outcome=ok|rate_limited|token_invalid|server_error|error|io_error}}:
 * every Graph call; {@code storefront_facebook_rate_limited_total{code}}: rate-limit answers by Graph code;
 * {@code storefront_facebook_slowdowns_total}: waits taken because a usage header neared the limit.
 */
@ApplicationScoped
public class FacebookMetrics {

    private final MeterRegistry registry;

    public FacebookMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void request(String outcome) {
        Counter.builder("storefront.facebook.requests").description("Graph API calls").tag("outcome", outcome)
                .register(registry).increment();
    }

    void rateLimited(int code) {
        Counter.builder("storefront.facebook.rate.limited").description("Graph rate-limit answers")
                .tag("code", String.valueOf(code)).register(registry).increment();
    }

    void slowedDown() {
        Counter.builder("storefront.facebook.slowdowns").description("Waits before a call because usage was high")
                .register(registry).increment();
    }

    /** Calls with one outcome so far (tests compare before and after). */
    public double requests(String outcome) {
        Counter counter = registry.find("storefront.facebook.requests").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }
}
