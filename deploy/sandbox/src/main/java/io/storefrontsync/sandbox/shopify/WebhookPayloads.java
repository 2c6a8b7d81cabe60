package io.storefrontsync.sandbox.shopify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Webhook bodies in the REST resource shape Shopify sends for JSON subscriptions (snake_case,
 * numeric ids, {@code admin_graphql_api_id}), built from the fixture objects.
 */
final class WebhookPayloads {

    private WebhookPayloads() {
    }

    /** {@code products/update} → {@code PRODUCTS_UPDATE}. */
    static String topicEnum(String topic) {
        return topic.toUpperCase(Locale.ROOT).replace('/', '_');
    }

    /** {@code PRODUCTS_UPDATE} → {@code products/update}: the last underscore separates the action. */
    static String topicHeader(String topicEnum) {
        int cut = topicEnum.lastIndexOf('_');
        String lower = topicEnum.toLowerCase(Locale.ROOT);
        return cut < 0 ? lower : lower.substring(0, cut) + "/" + lower.substring(cut + 1);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> product(Map<String, Object> p) {
        long id = FixtureIds.numeric((String) p.get("id"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("admin_graphql_api_id", p.get("id"));
        out.put("body_html", p.get("descriptionHtml"));
        out.put("created_at", p.get("createdAt"));
        out.put("handle", p.get("handle"));
        out.put("id", id);
        out.put("product_type", p.get("productType"));
        out.put("published_at", p.get("publishedAt"));
        out.put("template_suffix", null);
        out.put("title", p.get("title"));
        out.put("updated_at", p.get("updatedAt"));
        out.put("vendor", p.get("vendor"));
        out.put("status", ((String) p.get("status")).toLowerCase(Locale.ROOT));
        out.put("published_scope", "global");
        out.put("tags", String.join(", ", (List<String>) p.get("tags")));
        List<Map<String, Object>> variants = new ArrayList<>();
        List<Map<String, Object>> variantGids = new ArrayList<>();
        for (Map<String, Object> v : FixtureStore.variants(p)) {
            Map<String, Object> item = (Map<String, Object>) v.get("inventoryItem");
            Map<String, Object> variant = new LinkedHashMap<>();
            variant.put("admin_graphql_api_id", v.get("id"));
            variant.put("barcode", v.get("barcode"));
            variant.put("compare_at_price", v.get("compareAtPrice"));
            variant.put("created_at", v.get("createdAt"));
            variant.put("id", FixtureIds.numeric((String) v.get("id")));
            variant.put("inventory_policy", "deny");
            variant.put("position", v.get("position"));
            variant.put("price", v.get("price"));
            variant.put("product_id", id);
            variant.put("sku", v.get("sku"));
            variant.put("taxable", true);
            variant.put("title", v.get("title"));
            variant.put("updated_at", v.get("updatedAt"));
            List<Map<String, Object>> selected = (List<Map<String, Object>>) v.get("selectedOptions");
            variant.put("option1", selected.isEmpty() ? null : selected.get(0).get("value"));
            variant.put("option2", null);
            variant.put("option3", null);
            variant.put("image_id", null);
            variant.put("inventory_item_id", FixtureIds.numeric((String) item.get("id")));
            variant.put("inventory_quantity", v.get("inventoryQuantity"));
            variant.put("old_inventory_quantity", v.get("inventoryQuantity"));
            variants.add(variant);
            Map<String, Object> gid = new LinkedHashMap<>();
            gid.put("admin_graphql_api_id", v.get("id"));
            gid.put("updated_at", v.get("updatedAt"));
            variantGids.add(gid);
        }
        out.put("variants", variants);
        List<Map<String, Object>> options = new ArrayList<>();
        for (Map<String, Object> o : (List<Map<String, Object>>) p.get("options")) {
            Map<String, Object> option = new LinkedHashMap<>();
            option.put("name", o.get("name"));
            option.put("id", FixtureIds.numeric((String) o.get("id")));
            option.put("product_id", id);
            option.put("position", o.get("position"));
            option.put("values", o.get("values"));
            options.add(option);
        }
        out.put("options", options);
        out.put("images", List.of());
        out.put("image", null);
        out.put("media", List.of());
        out.put("variant_gids", variantGids);
        out.put("has_variants_that_requires_components", false);
        out.put("category", null);
        return out;
    }

    static Map<String, Object> productDeleted(Map<String, Object> p) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", FixtureIds.numeric((String) p.get("id")));
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> inventoryLevel(Map<String, Object> level) {
        Map<String, Object> item = (Map<String, Object>) level.get("item");
        Map<String, Object> location = (Map<String, Object>) level.get("location");
        Map<String, Object> quantities = (Map<String, Object>) level.get("quantitiesByName");
        long itemId = FixtureIds.numeric((String) item.get("id"));
        long locationId = FixtureIds.numeric((String) location.get("id"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("inventory_item_id", itemId);
        out.put("location_id", locationId);
        out.put("available", quantities.get("available"));
        out.put("updated_at", level.get("updatedAt"));
        out.put("admin_graphql_api_id", "gid://shopify/InventoryLevel/" + locationId + "?inventory_item_id=" + itemId);
        return out;
    }

    /** {@code inventory_levels/disconnect}: only the two ids, the level no longer exists. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> inventoryLevelDisconnected(Map<String, Object> level) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("inventory_item_id", FixtureIds.numeric((String) ((Map<String, Object>) level.get("item")).get("id")));
        out.put("location_id", FixtureIds.numeric((String) ((Map<String, Object>) level.get("location")).get("id")));
        return out;
    }

    /** {@code collections/delete}: the id, the published scope and the GraphQL id. */
    static Map<String, Object> collectionDeleted(Map<String, Object> c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", FixtureIds.numeric((String) c.get("id")));
        out.put("published_scope", "global");
        out.put("admin_graphql_api_id", c.get("id"));
        return out;
    }

    /** {@code discounts/delete}: the discount node's GraphQL id and when it was deleted. */
    static Map<String, Object> discountDeleted(Map<String, Object> node, java.time.Instant at) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("admin_graphql_api_id", node.get("id"));
        out.put("deleted_at", FixtureGenerator.timestamp(at));
        return out;
    }

    /** {@code locations/create|update}: the REST Location resource. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> location(Map<String, Object> l) {
        Map<String, Object> address = (Map<String, Object>) l.get("address");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", FixtureIds.numeric((String) l.get("id")));
        out.put("name", l.get("name"));
        out.put("address1", address.get("address1"));
        out.put("address2", null);
        out.put("city", address.get("city"));
        out.put("zip", address.get("zip"));
        out.put("province", null);
        out.put("country", address.get("countryCode"));
        out.put("phone", null);
        out.put("created_at", l.get("createdAt"));
        out.put("updated_at", l.get("updatedAt"));
        out.put("country_code", address.get("countryCode"));
        out.put("country_name", address.get("country"));
        out.put("province_code", null);
        out.put("legacy", false);
        out.put("active", l.get("isActive"));
        out.put("admin_graphql_api_id", l.get("id"));
        return out;
    }

    /** {@code locations/delete}: only the id. */
    static Map<String, Object> locationDeleted(Map<String, Object> l) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", FixtureIds.numeric((String) l.get("id")));
        return out;
    }

    static Map<String, Object> collection(Map<String, Object> c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", FixtureIds.numeric((String) c.get("id")));
        out.put("handle", c.get("handle"));
        out.put("title", c.get("title"));
        out.put("updated_at", c.get("updatedAt"));
        out.put("body_html", c.get("descriptionHtml"));
        out.put("published_at", FixtureGenerator.EPOCH.toString());
        out.put("sort_order", "best-selling");
        out.put("template_suffix", null);
        out.put("published_scope", "global");
        out.put("admin_graphql_api_id", c.get("id"));
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> discount(Map<String, Object> node) {
        Map<String, Object> discount = (Map<String, Object>) node.get("discount");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("admin_graphql_api_id", node.get("id"));
        out.put("title", discount.get("title"));
        out.put("status", discount.get("status"));
        out.put("created_at", discount.get("createdAt"));
        out.put("updated_at", discount.get("updatedAt"));
        return out;
    }

    /**
     * {@code bulk_operations/finish}: Shopify's fields in its order, with {@code status} and
     * {@code error_code} lower-case (unlike the GraphQL object); no URL, the app reads it with
     * {@code bulkOperation(id:)}. {@code completed_at} is null unless the operation completed.
     */
    static Map<String, Object> bulkOperationFinish(BulkOperation operation) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("admin_graphql_api_id", operation.id);
        out.put("completed_at", operation.completedAt == null ? null : operation.completedAt.toString());
        out.put("created_at", operation.createdAt.toString());
        out.put("error_code", BulkOperation.lower(operation.errorCode));
        out.put("status", BulkOperation.lower(operation.status));
        out.put("type", "query");
        return out;
    }

    /** The three mandatory compliance topics, sent to the app's configured compliance URL. */
    static Map<String, Object> compliance(String topic, Map<String, Object> s, long sequence) {
        long shopId = FixtureIds.numeric((String) s.get("id"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("shop_id", shopId);
        out.put("shop_domain", s.get("myshopifyDomain"));
        if (!topic.equals("shop/redact")) {
            Map<String, Object> customer = new LinkedHashMap<>();
            customer.put("id", 7_000_000_000L + sequence);
            customer.put("email", "customer" + sequence + "@example.com");
            customer.put("phone", "+1555010" + String.format(Locale.ROOT, "%04d", sequence % 10_000));
            out.put("customer", customer);
            if (topic.equals("customers/redact")) {
                out.put("orders_to_redact", List.of(5_000_000_000L + sequence));
            } else {
                out.put("orders_requested", List.of(5_000_000_000L + sequence));
                out.put("data_request", Map.of("id", 9_000 + sequence));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> shop(Map<String, Object> s) {
        Map<String, Object> domain = (Map<String, Object>) s.get("primaryDomain");
        Map<String, Object> plan = (Map<String, Object>) s.get("plan");
        Map<String, Object> address = (Map<String, Object>) s.get("billingAddress");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", FixtureIds.numeric((String) s.get("id")));
        out.put("name", s.get("name"));
        out.put("email", s.get("email"));
        out.put("domain", domain.get("host"));
        out.put("province", address.get("province"));
        out.put("country", address.get("countryCodeV2"));
        out.put("address1", address.get("address1"));
        out.put("zip", address.get("zip"));
        out.put("city", address.get("city"));
        out.put("phone", address.get("phone"));
        out.put("created_at", s.get("createdAt"));
        out.put("updated_at", s.get("updatedAt"));
        out.put("country_code", address.get("countryCodeV2"));
        out.put("country_name", address.get("country"));
        out.put("currency", s.get("currencyCode"));
        out.put("customer_email", s.get("contactEmail"));
        out.put("timezone", "(GMT-05:00) America/New_York");
        out.put("iana_timezone", s.get("ianaTimezone"));
        out.put("shop_owner", s.get("shopOwnerName"));
        out.put("money_format", "${{amount}}");
        out.put("weight_unit", "kg");
        out.put("plan_display_name", plan.get("publicDisplayName"));
        out.put("plan_name", "basic");
        out.put("myshopify_domain", s.get("myshopifyDomain"));
        out.put("primary_locale", "en");
        out.put("taxes_included", false);
        out.put("has_storefront", true);
        return out;
    }
}
