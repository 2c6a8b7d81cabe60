package io.storefrontsync.gateway.page;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * What the merchant's status page shows, also answered as JSON to the page's own poller: the user's shops and
 * Pages and, for each, where its first sync stands: whether the event asking for it was handed to the sync worker
 * (the gateway's outbox) and then how far the worker's job is (its queue, read by {@link FirstSyncJobs}). No token,
 * no error text from the delivery or the job.
 */
public record MerchantStatus(@JsonProperty("user_uuid") String userUuid, List<Shop> shops, List<Page> pages) {

    /** A shop of {@code gateway.shopify_connections}: {@code status} is {@code active}, {@code needs_reinstall}, {@code uninstalled}. */
    public record Shop(String shop, String status, @JsonProperty("first_sync") FirstSync firstSync) {

        @JsonIgnore
        public boolean active() {
            return "active".equals(status);
        }

        @JsonIgnore
        public String statusText() {
            return switch (status) {
                case "active" -> "connected";
                case "needs_reinstall" -> "needs to be reinstalled: Shopify no longer accepts our access";
                case "uninstalled" -> "the app was uninstalled from this store";
                default -> status;
            };
        }
    }

    /** A Page of {@code gateway.facebook_pages}. */
    public record Page(String id, String name, String status, @JsonProperty("first_sync") FirstSync firstSync) {

        @JsonIgnore
        public String statusText() {
            return "active".equals(status) ? "connected" : status;
        }
    }

    /**
     * {@code state}: {@code queued} (not handed over yet), {@code retrying} (the worker did not accept it yet; the
     * gateway keeps trying), {@code handed_over} (the worker accepted it; its job is not readable here), then, from the
     * worker's job ({@link FirstSyncJobs}): {@code syncing} (waiting to start, running, waiting for Shopify's bulk
     * export, or retried after an error), {@code synced}, {@code failed} (for good), {@code cancelled} (the app was
     * uninstalled first); {@code unknown} (no record left: purged 7 days after delivery). While syncing, {@code phase}
     * is the worker's ({@code shop}, {@code products}, {@code bulk_operation}, {@code bulk_download}, {@code writing})
     * and {@code products_read} of {@code products_total} how far the read is; once synced, {@code products_read} the
     * products copied. {@code text} is the sentence the page shows.
     */
    public record FirstSync(String state, @JsonProperty("queued_at") OffsetDateTime queuedAt,
                            @JsonProperty("handed_over_at") OffsetDateTime handedOverAt, int attempts, String text,
                            String phase, @JsonProperty("products_read") Integer productsRead,
                            @JsonProperty("products_total") Integer productsTotal,
                            @JsonProperty("finished_at") OffsetDateTime finishedAt) {

        public FirstSync(String state, OffsetDateTime queuedAt, OffsetDateTime handedOverAt, int attempts, String text) {
            this(state, queuedAt, handedOverAt, attempts, text, null, null, null, null);
        }

        /** Nothing more will change on this page: finished one way or another, or nothing more to learn. */
        @JsonIgnore
        public boolean settled() {
            return switch (state) {
                case "handed_over", "unknown", "synced", "failed", "cancelled" -> true;
                default -> false;
            };
        }
    }

    /** The page keeps polling while a first sync is still waiting to be handed over, or running. */
    @JsonProperty("settled")
    public boolean settled() {
        return shops.stream().allMatch(s -> s.firstSync().settled()) && pages.stream().allMatch(p -> p.firstSync().settled());
    }

    @JsonIgnore
    public boolean hasActiveShop() {
        return shops.stream().anyMatch(Shop::active);
    }
}
