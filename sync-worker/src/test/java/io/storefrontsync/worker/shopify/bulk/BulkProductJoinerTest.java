package io.storefrontsync.worker.shopify.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.storefrontsync.common.json.CanonicalJson;
import io.storefrontsync.worker.shopify.ShopDocuments;
import io.storefrontsync.worker.shopify.ShopifyApiException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The join of bulk lines to their products, on a hand-written JSONL as Shopify writes it with
 * {@code groupObjects: false}: a child after its parent, but after other parents' children too.
 */
class BulkProductJoinerTest {

    private static final List<ObjectNode> LOCATIONS = List.of(
            location("gid://shopify/Location/1", "Warehouse"), location("gid://shopify/Location/2", "Shop floor"));

    /**
     * Product 10's variants and metafield come after product 11 and its children; product 12 has none. Products 10
     * and 11 are members of collection 7 (lines of their membership, not fields of the product).
     */
    private static final String JSONL = """
            {"id":"gid://shopify/Product/10","title":"Ten","options":[{"id":"gid://shopify/ProductOption/2","name":"Size"},{"id":"gid://shopify/ProductOption/1","name":"Color"}]}
            {"id":"gid://shopify/Product/11","title":"Eleven","options":[]}
            {"id":"gid://shopify/ProductVariant/111","title":"S","inventoryItem":{"id":"gid://shopify/InventoryItem/111","tracked":true,"at0":{"id":"gid://shopify/InventoryLevel/1110","quantities":[{"name":"available","quantity":4}]},"at1":null},"__parentId":"gid://shopify/Product/11"}
            {"id":"gid://shopify/ProductVariant/102","title":"M","inventoryItem":{"id":"gid://shopify/InventoryItem/102","tracked":true,"at0":{"id":"gid://shopify/InventoryLevel/1020","quantities":[{"name":"available","quantity":1}]},"at1":{"id":"gid://shopify/InventoryLevel/1021","quantities":[{"name":"available","quantity":2}]}},"__parentId":"gid://shopify/Product/10"}
            {"id":"gid://shopify/Collection/7","__parentId":"gid://shopify/Product/11"}
            {"id":"gid://shopify/Product/12","title":"Twelve","options":[]}
            {"id":"gid://shopify/Collection/7","__parentId":"gid://shopify/Product/10"}
            {"id":"gid://shopify/Metafield/501","namespace":"custom","key":"care","type":"single_line_text_field","value":"Wash cold","__parentId":"gid://shopify/Product/10"}
            {"id":"gid://shopify/ProductVariant/101","title":"S","inventoryItem":{"id":"gid://shopify/InventoryItem/101","tracked":false,"at0":null,"at1":{"id":"gid://shopify/InventoryLevel/1011","quantities":[{"name":"available","quantity":0}]}},"__parentId":"gid://shopify/Product/10"}
            {"id":"gid://shopify/Metafield/500","namespace":"custom","key":"fit","type":"single_line_text_field","value":"Slim","__parentId":"gid://shopify/Product/10"}
            """;

    @Test
    void interleavedChildrenShouldEndUpUnderTheirOwnProductInThePaginatedShape() {
        Map<String, ObjectNode> products = joinAll(JSONL);

        JsonNode ten = canonical(products.get("gid://shopify/Product/10"));
        assertThat(field(ten.path("variants"), "id"))
                .containsExactly("gid://shopify/ProductVariant/101", "gid://shopify/ProductVariant/102");
        assertThat(field(ten.path("metafields"), "key")).containsExactly("fit", "care");
        assertThat(field(ten.path("options"), "name")).as("options sorted by id").containsExactly("Color", "Size");
        JsonNode medium = ten.path("variants").get(1).path("inventoryItem");
        assertThat(medium.has("at0")).isFalse();
        List<String> stockedAt = new ArrayList<>();
        medium.path("inventoryLevels").forEach(level -> stockedAt.add(level.path("location").path("name").asText()));
        assertThat(stockedAt).containsExactly("Warehouse", "Shop floor");
        assertThat(ten.path("variants").get(0).path("inventoryItem").path("inventoryLevels").get(0).path("location").path("id").asText())
                .as("a variant not stocked at a location has no level for it").isEqualTo("gid://shopify/Location/2");
        assertThat(ten.toString()).doesNotContain("__parentId");
        assertThat(ten.toString()).as("membership is the collection's, not a field of the product")
                .doesNotContain("gid://shopify/Collection/");

        JsonNode eleven = canonical(products.get("gid://shopify/Product/11"));
        assertThat(field(eleven.path("variants"), "id")).containsExactly("gid://shopify/ProductVariant/111");
        assertThat(eleven.path("metafields").isArray() && eleven.path("metafields").isEmpty()).isTrue();

        JsonNode twelve = canonical(products.get("gid://shopify/Product/12"));
        assertThat(twelve.path("variants").isEmpty() && twelve.path("metafields").isEmpty())
                .as("a product without children has empty arrays, as a paginated page gives").isTrue();
    }

    @Test
    void theOrderOfChildrenShouldNotChangeTheProductsBytes() {
        List<String> lines = new ArrayList<>(JSONL.lines().toList());
        List<String> reversedChildren = new ArrayList<>(lines.stream().filter(line -> !line.contains("__parentId")).toList());
        List<String> children = new ArrayList<>(lines.stream().filter(line -> line.contains("__parentId")).toList());
        java.util.Collections.reverse(children);
        reversedChildren.addAll(children);

        Map<String, ObjectNode> once = joinAll(JSONL);
        Map<String, ObjectNode> again = joinAll(String.join("\n", reversedChildren));

        once.forEach((id, product) -> assertThat(new String(ShopDocuments.canonicalProduct(again.get(id)), StandardCharsets.UTF_8))
                .isEqualTo(new String(ShopDocuments.canonicalProduct(product), StandardCharsets.UTF_8)));
    }

    @Test
    void aChildThatIsNeitherVariantMetafieldNorCollectionShouldFailTheJoin() {
        BulkProductJoiner joiner = new BulkProductJoiner(LOCATIONS);
        ObjectNode product = (ObjectNode) CanonicalJson.parse("{\"id\":\"gid://shopify/Product/1\"}");
        ObjectNode stranger = (ObjectNode) CanonicalJson.parse(
                "{\"id\":\"gid://shopify/InventoryLevel/9\",\"__parentId\":\"gid://shopify/Product/1\"}");

        assertThatThrownBy(() -> joiner.join(product, List.of(stranger)))
                .isInstanceOf(ShopifyApiException.class).hasMessageContaining("neither a variant, a metafield nor a collection");
    }

    @Test
    void aChildOfAnotherProductShouldFailTheJoin() {
        BulkProductJoiner joiner = new BulkProductJoiner(LOCATIONS);
        ObjectNode product = (ObjectNode) CanonicalJson.parse("{\"id\":\"gid://shopify/Product/1\"}");
        ObjectNode other = (ObjectNode) CanonicalJson.parse(
                "{\"id\":\"gid://shopify/ProductVariant/9\",\"__parentId\":\"gid://shopify/Product/2\"}");

        assertThatThrownBy(() -> joiner.join(product, List.of(other))).hasMessageContaining("is not a child of");
    }

    @Test
    void aLocationIdThatIsNotAPlainGidShouldNeverReachTheQueryText() {
        assertThat(BulkCatalogQuery.of(List.of("gid://shopify/Location/7")))
                .contains("at0: inventoryLevel(locationId: \"gid://shopify/Location/7\")");
        assertThatThrownBy(() -> BulkCatalogQuery.of(List.of("gid://shopify/Location/7\") { id } x: shop(")))
                .isInstanceOf(IllegalArgumentException.class);
        // Shopify's ids fit a signed 64-bit number: a bigger one is no location of its.
        assertThat(BulkCatalogQuery.of(List.of("gid://shopify/Location/9223372036854775807"))).contains("Location/9223372036854775807");
        for (String number : List.of("9223372036854775808", "99999999999999999999", "0")) {
            assertThatThrownBy(() -> BulkCatalogQuery.of(List.of("gid://shopify/Location/1", "gid://shopify/Location/" + number)))
                    .as(number).isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** Groups lines by {@code __parentId} the way the staging table's index does, whatever their order. */
    private static Map<String, ObjectNode> joinAll(String jsonl) {
        Map<String, ObjectNode> parents = new LinkedHashMap<>();
        Map<String, List<ObjectNode>> children = new LinkedHashMap<>();
        for (String line : jsonl.lines().filter(l -> !l.isBlank()).toList()) {
            ObjectNode node = (ObjectNode) CanonicalJson.parse(line);
            if (node.has("__parentId")) {
                children.computeIfAbsent(node.get("__parentId").asText(), k -> new ArrayList<>()).add(node);
            } else {
                parents.put(node.get("id").asText(), node);
            }
        }
        BulkProductJoiner joiner = new BulkProductJoiner(LOCATIONS);
        Map<String, ObjectNode> joined = new LinkedHashMap<>();
        parents.forEach((id, product) -> joined.put(id, joiner.join(product, children.getOrDefault(id, List.of()))));
        return joined;
    }

    private static JsonNode canonical(ObjectNode product) {
        return CanonicalJson.parse(ShopDocuments.canonicalProduct(product));
    }

    private static ObjectNode location(String id, String name) {
        return CanonicalJson.mapper().createObjectNode().put("id", id).put("name", name);
    }

    /** One field of each element of an array (not of their descendants). */
    private static List<String> field(JsonNode array, String name) {
        List<String> values = new java.util.ArrayList<>();
        array.forEach(element -> values.add(element.path(name).asText()));
        return values;
    }
}
