package io.storefrontsync.gateway.webhook;

import io.storefrontsync.common.event.EventKind;
import io.storefrontsync.common.event.ShopifyResourceIds;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

import java.io.IOException;
import java.time.Instant;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the gateway reads of a Shopify webhook body, checked to be one JSON object and nothing else.
 * <p>
 * Why the shape matters for security: Shopify signs two kinds of message with the app secret — webhook
 * bodies (base64 HMAC-SHA256 of the raw bytes) and the OAuth callback / App URL queries (hex
 * HMAC-SHA256 of the sorted {@code k=v&…} string). Anyone who installs the app on their own store
 * receives a signed query; decoded from hex and re-encoded in base64, its signature verifies over the
 * query string sent as a webhook body. A query string is never a JSON object, and every webhook Shopify
 * sends is one, so a body that is not exactly one JSON object is refused before anything is stored.
 * <p>
 * The body is read in one streaming pass (no tree is built: ingestion is the hot path), bounded in
 * nesting depth, rejected with trailing content or a top-level name given twice. Only a few top-level values are kept: the
 * resource's GID, numeric id and {@code updated_at}, an inventory level's numeric {@code inventory_item_id} and
 * {@code location_id} (for a patch of that one resource, issue #14), and the shop domains Shopify puts in lifecycle
 * payloads.
 */
public record ShopifyWebhookBody(String adminGraphqlApiId, String myshopifyDomain, String shopDomain,
                                 String domain, String id, String updatedAt, String inventoryItemId,
                                 String locationId) {

    /** The topic families whose resource id the worker patches by; {@code updated_at} is forwarded for these. */
    private static final Pattern PATCHED_FAMILY = Pattern.compile("(products|collections|discounts|inventory_levels)/.*");
    /** Families whose id may be made from the body's numeric {@code id} when it has no usable GID (a delete). */
    private static final Pattern NUMERIC_FAMILY = Pattern.compile("(products|collections|locations)/.*");

    /** Shopify's payloads nest a handful of levels (product → variants → options); a hundred is plenty. */
    static final int MAX_NESTING_DEPTH = 100;
    private static final int MAX_KEPT_VALUE = 256;

    /**
     * No parser-wide duplicate detection: it kept a set of names for every nested object the parse only skips (a
     * product's variants, options, images), about 5 % of the gateway's CPU at saturation (#17). Duplicates are refused
     * where the gateway reads: among the top-level names ({@link #parse}).
     */
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
            .build();

    /**
     * @throws WebhookRejectedException 400 {@code invalid_body} when the bytes are not exactly one JSON object
     */
    public static ShopifyWebhookBody parse(byte[] body) {
        String gid = null;
        String myshopify = null;
        String shopDomain = null;
        String domain = null;
        String id = null;
        String updatedAt = null;
        String inventoryItemId = null;
        String locationId = null;
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw invalid();
            }
            Set<String> names = new HashSet<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                if (!names.add(name)) {
                    throw invalid(); // a top-level name twice: which value counts would be the reader's guess
                }
                JsonToken value = parser.nextToken();
                if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    parser.skipChildren(); // still tokenised: malformed or too deep content fails here
                    continue;
                }
                if (value == JsonToken.VALUE_NUMBER_INT) {
                    switch (name) {
                        case "id" -> id = kept(parser.getText());
                        case "inventory_item_id" -> inventoryItemId = kept(parser.getText());
                        case "location_id" -> locationId = kept(parser.getText());
                        default -> {
                            // not needed by the gateway
                        }
                    }
                    continue;
                }
                if (value != JsonToken.VALUE_STRING) {
                    continue;
                }
                switch (name) {
                    case "admin_graphql_api_id" -> gid = kept(parser.getText());
                    case "myshopify_domain" -> myshopify = kept(parser.getText());
                    case "shop_domain" -> shopDomain = kept(parser.getText());
                    case "domain" -> domain = kept(parser.getText());
                    case "updated_at" -> updatedAt = kept(parser.getText());
                    default -> {
                        // not needed by the gateway
                    }
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw invalid();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof WebhookRejectedException rejected) {
                throw rejected;
            }
            throw invalid();
        }
        return new ShopifyWebhookBody(gid, myshopify, shopDomain, domain, id, updatedAt, inventoryItemId, locationId);
    }

    /**
     * The resource id forwarded to the worker, checked against the topic's family ({@link ShopifyResourceIds}):
     * <ul>
     *   <li>{@code products/*}, {@code collections/*}, {@code locations/*}: the body's GID when it is one of that
     *       type, else the GID made from the numeric {@code id} (a {@code products/delete} body has only that);</li>
     *   <li>{@code discounts/*}: the body's GID when it is a discount node's ({@code DiscountAutomaticNode},
     *       {@code DiscountCodeNode}, {@code DiscountNode});</li>
     *   <li>{@code inventory_levels/*}: {@code gid://shopify/InventoryLevel/<location_id>?inventory_item_id=<item>}
     *       made from the two numeric fields (Shopify's own form of that GID), never copied from the body;</li>
     *   <li>{@code shop/update}: none, the event's shop is the resource;</li>
     * </ul>
     * null when the body has no valid one, so the worker syncs the whole shop; for other topics (the lifecycle and
     * bulk ones) the body's {@code admin_graphql_api_id}, as before.
     */
    public String resourceId(String topic) {
        if ("shop/update".equals(topic)) {
            return null;
        }
        if (topic.startsWith("inventory_levels/")) {
            return ShopifyResourceIds.numeric(inventoryItemId) && ShopifyResourceIds.numeric(locationId)
                    ? ShopifyResourceIds.inventoryLevel(inventoryItemId, locationId) : null;
        }
        if (ShopifyResourceIds.patternOf(topic).isEmpty()) {
            return adminGraphqlApiId;
        }
        if (ShopifyResourceIds.matches(topic, adminGraphqlApiId)) {
            return adminGraphqlApiId;
        }
        if (NUMERIC_FAMILY.matcher(topic).matches() && ShopifyResourceIds.numeric(id)) {
            String made = "gid://shopify/" + switch (topic.substring(0, topic.indexOf('/'))) {
                case "products" -> "Product/";
                case "collections" -> "Collection/";
                default -> "Location/";
            } + id;
            return ShopifyResourceIds.matches(topic, made) ? made : null;
        }
        return null;
    }

    /**
     * When the change happened, forwarded so the worker orders a product's changes (an older one never overwrites a
     * newer): for {@code products/*}, {@code collections/*}, {@code discounts/*} and {@code inventory_levels/*} the
     * body's {@code updated_at} (ISO-8601 with offset), else — a delete carries none, or it does not parse —
     * Shopify's trigger time; for other topics the trigger time.
     */
    public Instant occurredAt(String topic, Instant triggeredAt) {
        if (PATCHED_FAMILY.matcher(topic).matches() && updatedAt != null) {
            Instant updated = Rfc3339.instantOrNull(updatedAt);
            return updated != null ? updated : triggeredAt;
        }
        return triggeredAt;
    }

    /**
     * The shop a lifecycle payload names, as Shopify documents it per topic: {@code app/uninstalled}
     * carries the shop resource ({@code myshopify_domain}; {@code domain} is the primary domain, which may
     * be a custom one, so it only stands in when the former is absent); the compliance topics
     * ({@code shop/redact}, {@code customers/*}) carry {@code shop_domain}. Lower case, or null.
     */
    public String namedShop(EventKind kind) {
        String named = kind == EventKind.SHOP_UNINSTALLED
                ? (myshopifyDomain != null ? myshopifyDomain : domain)
                : shopDomain;
        return named == null ? null : named.toLowerCase(Locale.ROOT);
    }

    private static String kept(String value) {
        return value == null || value.isEmpty() || value.length() > MAX_KEPT_VALUE ? null : value;
    }

    private static WebhookRejectedException invalid() {
        return new WebhookRejectedException(400, "invalid_body", "The webhook body must be one JSON object");
    }
}
