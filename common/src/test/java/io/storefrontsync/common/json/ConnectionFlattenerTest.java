package io.storefrontsync.common.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class ConnectionFlattenerTest {

    @Test
    void shouldFlattenNestedEdgesAndNodesEverywhere() {
        JsonNode response = CanonicalJson.parse("""
                {"products": {
                   "edges": [
                     {"cursor": "c1", "node": {"id": "gid://shopify/Product/1",
                        "variants": {"nodes": [{"id": "v1"}, {"id": "v2"}], "pageInfo": {"hasNextPage": false}}}},
                     {"cursor": "c2", "node": {"id": "gid://shopify/Product/2",
                        "variants": {"edges": []}}}
                   ],
                   "pageInfo": {"hasNextPage": true, "endCursor": "c2"}}}
                """);

        JsonNode flat = CanonicalJson.flattenConnections(response);

        assertThat(CanonicalJson.canonicalString(flat)).isEqualTo(
                "{\"products\":[{\"id\":\"gid://shopify/Product/1\",\"variants\":[{\"id\":\"v1\"},{\"id\":\"v2\"}]},"
                        + "{\"id\":\"gid://shopify/Product/2\",\"variants\":[]}]}");
    }

    @Test
    void shouldMakeHashIndependentOfCursors() {
        JsonNode a = CanonicalJson.parse("{\"x\":{\"edges\":[{\"cursor\":\"A\",\"node\":1}],\"pageInfo\":{\"endCursor\":\"A\"}}}");
        JsonNode b = CanonicalJson.parse("{\"x\":{\"edges\":[{\"cursor\":\"B\",\"node\":1}],\"pageInfo\":{\"endCursor\":\"B\"}}}");
        assertThat(CanonicalJson.hash(CanonicalJson.flattenConnections(a)))
                .isEqualTo(CanonicalJson.hash(CanonicalJson.flattenConnections(b)));
    }

    @Test
    void shouldFlattenConnectionsInsideArraysAndAtTheRoot() {
        JsonNode root = CanonicalJson.parse("{\"nodes\":[{\"tags\":{\"nodes\":[\"a\",null]}}]}");
        assertThat(CanonicalJson.canonicalString(CanonicalJson.flattenConnections(root)))
                .isEqualTo("[{\"tags\":[\"a\",null]}]");
    }

    @Test
    void shouldLeaveObjectsThatOnlyLookSimilar() {
        String json = "{\"a\":{\"nodes\":[1],\"title\":\"not a connection\"},"
                + "\"b\":{\"edges\":[{\"weight\":3}]},\"c\":{\"nodes\":\"text\"},\"d\":{\"pageInfo\":{}}}";
        JsonNode tree = CanonicalJson.parse(json);
        assertThat(CanonicalJson.flattenConnections(tree)).isEqualTo(tree);
    }

    @Test
    void shouldReturnNewTreeWithoutChangingTheInput() {
        JsonNode input = CanonicalJson.parse("{\"x\":{\"nodes\":[{\"y\":1.50}]}}");
        JsonNode before = input.deepCopy();
        JsonNode flat = CanonicalJson.flattenConnections(input);
        assertThat(input).isEqualTo(before);
        assertThat(flat).isNotSameAs(input);
        assertThat(CanonicalJson.canonicalString(flat)).isEqualTo("{\"x\":[{\"y\":1.5}]}");
    }
}
