package io.storefrontsync.sandbox.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocumentedMetricsTest {

    @Test
    void readsOneServicesRowsAndExpandsTimers(@TempDir Path dir) throws Exception {
        Path doc = dir.resolve("OPERATIONS.md");
        Files.writeString(doc, """
                | metric (labels) | type | meaning |
                |---|---|---|
                | **oauth-gateway** | | |
                | `gateway_outbox_backlog` | gauge | rows |
                | `gateway_webhooks_rejected_total{source, reason}` | counter | refused |
                | **sync-worker** | | |
                | `storefront_jobs_total{event}` | counter | transitions |
                | `storefront_wait_seconds_{count,sum,max}{reason}` | timer | waits |

                | `not_a_metric_table` | x | y |
                """);

        assertThat(DocumentedMetrics.of(doc, "oauth-gateway"))
                .containsExactly("gateway_outbox_backlog", "gateway_webhooks_rejected_total");
        assertThat(DocumentedMetrics.of(doc, "sync-worker")).containsExactly("storefront_jobs_total",
                "storefront_wait_seconds_count", "storefront_wait_seconds_sum", "storefront_wait_seconds_max");
        assertThatThrownBy(() -> DocumentedMetrics.of(doc, "billing")).hasMessageContaining("no metrics documented");
    }

    @Test
    void theRepositorysDocumentListsBothServices() {
        assertThat(DocumentedMetrics.of("oauth-gateway")).contains("gateway_webhooks_received_total")
                .allMatch(name -> name.startsWith("gateway_"));
        assertThat(DocumentedMetrics.of("sync-worker")).contains("storefront_jobs_total",
                        "storefront_shopify_throttle_wait_seconds_max")
                .allMatch(name -> name.startsWith("storefront_"));
    }
}
