package io.storefrontsync.common.event;

import java.util.Optional;

/**
 * What a {@link ChangeEvent} asks of the worker — the gateway–worker contract in one type. The gateway sends the
 * lifecycle kinds below with their {@link #topic()}; any other topic (Shopify's {@code products/update},
 * {@code collections/create}, …, Facebook's {@code page/feed}, …) is a {@link #CHANGE}: something in the store or
 * Page changed, sync it.
 *
 * <p>The topic string stays the wire format (a forwarded Shopify topic is passed on as Shopify names it); this type
 * is how both sides name and recognise the ones with meaning of their own, so neither writes them as literals.
 */
public enum EventKind {

    /** Something in the store or Page changed: sync the connection. */
    CHANGE(null, null),
    /** Sent by the gateway after a Shopify install stored a fresh token: the first sync. */
    SHOP_INSTALLED(Source.SHOPIFY, "app/installed"),
    /** Shopify's {@code app/uninstalled}: the token is gone, a pending sync is pointless. */
    SHOP_UNINSTALLED(Source.SHOPIFY, "app/uninstalled"),
    /** Shopify's mandatory {@code shop/redact}, 48 h after uninstall: erase the shop's copy. */
    SHOP_REDACT(Source.SHOPIFY, "shop/redact"),
    /** Shopify's mandatory {@code customers/data_request}: nothing to do, no customer data is stored. */
    CUSTOMERS_DATA_REQUEST(Source.SHOPIFY, "customers/data_request"),
    /** Shopify's mandatory {@code customers/redact}: nothing to do, no customer data is stored. */
    CUSTOMERS_REDACT(Source.SHOPIFY, "customers/redact"),
    /**
     * Shopify's {@code bulk_operations/finish}: a bulk operation of the shop ended (completed, failed, cancelled).
     * The shop's job parked on it is due at once instead of at its next status check; nothing is enqueued.
     */
    SHOP_BULK_FINISHED(Source.SHOPIFY, "bulk_operations/finish"),
    /** Sent by the gateway after Facebook Login stored a fresh Page token: clears a "needs login" flag, syncs. */
    PAGE_CONNECTED(Source.FACEBOOK, "page/connected"),
    /**
     * Sent by the gateway when a user's copy of a Page must go: the Page left the user (removed at login, taken
     * over by another user) or Meta's data deletion callback named the Facebook user who connected it (one event
     * per Page, so a deletion never reaches Pages the user connected through another Facebook account).
     */
    PAGE_DELETED(Source.FACEBOOK, "page/deleted");

    private final Source source;
    private final String topic;

    EventKind(Source source, String topic) {
        this.source = source;
        this.topic = topic;
    }

    /** The wire topic of a lifecycle kind; {@link #CHANGE} has none of its own. */
    public String topic() {
        if (topic == null) {
            throw new IllegalStateException(this + " has no topic of its own");
        }
        return topic;
    }

    public Source source() {
        return source;
    }

    /** {@code true} for Shopify's two customer compliance topics, answered without storing or doing anything. */
    public boolean isCustomerCompliance() {
        return this == CUSTOMERS_DATA_REQUEST || this == CUSTOMERS_REDACT;
    }

    /** {@code true} when the event starts a connection's life (its trigger is an install, not a webhook). */
    public boolean isConnect() {
        return this == SHOP_INSTALLED || this == PAGE_CONNECTED;
    }

    /** The kind of an event with this source and topic: a lifecycle kind when both match, otherwise a change. */
    public static EventKind of(Source source, String topic) {
        return lifecycle(source, topic).orElse(CHANGE);
    }

    /** The lifecycle kind named by this Shopify or Facebook topic, if it is one. */
    public static Optional<EventKind> lifecycle(Source source, String topic) {
        for (EventKind kind : KINDS) { // once per webhook and per event taken: a loop, no stream
            if (kind.topic != null && kind.source == source && kind.topic.equals(topic)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }

    private static final EventKind[] KINDS = values();
}
