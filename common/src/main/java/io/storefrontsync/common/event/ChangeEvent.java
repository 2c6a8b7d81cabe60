package io.storefrontsync.common.event;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.storefrontsync.common.validation.Ascii;
import io.storefrontsync.common.validation.InvalidInputException;
import io.storefrontsync.common.validation.PageId;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import java.time.Instant;

/**
 * Something changed upstream and a connection needs a sync; sent by the gateway to the worker.
 *
 * @param eventId dedupe id: Shopify event id (else webhook id), or gateway-generated for
 *     install/login/deletion events
 * @param topic a forwarded upstream topic ({@code products/update}, {@code page/feed}, …) or a lifecycle topic
 *     of {@link EventKind}; {@link #kind()} says which
 * @param userId the user's uuid; optional, the worker resolves it from the shop or page when absent
 * @param shop the {@code *.myshopify.com} domain; required for {@link Source#SHOPIFY}, absent for
 *     Facebook
 * @param pageId required for Facebook events, absent for Shopify
 * @param resourceId optional, e.g. a product GID, so a later single-product patch is possible
 * @param occurredAt when it happened upstream, if the upstream says so
 * @param receivedAt when the gateway received it; required
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChangeEvent(
        String eventId,
        Source source,
        String topic,
        String userId,
        String shop,
        String pageId,
        String resourceId,
        @JsonFormat(shape = JsonFormat.Shape.STRING) Instant occurredAt,
        @JsonFormat(shape = JsonFormat.Shape.STRING) Instant receivedAt) {

    // eventId [A-Za-z0-9._:/@-]{1,128} and topic [a-z0-9_]+(/[a-z0-9_]+)*, checked by Ascii.
    private static final int MAX_TOPIC = 64;
    private static final int MAX_RESOURCE_ID = 256;

    public static ChangeEvent shopify(String eventId, String topic, ShopDomain shop, UserId userId,
            String resourceId, Instant occurredAt, Instant receivedAt) {
        return new ChangeEvent(eventId, Source.SHOPIFY, topic, userId == null ? null : userId.toString(),
                shop == null ? null : shop.value(), null, resourceId, occurredAt, receivedAt);
    }

    public static ChangeEvent facebook(String eventId, String topic, PageId pageId, UserId userId,
            String resourceId, Instant occurredAt, Instant receivedAt) {
        return new ChangeEvent(eventId, Source.FACEBOOK, topic, userId == null ? null : userId.toString(),
                null, pageId == null ? null : pageId.value(), resourceId, occurredAt, receivedAt);
    }

    /** What this event asks of the worker. */
    @JsonIgnore
    public EventKind kind() {
        return EventKind.of(source, topic);
    }

    /**
     * Checks the fields required for this event's source with the shared validators.
     *
     * @return this, for chaining
     * @throws InvalidInputException naming the first field that is wrong
     */
    public ChangeEvent validate() {
        if (eventId == null || !Ascii.DELIVERY_ID.matches(eventId, 1, 128)) {
            throw new InvalidInputException("eventId", "must be 1 to 128 characters of [A-Za-z0-9._:/@-]: "
                    + InvalidInputException.preview(eventId));
        }
        if (source == null) {
            throw new InvalidInputException("source", "is required");
        }
        if (topic == null || topic.length() > MAX_TOPIC || !Ascii.isTopic(topic)) {
            throw new InvalidInputException("topic", "must look like products/update: "
                    + InvalidInputException.preview(topic));
        }
        if (receivedAt == null) {
            throw new InvalidInputException("receivedAt", "is required");
        }
        if (resourceId != null && (resourceId.isEmpty() || resourceId.length() > MAX_RESOURCE_ID)) {
            throw new InvalidInputException("resourceId", "must be 1 to " + MAX_RESOURCE_ID + " characters");
        }
        if (userId != null) {
            UserId.parse(userId);
        }
        switch (source) {
            case SHOPIFY -> {
                if (shop == null) {
                    throw new InvalidInputException("shop", "is required on a Shopify event");
                }
                new ShopDomain(shop); // the canonical full domain only, not a short name
                if (pageId != null) {
                    throw new InvalidInputException("pageId", "must be absent on a Shopify event");
                }
            }
            case FACEBOOK -> {
                if (shop != null) {
                    throw new InvalidInputException("shop", "must be absent on a Facebook event");
                }
                if (pageId == null) {
                    throw new InvalidInputException("pageId", "is required on a Facebook event");
                }
                PageId.parse(pageId);
            }
            default -> throw new IllegalStateException("unhandled source " + source);
        }
        return this;
    }
}
