package io.storefrontsync.gateway.page;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * What the merchant's status page shows, also answered as JSON to the page's own poller: the user's shops and
 * Pages and, for each, where its first sync stands as far as the gateway knows. The gateway only knows whether the
 * event asking for it was handed to the sync worker; the sync itself runs there, so nothing here claims it
 * finished. No token, no error text from the delivery.
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
     * gateway keeps trying), {@code handed_over} (the worker accepted it and runs the sync), {@code unknown} (no
     * record left: purged 7 days after delivery). {@code text} is the sentence the page shows.
     */
    public record FirstSync(String state, @JsonProperty("queued_at") OffsetDateTime queuedAt,
                            @JsonProperty("handed_over_at") OffsetDateTime handedOverAt, int attempts, String text) {

        /** Nothing more will change on this page: handed over, or nothing known. */
        @JsonIgnore
        public boolean settled() {
            return "handed_over".equals(state) || "unknown".equals(state);
        }
    }

    /** The page keeps polling while a first sync is still waiting to be handed over. */
    @JsonProperty("settled")
    public boolean settled() {
        return shops.stream().allMatch(s -> s.firstSync().settled()) && pages.stream().allMatch(p -> p.firstSync().settled());
    }

    @JsonIgnore
    public boolean hasActiveShop() {
        return shops.stream().anyMatch(Shop::active);
    }
}
