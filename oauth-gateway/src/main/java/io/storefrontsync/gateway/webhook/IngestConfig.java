package io.storefrontsync.gateway.webhook;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * Group commit of webhook changes ({@link IngestBatcher}): how long the first change of an idle batcher waits for
 * company, and how many changes one statement carries at most. The defaults were chosen with the benchmark
 * ({@code bench/RESULTS.md}, "batch window and size").
 */
@ConfigMapping(prefix = "gateway.ingest")
public interface IngestConfig {

    /**
     * How long an idle batcher waits after the first change before writing (whole milliseconds; {@code 0}: the next
     * turn of the event loop). While a batch is being committed the next one collects anyway, so this only costs
     * latency when traffic is light, and it is what lets a light burst share one commit.
     */
    @WithDefault("1ms")
    Duration batchWindow();

    /** Changes written by one statement at most; a delivery's changes (a Page webhook's entries) are never split. */
    @WithDefault("256")
    int batchSize();
}
