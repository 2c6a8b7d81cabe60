package io.storefrontsync.system;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compares the simulator's store with {@code shop_products.json} without depending on the
 * document's exact shape: every product and variant is found by its GID wherever it sits, and its
 * title, price, SKU and available inventory (summed over locations) must match.
 */
final class StoreComparison {

    private StoreComparison() {
    }

    static List<String> differences(JsonNode simulatorProducts, Optional<byte[]> object) throws IOException {
        List<String> differences = new ArrayList<>();
        if (object.isEmpty()) {
            differences.add("no object yet");
            return differences;
        }
        Map<String, JsonNode> byId = new HashMap<>();
        index(SystemClient.JSON.readTree(object.get()), byId);
        int productsInObject = 0;
        for (JsonNode node : byId.values()) {
            if (node.path("id").asText().startsWith("gid://shopify/Product/")) {
                productsInObject++;
            }
        }
        if (productsInObject != simulatorProducts.size()) {
            differences.add("object has " + productsInObject + " products, store has " + simulatorProducts.size());
        }
        for (JsonNode expected : simulatorProducts) {
            String id = expected.path("id").asText();
            JsonNode actual = byId.get(id);
            if (actual == null) {
                differences.add("missing product " + id);
                continue;
            }
            same(differences, id, "title", expected, actual);
            for (JsonNode variant : expected.path("variants")) {
                String variantId = variant.path("id").asText();
                JsonNode actualVariant = byId.get(variantId);
                if (actualVariant == null) {
                    differences.add("missing variant " + variantId);
                    continue;
                }
                same(differences, variantId, "price", variant, actualVariant);
                same(differences, variantId, "sku", variant, actualVariant);
                long available = sumAvailable(actualVariant);
                if (variant.has("inventoryQuantity") && available != variant.path("inventoryQuantity").asLong()) {
                    differences.add(variantId + " available " + available + " != " + variant.path("inventoryQuantity"));
                }
            }
        }
        return differences;
    }

    private static void same(List<String> differences, String id, String field, JsonNode expected, JsonNode actual) {
        if (!expected.path(field).asText().equals(actual.path(field).asText())) {
            differences.add(id + "." + field + ": " + actual.path(field) + " != " + expected.path(field));
        }
    }

    private static void index(JsonNode node, Map<String, JsonNode> byId) {
        if (node.isObject() && node.path("id").isTextual()) {
            // The same GID may also appear as a bare reference (a collection's products): keep the fullest node.
            byId.merge(node.path("id").asText(), node, (a, b) -> b.size() > a.size() ? b : a);
        }
        node.forEach(child -> index(child, byId));
    }

    private static long sumAvailable(JsonNode node) {
        long sum = 0;
        if (node.isObject() && "available".equals(node.path("name").asText()) && node.has("quantity")) {
            sum += node.path("quantity").asLong();
        }
        for (JsonNode child : node) {
            sum += sumAvailable(child);
        }
        return sum;
    }
}
