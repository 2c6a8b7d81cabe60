package io.storefrontsync.sandbox.shopify;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Builds a shop's catalogue from the seed: the same seed and sizes give the same store, byte for
 * byte, so sync output hashes are reproducible across runs. Objects are maps keyed by Admin GraphQL
 * field names; cross references (variant → product, level → location) point at the same maps.
 */
final class FixtureGenerator {

    static final Instant EPOCH = Instant.parse("2024-01-01T00:00:00Z");

    private static final String[] ADJECTIVES = {"Classic", "Organic", "Vintage", "Urban", "Alpine", "Coastal",
        "Everyday", "Premium", "Handmade", "Minimal", "Rustic", "Sport"};
    private static final String[] MATERIALS = {"Cotton", "Linen", "Wool", "Leather", "Canvas", "Bamboo", "Ceramic",
        "Oak", "Steel", "Denim"};
    private static final String[] NOUNS = {"T-Shirt", "Hoodie", "Tote Bag", "Mug", "Cap", "Scarf", "Backpack",
        "Notebook", "Sneaker", "Jacket", "Candle", "Bottle"};
    private static final String[] VENDORS = {"Northwind Supply", "Acme Goods", "Blue Harbor", "Fjord & Co",
        "Sunday Studio"};
    private static final String[] OPTION_VALUES = {"S", "M", "L", "XL", "XXL", "3XL", "4XL", "5XL"};
    private static final String[] COLORS = {"Black", "White", "Navy", "Olive", "Sand", "Red", "Grey", "Teal"};
    private static final String[] CITIES = {"Toronto", "Berlin", "Lisbon", "Austin", "Melbourne", "Osaka"};

    private final ShopifySimulator.Config config;
    private final String domain;
    private final int shopIndex;
    private final Random random;

    private long nextVariant;
    private long nextMetafield;

    FixtureGenerator(ShopifySimulator.Config config, String domain, int shopIndex) {
        this.config = config;
        this.domain = domain;
        this.shopIndex = shopIndex;
        this.random = new Random(config.seed() * 31 + domain.hashCode());
        long base = shopIndex * 1_000_000L;
        this.nextVariant = 44_000_000_000_000L + base * 10;
        this.nextMetafield = 25_000_000_000_000L + base * 10;
    }

    static String timestamp(Instant instant) {
        return instant.toString();
    }

    int shopIndex() {
        return shopIndex;
    }

    String shortName() {
        return domain.endsWith(".myshopify.com") ? domain.substring(0, domain.length() - ".myshopify.com".length())
                : domain;
    }

    Map<String, Object> shop() {
        String name = titleCase(shortName().replace('-', ' '));
        Map<String, Object> shop = node("Shop", FixtureIds.gid("Shop", 60_000_000_000L + shopIndex + 1));
        shop.put("name", name);
        shop.put("email", "owner@" + shortName() + ".example");
        shop.put("contactEmail", "support@" + shortName() + ".example");
        shop.put("shopOwnerName", "Sam Sandbox");
        shop.put("description", name + " — a simulated Shopify store for Storefront Sync.");
        shop.put("myshopifyDomain", domain);
        Map<String, Object> primaryDomain = node("Domain", FixtureIds.gid("Domain", 90_000_000_000L + shopIndex + 1));
        primaryDomain.put("host", shortName() + ".example");
        primaryDomain.put("url", "https://" + shortName() + ".example");
        primaryDomain.put("sslEnabled", true);
        shop.put("primaryDomain", primaryDomain);
        shop.put("url", "https://" + shortName() + ".example");
        shop.put("currencyCode", "USD");
        shop.put("enabledPresentmentCurrencies", List.of("USD"));
        shop.put("ianaTimezone", "America/New_York");
        shop.put("timezoneAbbreviation", "EST");
        shop.put("timezoneOffset", "-0500");
        shop.put("timezoneOffsetMinutes", -300);
        shop.put("weightUnit", "KILOGRAMS");
        shop.put("unitSystem", "METRIC_SYSTEM");
        shop.put("taxesIncluded", false);
        shop.put("createdAt", timestamp(EPOCH.minusSeconds(86_400L * 400)));
        shop.put("updatedAt", timestamp(EPOCH));
        Map<String, Object> plan = new LinkedHashMap<>();
        plan.put("displayName", "Basic");
        plan.put("publicDisplayName", "Basic");
        plan.put("partnerDevelopment", false);
        plan.put("shopifyPlus", false);
        shop.put("plan", plan);
        Map<String, Object> address = node("ShopAddress", FixtureIds.gid("ShopAddress", 70_000_000_000L + shopIndex));
        address.put("address1", "150 Elgin Street");
        address.put("city", "Ottawa");
        address.put("province", "Ontario");
        address.put("provinceCode", "ON");
        address.put("country", "Canada");
        address.put("countryCodeV2", "CA");
        address.put("zip", "K2P 1L4");
        address.put("phone", "+16135550100");
        shop.put("billingAddress", address);
        Map<String, Object> formats = new LinkedHashMap<>();
        formats.put("moneyFormat", "${{amount}}");
        formats.put("moneyWithCurrencyFormat", "${{amount}} USD");
        shop.put("currencyFormats", formats);
        return shop;
    }

    List<Map<String, Object>> locations() {
        List<Map<String, Object>> locations = new ArrayList<>();
        for (int l = 0; l < config.locations(); l++) {
            locations.add(location(70_000_000_000L + shopIndex * 1000L + l + 1, l, EPOCH));
        }
        return locations;
    }

    /** Location number {@code l} (0-based: 0 is the main warehouse) with the given numeric id. */
    Map<String, Object> location(long id, int l, Instant at) {
        String city = CITIES[l % CITIES.length];
        Map<String, Object> location = node("Location", FixtureIds.gid("Location", id));
        location.put("legacyResourceId", String.valueOf(id));
        location.put("name", l == 0 ? "Main Warehouse" : city + " Store");
        location.put("isActive", true);
        location.put("fulfillsOnlineOrders", true);
        location.put("createdAt", timestamp(at));
        location.put("updatedAt", timestamp(at));
        Map<String, Object> address = new LinkedHashMap<>();
        address.put("address1", (100 + l) + " Market Street");
        address.put("city", city);
        address.put("country", "United States");
        address.put("countryCode", "US");
        address.put("zip", "1000" + l);
        address.put("formatted", List.of((100 + l) + " Market Street", city, "United States"));
        location.put("address", address);
        return location;
    }

    List<Map<String, Object>> collections() {
        List<Map<String, Object>> collections = new ArrayList<>();
        for (int c = 0; c < config.collections(); c++) {
            // Every third collection is a smart collection, as stores usually mix both kinds.
            collections.add(collection(450_000_000_000L + shopIndex * 1000L + c + 1, c, c % 3 == 2, EPOCH));
        }
        return collections;
    }

    /** Collection number {@code c} (0-based) with the given numeric id; a smart one has a tag rule. */
    Map<String, Object> collection(long id, int c, boolean smart, Instant at) {
        String title = ADJECTIVES[c % ADJECTIVES.length] + " " + NOUNS[(c * 5) % NOUNS.length] + " Collection";
        Map<String, Object> collection = node("Collection", FixtureIds.gid("Collection", id));
        collection.put("legacyResourceId", String.valueOf(id));
        collection.put("title", title);
        collection.put("handle", handle(title) + "-" + (c + 1));
        collection.put("description", "Hand-picked " + title.toLowerCase(Locale.ROOT) + ".");
        collection.put("descriptionHtml", "<p>Hand-picked " + title.toLowerCase(Locale.ROOT) + ".</p>");
        collection.put("sortOrder", "BEST_SELLING");
        collection.put("updatedAt", timestamp(at));
        collection.put("products", new ArrayList<Map<String, Object>>());
        collection.put("productsCount", count(0));
        if (smart) {
            Map<String, Object> rule = new LinkedHashMap<>();
            rule.put("column", "TAG");
            rule.put("relation", "EQUALS");
            rule.put("condition", "collection-" + (c + 1));
            Map<String, Object> ruleSet = new LinkedHashMap<>();
            ruleSet.put("appliedDisjunctively", false);
            ruleSet.put("rules", List.of(rule));
            collection.put("ruleSet", ruleSet);
        } else {
            collection.put("ruleSet", null);
        }
        return collection;
    }

    /** Product number {@code n} (1-based, stable across runs) stocked at the given locations. */
    Map<String, Object> product(long n, List<Map<String, Object>> locations, Instant createdAt) {
        String title = ADJECTIVES[random.nextInt(ADJECTIVES.length)] + " " + MATERIALS[random.nextInt(MATERIALS.length)]
                + " " + NOUNS[random.nextInt(NOUNS.length)];
        long id = 8_000_000_000_000L + shopIndex * 1_000_000L + n;
        Map<String, Object> product = node("Product", FixtureIds.gid("Product", id));
        product.put("legacyResourceId", String.valueOf(id));
        product.put("title", title);
        product.put("handle", handle(title) + "-" + n);
        product.put("description", "A " + title.toLowerCase(Locale.ROOT) + " made for everyday use.");
        product.put("descriptionHtml", "<p>A <strong>" + title.toLowerCase(Locale.ROOT) + "</strong> made for everyday use.</p>");
        product.put("vendor", VENDORS[random.nextInt(VENDORS.length)]);
        product.put("productType", NOUNS[random.nextInt(NOUNS.length)]);
        product.put("status", n % 17 == 0 ? "DRAFT" : "ACTIVE");
        product.put("tags", List.of("sandbox", MATERIALS[(int) (n % MATERIALS.length)].toLowerCase(Locale.ROOT)));
        product.put("createdAt", timestamp(createdAt));
        product.put("updatedAt", timestamp(createdAt));
        product.put("publishedAt", n % 17 == 0 ? null : timestamp(createdAt));
        product.put("onlineStoreUrl", null);
        product.put("templateSuffix", null);

        int variantCount = Math.max(1, config.variantsPerProduct());
        boolean hasOptions = variantCount > 1;
        List<Map<String, Object>> options = new ArrayList<>();
        String color = COLORS[(int) (n % COLORS.length)];
        List<String> sizes = new ArrayList<>();
        for (int v = 0; v < variantCount; v++) {
            sizes.add(v < OPTION_VALUES.length ? OPTION_VALUES[v] : "Size " + (v + 1));
        }
        Map<String, Object> sizeOption = node("ProductOption", FixtureIds.gid("ProductOption", id * 10 + 1));
        sizeOption.put("name", hasOptions ? "Size" : "Title");
        sizeOption.put("position", 1);
        sizeOption.put("values", hasOptions ? sizes : List.of("Default Title"));
        sizeOption.put("optionValues", optionValues(id, hasOptions ? sizes : List.of("Default Title")));
        options.add(sizeOption);
        product.put("options", options);

        BigDecimal basePrice = BigDecimal.valueOf(900 + random.nextInt(9000), 2);
        List<Map<String, Object>> variants = new ArrayList<>();
        int total = 0;
        for (int v = 0; v < variantCount; v++) {
            long variantId = ++nextVariant;
            long itemId = variantId + 2_000_000_000_000L;
            String size = hasOptions ? sizes.get(v) : "Default Title";
            Map<String, Object> variant = node("ProductVariant", FixtureIds.gid("ProductVariant", variantId));
            variant.put("legacyResourceId", String.valueOf(variantId));
            variant.put("title", size);
            variant.put("displayName", title + " - " + size);
            variant.put("sku", "SKU-" + n + "-" + (v + 1));
            BigDecimal price = basePrice.add(BigDecimal.valueOf(v * 200L, 2)).setScale(2, RoundingMode.UNNECESSARY);
            variant.put("price", price.toPlainString());
            variant.put("compareAtPrice", v == 0 && n % 4 == 0 ? price.multiply(BigDecimal.valueOf(125, 2))
                    .setScale(2, RoundingMode.HALF_UP).toPlainString() : null);
            variant.put("barcode", String.format(Locale.ROOT, "0%011d", variantId % 100_000_000_000L));
            variant.put("position", v + 1);
            variant.put("availableForSale", true);
            variant.put("taxable", true);
            variant.put("inventoryPolicy", "DENY");
            variant.put("createdAt", timestamp(createdAt));
            variant.put("updatedAt", timestamp(createdAt));
            Map<String, Object> selected = new LinkedHashMap<>();
            selected.put("name", hasOptions ? "Size" : "Title");
            selected.put("value", size);
            variant.put("selectedOptions", List.of(selected));
            variant.put("product", product);

            Map<String, Object> item = node("InventoryItem", FixtureIds.gid("InventoryItem", itemId));
            item.put("legacyResourceId", String.valueOf(itemId));
            item.put("sku", variant.get("sku"));
            item.put("tracked", true);
            item.put("requiresShipping", true);
            item.put("createdAt", timestamp(createdAt));
            item.put("updatedAt", timestamp(createdAt));
            item.put("variant", variant);
            List<Map<String, Object>> levels = new ArrayList<>();
            int available = 0;
            for (Map<String, Object> location : locations) {
                int quantity = random.nextInt(60);
                available += quantity;
                levels.add(inventoryLevel(item, location, quantity, createdAt));
            }
            item.put("inventoryLevels", levels);
            variant.put("inventoryItem", item);
            variant.put("inventoryQuantity", available);
            total += available;
            variants.add(variant);
        }
        product.put("variants", variants);
        product.put("totalInventory", total);
        product.put("hasOnlyDefaultVariant", !hasOptions);
        product.put("variantsCount", count(variants.size()));
        product.put("tracksInventory", true);

        List<Map<String, Object>> metafields = new ArrayList<>();
        for (int m = 0; m < config.metafieldsPerProduct(); m++) {
            metafields.add(metafield((String) product.get("id"), m, n, createdAt));
        }
        product.put("metafields", metafields);
        product.put("collections", new ArrayList<Map<String, Object>>());
        Map<String, Object> priceRange = new LinkedHashMap<>();
        priceRange.put("minVariantPrice", money(variants.get(0).get("price")));
        priceRange.put("maxVariantPrice", money(variants.get(variants.size() - 1).get("price")));
        product.put("priceRangeV2", priceRange);
        return product;
    }

    Map<String, Object> inventoryLevel(Map<String, Object> item, Map<String, Object> location, int available,
                                       Instant at) {
        // Shopify's InventoryLevel gid is the location id qualified by the item, the same id the
        // inventory_levels/update webhook carries in admin_graphql_api_id.
        Map<String, Object> level = node("InventoryLevel", "gid://shopify/InventoryLevel/"
                + FixtureIds.numeric((String) location.get("id"))
                + "?inventory_item_id=" + FixtureIds.numeric((String) item.get("id")));
        level.put("location", location);
        level.put("item", item);
        level.put("isActive", true);
        level.put("canDeactivate", false);
        level.put("createdAt", timestamp(at));
        level.put("updatedAt", timestamp(at));
        Map<String, Object> quantities = new LinkedHashMap<>();
        quantities.put("available", available);
        quantities.put("on_hand", available);
        quantities.put("committed", 0);
        quantities.put("incoming", 0);
        quantities.put("reserved", 0);
        quantities.put("damaged", 0);
        quantities.put("safety_stock", 0);
        quantities.put("quality_control", 0);
        level.put("quantitiesByName", quantities);
        return level;
    }

    private Map<String, Object> metafield(String ownerId, int m, long n, Instant at) {
        Map<String, Object> metafield = node("Metafield", FixtureIds.gid("Metafield", ++nextMetafield));
        metafield.put("legacyResourceId", String.valueOf(nextMetafield));
        metafield.put("namespace", "custom");
        metafield.put("ownerType", "PRODUCT");
        metafield.put("createdAt", timestamp(at));
        metafield.put("updatedAt", timestamp(at));
        switch (m % 4) {
            case 0 -> {
                metafield.put("key", "material");
                metafield.put("type", "single_line_text_field");
                metafield.put("value", MATERIALS[(int) (n % MATERIALS.length)]);
            }
            case 1 -> {
                metafield.put("key", "care_instructions");
                metafield.put("type", "multi_line_text_field");
                metafield.put("value", "Wash cold.\nDry flat.");
            }
            case 2 -> {
                metafield.put("key", "warranty_years");
                metafield.put("type", "number_integer");
                metafield.put("value", String.valueOf(1 + n % 3));
            }
            default -> {
                metafield.put("key", "specs_" + m);
                metafield.put("type", "json");
                metafield.put("value", "{\"weight_g\":" + (100 + n % 900) + "}");
            }
        }
        metafield.put("jsonValue", metafield.get("value"));
        metafield.put("ownerId", ownerId);
        return metafield;
    }

    /** How many kinds of discount the fixture cycles through: a store of 10 discounts has one of each. */
    static final int DISCOUNT_KINDS = 10;

    /**
     * Discounts of every kind a store holds, the public ones a shopper may be told about and the
     * private ones the sync must never publish, cycling with {@code d}: 0 a code for everyone
     * ({@code SAVE<n>}, limited to 100 uses), 1 an automatic discount, 2 a free-shipping code for
     * everyone, 3 a code for named customers, 4 a single-use code, 5 a code for a customer segment,
     * 6 a batch of unique codes, 7 an expired code, 8 a scheduled code, 9 an automatic discount for a
     * segment. The private ones carry codes and titles no public one contains, so a test can search
     * a document's bytes for them.
     */
    List<Map<String, Object>> discountNodes() {
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (int d = 0; d < config.discounts(); d++) {
            nodes.add(discountNode(1_100_000_000_000L + shopIndex * 1000L + d + 1, d, EPOCH));
        }
        return nodes;
    }

    /** Discount number {@code d} (its kind cycles as described above) with the given numeric id. */
    Map<String, Object> discountNode(long id, int d, Instant at) {
        Map<String, Object> node = node("DiscountNode", FixtureIds.gid("DiscountNode", id));
        Map<String, Object> discount = new LinkedHashMap<>();
        int percent = 5 + (d * 5) % 40;
        discount.put("status", "ACTIVE");
        discount.put("startsAt", timestamp(EPOCH));
        discount.put("endsAt", null);
        everyone(discount);
        switch (d % DISCOUNT_KINDS) {
            case 0 -> codeBasic(discount, id, "SAVE" + percent, percent + "% off entire order", percent,
                    List.of("SAVE" + percent), 100, true);
            case 1 -> {
                discount.put("__typename", "DiscountAutomaticBasic");
                discount.put("title", "Automatic " + percent + "% off");
                discount.put("summary", percent + "% off all products");
                discount.put("customerGets", percentageGets(percent));
            }
            case 2 -> freeShipping(discount, id, "FREESHIP" + d);
            case 3 -> {
                codeBasic(discount, id, "Thank-you code for Anna " + d, percent + "% off for Anna",
                        percent, List.of("CUSTOMER-ONLY-" + d), null, false);
                Map<String, Object> customer = node("Customer", FixtureIds.gid("Customer", 7_000_000_000_000L + id));
                customer.put("displayName", "Anna Example");
                buyers(discount, "DiscountCustomers", "customers", customer);
            }
            case 4 -> codeBasic(discount, id, "Apology code " + d, percent + "% off, one use",
                    percent, List.of("SINGLE-USE-" + d), 1, false);
            case 5 -> {
                codeBasic(discount, id, "VIP segment code " + d, percent + "% off for VIPs",
                        percent, List.of("SEGMENT-ONLY-" + d), null, true);
                buyers(discount, "DiscountCustomerSegments", "segments", segment(id));
            }
            case 6 -> {
                List<String> codes = new ArrayList<>();
                for (int c = 1; c <= 8; c++) {
                    codes.add("UNIQUE-%d-%04d".formatted(d, c * 37));
                }
                codeBasic(discount, id, "Newsletter welcome codes " + d, percent + "% off, one code each",
                        percent, codes, null, true);
                discount.put("codesCount", count(5_000));
            }
            case 7 -> {
                codeBasic(discount, id, "Summer sale " + d, percent + "% off entire order", percent,
                        List.of("EXPIRED-" + d), null, false);
                discount.put("status", "EXPIRED");
                discount.put("endsAt", timestamp(EPOCH.plusSeconds(86_400L * 30)));
            }
            case 8 -> {
                freeShipping(discount, id, "SCHEDULED-" + d);
                discount.put("title", "Launch free shipping " + d);
                discount.put("status", "SCHEDULED");
                discount.put("startsAt", timestamp(EPOCH.plusSeconds(86_400L * 365 * 20)));
            }
            default -> {
                discount.put("__typename", "DiscountAutomaticBasic");
                discount.put("title", "Members-only automatic " + d);
                discount.put("summary", percent + "% off for members");
                discount.put("customerGets", percentageGets(percent));
                buyers(discount, "DiscountCustomerSegments", "segments", segment(id));
            }
        }
        discount.put("asyncUsageCount", d * 3);
        discount.put("discountClass", "ORDER");
        discount.put("discountClasses", List.of("ORDER"));
        discount.put("createdAt", timestamp(at));
        discount.put("updatedAt", timestamp(at));
        node.put("discount", discount);
        return node;
    }

    private static void codeBasic(Map<String, Object> discount, long id, String title, String summary, int percent,
                                  List<String> codes, Integer usageLimit, boolean oncePerCustomer) {
        discount.put("__typename", "DiscountCodeBasic");
        discount.put("title", title);
        discount.put("summary", summary);
        redeemCodes(discount, id, codes);
        discount.put("usageLimit", usageLimit);
        discount.put("appliesOncePerCustomer", oncePerCustomer);
        discount.put("customerGets", percentageGets(percent));
    }

    private static void freeShipping(Map<String, Object> discount, long id, String code) {
        discount.put("__typename", "DiscountCodeFreeShipping");
        discount.put("title", code);
        discount.put("summary", "Free shipping on all products");
        redeemCodes(discount, id, List.of(code));
        discount.put("appliesOncePerCustomer", false);
    }

    private static void redeemCodes(Map<String, Object> discount, long id, List<String> codes) {
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (int c = 0; c < codes.size(); c++) {
            Map<String, Object> code = node("DiscountRedeemCode", FixtureIds.gid("DiscountRedeemCode", id * 10_000 + c));
            code.put("code", codes.get(c));
            code.put("asyncUsageCount", 0);
            nodes.add(code);
        }
        discount.put("codes", nodes);
        discount.put("codesCount", count(codes.size()));
    }

    /** Open to all buyers: {@code context} (2025-10 on) and the deprecated {@code customerSelection} agree. */
    private static void everyone(Map<String, Object> discount) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("__typename", "DiscountBuyerSelectionAll");
        context.put("all", "ALL");
        discount.put("context", context);
        Map<String, Object> selection = new LinkedHashMap<>();
        selection.put("__typename", "DiscountCustomerAll");
        selection.put("allCustomers", true);
        discount.put("customerSelection", selection);
    }

    /** Limited to named customers or segments: the same object serves {@code context} and {@code customerSelection}. */
    private static void buyers(Map<String, Object> discount, String typename, String field, Map<String, Object> member) {
        Map<String, Object> buyers = new LinkedHashMap<>();
        buyers.put("__typename", typename);
        buyers.put(field, List.of(member));
        discount.put("context", buyers);
        discount.put("customerSelection", buyers);
    }

    private static Map<String, Object> segment(long id) {
        Map<String, Object> segment = node("Segment", FixtureIds.gid("Segment", 8_000_000_000_000L + id));
        segment.put("name", "VIP customers");
        segment.put("query", "amount_spent > 500");
        return segment;
    }

    private static Map<String, Object> percentageGets(int percent) {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("__typename", "DiscountPercentage");
        value.put("percentage", percent / 100.0);
        Map<String, Object> items = new LinkedHashMap<>();
        items.put("__typename", "AllDiscountItems");
        items.put("allItems", true);
        Map<String, Object> gets = new LinkedHashMap<>();
        gets.put("value", value);
        gets.put("items", items);
        gets.put("appliesOnOneTimePurchase", true);
        gets.put("appliesOnSubscription", false);
        return gets;
    }

    private static List<Map<String, Object>> optionValues(long productId, List<String> names) {
        List<Map<String, Object>> values = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            Map<String, Object> value = node("ProductOptionValue", FixtureIds.gid("ProductOptionValue", productId * 100 + i));
            value.put("name", names.get(i));
            value.put("hasVariants", true);
            values.add(value);
        }
        return values;
    }

    static Map<String, Object> count(int n) {
        Map<String, Object> count = new LinkedHashMap<>();
        count.put("count", n);
        count.put("precision", "EXACT");
        return count;
    }

    static Map<String, Object> money(Object amount) {
        Map<String, Object> money = new LinkedHashMap<>();
        money.put("amount", amount);
        money.put("currencyCode", "USD");
        return money;
    }

    static Map<String, Object> node(String typename, String id) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("__typename", typename);
        node.put("id", id);
        return node;
    }

    static String handle(String title) {
        return title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }

    private static String titleCase(String words) {
        StringBuilder out = new StringBuilder();
        for (String word : words.split(" ")) {
            if (!word.isEmpty()) {
                out.append(out.length() == 0 ? "" : " ")
                        .append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
            }
        }
        return out.toString();
    }
}
