package io.storefrontsync.worker.shopify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.storefrontsync.common.json.CanonicalJson;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ShopDocumentsTest {

    @Test
    void sameStoreDataInAnotherOrderShouldGiveTheSameBytes() {
        ShopDocuments first = ShopDocuments.of(catalog(List.of(product(9, "b", "a"), product(10, "c", "d"))));
        ShopDocuments second = ShopDocuments.of(catalog(List.of(product(10, "d", "c"), product(9, "a", "b"))));

        assertThat(second.products()).isEqualTo(first.products());
        assertThat(second.metadata()).isEqualTo(first.metadata());
        assertThat(second.productHashes()).containsExactlyElementsOf(first.productHashes());
    }

    @Test
    void productsShouldBeSortedByNumericIdAndCarryNoConnectionArtefacts() {
        ShopDocuments documents = ShopDocuments.of(catalog(List.of(product(10, "x", "y"), product(9, "y", "x"))));
        String text = new String(documents.products(), StandardCharsets.UTF_8);

        assertThat(text.indexOf("Product/9\"")).isLessThan(text.indexOf("Product/10\""));
        assertThat(text).doesNotContain("pageInfo").doesNotContain("cursor").doesNotContain("nodes");
        assertThat(documents.productHashes()).extracting(ShopDocuments.ProductHash::productId)
                .containsExactly("gid://shopify/Product/9", "gid://shopify/Product/10");
    }

    @Test
    void eachProductHashShouldBeTheHashOfItsCanonicalForm() {
        ShopDocuments documents = ShopDocuments.of(catalog(List.of(product(1, "a", "b"))));
        var product = CanonicalJson.parse(documents.products()).path("products").get(0);

        assertThat(documents.productHashes().get(0).sha256()).isEqualTo(CanonicalJson.hash(product));
    }

    private static ShopCatalog catalog(List<ObjectNode> products) {
        ObjectNode shop = (ObjectNode) CanonicalJson.parse("{\"id\":\"gid://shopify/Shop/1\",\"name\":\"Demo\"}");
        return new ShopCatalog(shop, List.of(), products, List.of(), List.of());
    }

    /** A product with two variants in the given order and a connection-shaped tag list left by a page. */
    private static ObjectNode product(int id, String firstVariant, String secondVariant) {
        return (ObjectNode) CanonicalJson.parse("""
                {"id":"gid://shopify/Product/%d","title":"P%d",
                 "variants":[{"id":"gid://shopify/ProductVariant/%s","sku":"%s"},{"id":"gid://shopify/ProductVariant/%s","sku":"%s"}],
                 "collections":{"pageInfo":{"hasNextPage":false,"endCursor":"abc"},"nodes":[{"id":"gid://shopify/Collection/1"}]}}
                """.formatted(id, id, firstVariant, firstVariant, secondVariant, secondVariant));
    }
}
