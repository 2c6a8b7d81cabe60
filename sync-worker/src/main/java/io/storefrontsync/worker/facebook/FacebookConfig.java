package io.storefrontsync.worker.facebook;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Where Graph is and how the page fetcher paces itself against Graph's rate limits. */
@ConfigMapping(prefix = "storefront.facebook")
public interface FacebookConfig {

    /** {@code FACEBOOK_GRAPH_URL}; the sandbox points it at the simulator. */
    @WithDefault("https://graph.facebook.com")
    String graphUrl();

    /** {@code FACEBOOK_GRAPH_VERSION}. */
    @WithDefault("v26.0")
    String graphVersion();

    @WithDefault("10s")
    Duration requestTimeout();

    /** Graph calls per page fetch (first try included) before the job attempt fails and the queue retries it later. */
    @WithDefault("4")
    int maxAttempts();

    /** Wait before the first in-job retry; doubled per retry, with jitter. */
    @WithDefault("2s")
    Duration retryInitialBackoff();

    /**
     * The longest one wait inside a job may be (backoff, {@code estimated_time_to_regain_access} or a usage
     * slowdown). Longer waits are cut to this; if Graph still throttles, the job attempt fails and the
     * queue's own backoff takes over instead of holding a job slot for minutes.
     */
    @WithDefault("60s")
    Duration maxWait();

    /** Usage header percentage (any of call count, CPU time, total time) at which calls slow down. */
    @WithDefault("90")
    int usageSlowdownPercent();

    /** Pause before the next call once usage reached {@link #usageSlowdownPercent()}. */
    @WithDefault("30s")
    Duration usageSlowdownPause();
}
