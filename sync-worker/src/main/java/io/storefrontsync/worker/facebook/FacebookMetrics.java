package io.storefrontsync.worker.facebook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/**
 * {@code storefront_facebook_requests_total{outcome=ok|rate_limited|token_invalid|server_error|error|io_error}}:
 * every Graph call; {@code storefront_facebook_rate_limited_total{code}}: rate-limit answers by Graph code;
 * {@code storefront_facebook_slowdowns_total}: waits taken because a usage header neared the limit;
 * {@code storefront_facebook_pages_fetched_total}: Page nodes read; {@code storefront_facebook_wait_seconds_{count,sum,max}
 * {reason=usage|retry}}: pauses before a call, for high usage or before retrying a failed one.
 */
@ApplicationScoped
public class FacebookMetrics {

    private final MeterRegistry registry;
    private final Counter slowdowns;
    private final Counter pagesFetched;

    /** The counters without labels exist from the start, so a scrape shows them at 0 rather than not at all. */
    public FacebookMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.slowdowns = Counter.builder("storefront.facebook.slowdowns")
                .description("Waits before a call because usage was high").register(registry);
        this.pagesFetched = Counter.builder("storefront.facebook.pages.fetched").description("Page nodes read from Graph")
                .register(registry);
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
        slowdowns.increment();
    }

    void pageFetched() {
        pagesFetched.increment();
    }

    void waited(String reason, Duration pause) {
        Timer.builder("storefront.facebook.wait").description("Pauses before Graph calls (usage near the limit, retries)")
                .tag("reason", reason).register(registry).record(pause);
    }

    /** Calls with one outcome so far (tests compare before and after). */
    public double requests(String outcome) {
        Counter counter = registry.find("storefront.facebook.requests").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }
}
