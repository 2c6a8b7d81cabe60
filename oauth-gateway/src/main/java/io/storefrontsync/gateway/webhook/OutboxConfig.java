package io.storefrontsync.gateway.webhook;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Delivery of outbox rows to the sync worker. */
@ConfigMapping(prefix = "gateway.outbox")
public interface OutboxConfig {

    /**
     * Events per {@code POST /internal/events} (at most). 500, measured against 200 (#17, bench/RESULTS.md): a delivery's
     * fixed costs (statement, commit, service JWT signature, the worker's intake transaction) spread over more events,
     * so after 20 s of saturated ingest the drain was 2.3 s behind instead of 6.2-6.5 s, and a 50,000-event backlog
     * drained at 25,148/s instead of 18,011-18,572/s. Bodies stay far under the worker's 10 MB limit (about 230 KB).
     */
    @WithDefault("500")
    int batchSize();

    /**
     * How often a take looks at the whole undelivered index instead of only above the highest id this instance
     * delivered: the bound on how late a row committed out of id order, or due again after a backoff, is found while
     * deliveries run. Between rescans a take skips the index entries of rows delivered since the last VACUUM, which a
     * scan from the start walks over one by one (#17).
     */
    @WithDefault("1s")
    Duration rescanInterval();

    /** Safety-net poll; new rows are also published right after their transaction commits. */
    @WithDefault("5s")
    Duration pollInterval();

    /**
     * How long a publish run triggered by a commit waits before it claims, so the rows of the webhooks arriving
     * meanwhile travel in the same delivery. Without it every ingest batch (a few webhooks at moderate rates) cost
     * its own claim, HTTP call, service JWT and worker intake, whose commits then competed with ingest's for the
     * disk's flush (issue #17: at 500/s, 135 deliveries a second). The worker debounces changes for seconds, so
     * a few milliseconds here do not delay an object. {@code 0} publishes at once.
     */
    @WithDefault("25ms")
    Duration linger();

    /**
     * The longest a delivery's transaction may stay idle while it holds its rows (waiting for the worker): PostgreSQL
     * ends it past this ({@code idle_in_transaction_session_timeout}, that transaction only) and the rows are due
     * again. Longer than the worker client's read timeout (15 s), so only a frozen or cut-off gateway reaches it.
     */
    @WithDefault("30s")
    Duration lease();

    /** Delay after the first failed attempt; doubled per attempt, with jitter. */
    @WithDefault("1s")
    Duration initialBackoff();

    /** Longest delay between two attempts; a row is retried at this interval forever, never dropped. */
    @WithDefault("5m")
    Duration maxBackoff();

    /** Lifetime of the service JWT sent to the worker. */
    @WithDefault("60s")
    Duration tokenLifetime();

    /** Delivered rows are kept this long (for inspection), then purged. */
    @WithDefault("7d")
    Duration deliveredRetention();
}
