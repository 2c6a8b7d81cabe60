package io.storefrontsync.worker.job;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How the durable job queue debounces, leases and retries. */
@ConfigMapping(prefix = "storefront.jobs")
public interface JobsConfig {

    /** A webhook job waits this long for more events of the same target before it runs. */
    @WithDefault("2s")
    Duration debounce();

    /** The debounce slides with every new event, but never past this long after the job was created. */
    @WithDefault("10s")
    Duration debounceMaxWait();

    /** Attempts before a job is marked dead. */
    @WithDefault("8")
    int maxAttempts();

    /** Delay before the first retry; doubled per attempt, with jitter, up to {@link #retryMaxBackoff()}. */
    @WithDefault("5s")
    Duration retryInitialBackoff();

    @WithDefault("10m")
    Duration retryMaxBackoff();

    /** How long a claimed job is ours without renewal; a crashed worker's jobs come back after it. */
    @WithDefault("60s")
    Duration lease();

    /**
     * Jobs this instance runs at the same time. 8: a sync mostly waits on Shopify, Graph or Spaces, a large store's
     * sync is parked without a slot while Shopify runs its bulk operation, and a paginated sync (below the bulk
     * threshold) holds at most a few MB of catalog — eight of them fit a 256 MiB heap.
     */
    @WithDefault("8")
    int concurrency();

    /** How often the runner looks for due jobs ({@code off} disables polling, e.g. in tests). */
    @WithDefault("1s")
    String pollInterval();

    /**
     * Readiness ({@code /q/health/ready}, check {@code jobs}) turns DOWN when a due job has waited longer than
     * this and the instance has claimed nothing for as long although it had free slots: it is stuck.
     */
    @WithDefault("30m")
    Duration readyMaxDelay();

    /** How often the {@code storefront_jobs_by_state} gauges are re-read from the table. */
    @WithDefault("15s")
    String gaugeInterval();

    /** Finished jobs (and their {@code GET /jobs/{id}}) are kept this long, then deleted by {@link JobRetention}. */
    @WithDefault("14d")
    Duration retention();

    /** How often {@link JobRetention} looks for finished jobs past {@link #retention()}. */
    @WithDefault("1h")
    String purgeEvery();

    /** Rows per delete statement of {@link JobRetention}. */
    @WithDefault("5000")
    int purgeBatch();
}
