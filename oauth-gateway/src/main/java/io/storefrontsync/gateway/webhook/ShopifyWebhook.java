package io.storefrontsync.gateway.webhook;

import io.storefrontsync.common.event.EventKind;
import io.storefrontsync.common.event.Source;
import io.storefrontsync.common.signature.ShopifyWebhookVerifier;
import io.storefrontsync.common.signature.SignatureVerificationException;
import io.storefrontsync.common.validation.Ascii;
import io.storefrontsync.common.validation.InvalidInputException;
import io.storefrontsync.common.validation.ShopDomain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A Shopify webhook delivery whose HMAC and required headers were checked, in the order Shopify's
 * own library ({@code @shopify/shopify-api} {@code webhooks.validate} + {@code process}) uses:
 * no body → 400, no HMAC header → 400, HMAC mismatch → 401, then any other required header missing
 * → 400. A delivery that fails the HMAC is never looked at further.
 * <p>
 * Then the body: it must be one JSON object ({@link ShopifyWebhookBody} says why: the same secret signs
 * OAuth queries), and a lifecycle topic must name in its signed body the shop its unsigned
 * {@code X-Shopify-Shop-Domain} header names — the HMAC covers the body, not the headers, so the shop a
 * deletion acts on is taken from what Shopify signed. Either refusal is a 400 and nothing is stored.
 */
public record ShopifyWebhook(String topic, ShopDomain shop, String apiVersion, String webhookId, String eventId,
                             Instant triggeredAt, ShopifyWebhookBody body) {

    public static final String HMAC = "X-Shopify-Hmac-Sha256";
    public static final String TOPIC = "X-Shopify-Topic";
    public static final String SHOP_DOMAIN = "X-Shopify-Shop-Domain";
    public static final String API_VERSION = "X-Shopify-API-Version";
    public static final String WEBHOOK_ID = "X-Shopify-Webhook-Id";
    public static final String EVENT_ID = "X-Shopify-Event-Id";
    public static final String TRIGGERED_AT = "X-Shopify-Triggered-At";

    /** Topics that delete or record something about the shop itself: their body must name the header's shop. */
    private static final Set<EventKind> LIFECYCLE = EnumSet.of(EventKind.SHOP_UNINSTALLED, EventKind.SHOP_REDACT,
            EventKind.CUSTOMERS_DATA_REQUEST, EventKind.CUSTOMERS_REDACT);

    // Same alphabets as ChangeEvent's eventId and topic, so whatever is accepted here can be forwarded:
    // [A-Za-z0-9._:/@-]{1,128}, [a-z0-9_]+(/[a-z0-9_]+)* (at most 64) and [A-Za-z0-9-]{1,32}, checked by Ascii.

    /**
     * @param headers the request's header of a name, or null; a repeated header's values joined by commas
     * @throws WebhookRejectedException 400 or 401 with a reason tag usable as a metric label
     */
    public static ShopifyWebhook verify(byte[] body, UnaryOperator<String> headers, String secret) {
        if (body == null || body.length == 0) {
            throw new WebhookRejectedException(400, "missing_body", "No body was received with the webhook");
        }
        String hmac = header(headers, HMAC);
        if (hmac == null) {
            throw new WebhookRejectedException(400, "missing_hmac", "Missing HMAC header " + HMAC);
        }
        try {
            ShopifyWebhookVerifier.verify(body, hmac, secret);
        } catch (SignatureVerificationException e) {
            throw new WebhookRejectedException(401, "invalid_hmac", "Could not validate the webhook HMAC: " + e.getMessage());
        }
        List<String> missing = new ArrayList<>();
        String topic = required(headers, TOPIC, missing);
        String domain = required(headers, SHOP_DOMAIN, missing);
        String apiVersion = required(headers, API_VERSION, missing);
        String webhookId = required(headers, WEBHOOK_ID, missing);
        if (!missing.isEmpty()) {
            throw new WebhookRejectedException(400, "missing_headers",
                    "Missing one or more of the required HTTP headers to process webhooks: " + missing);
        }
        ShopDomain shop;
        try {
            shop = new ShopDomain(domain);
        } catch (InvalidInputException e) {
            throw new WebhookRejectedException(400, "invalid_shop", e.getMessage());
        }
        String eventId = header(headers, EVENT_ID);
        check(Ascii.isTopic(topic) && topic.length() <= 64, TOPIC);
        check(Ascii.VERSION.matches(apiVersion, 1, 32), API_VERSION);
        check(Ascii.DELIVERY_ID.matches(webhookId, 1, 128), WEBHOOK_ID);
        check(eventId == null || Ascii.DELIVERY_ID.matches(eventId, 1, 128), EVENT_ID);
        ShopifyWebhookBody content = ShopifyWebhookBody.parse(body);
        EventKind kind = EventKind.of(Source.SHOPIFY, topic);
        if (LIFECYCLE.contains(kind) && !shop.value().equals(content.namedShop(kind))) {
            throw new WebhookRejectedException(400, "shop_mismatch",
                    "The " + topic + " body does not name the shop of " + SHOP_DOMAIN);
        }
        return new ShopifyWebhook(topic, shop, apiVersion, webhookId, eventId,
                instantOrNull(header(headers, TRIGGERED_AT)), content);
    }

    /** Event id when Shopify sends one (stable across the webhook's subscriptions), else the webhook id. */
    public String deliveryId() {
        return eventId != null ? eventId : webhookId;
    }

    public String dedupeKey() {
        return "shopify:" + deliveryId();
    }

    /** What this topic asks of the worker: {@link EventKind#CHANGE} unless it is one of Shopify's lifecycle topics. */
    public EventKind kind() {
        return EventKind.of(Source.SHOPIFY, topic);
    }

    private static void check(boolean ok, String header) {
        if (!ok) {
            throw new WebhookRejectedException(400, "invalid_headers", "Header " + header + " has an invalid format");
        }
    }

    private static String required(UnaryOperator<String> headers, String name, List<String> missing) {
        String value = header(headers, name);
        if (value == null) {
            missing.add(name);
        }
        return value;
    }

    private static String header(UnaryOperator<String> headers, String name) {
        String value = headers.apply(name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static Instant instantOrNull(String value) {
        return Rfc3339.instantOrNull(value); // informational only: null when it does not parse
    }
}
