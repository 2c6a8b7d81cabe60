package io.storefrontsync.common.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Replaces every GraphQL connection in a tree by the plain array of its nodes, dropping cursors
 * and {@code pageInfo}, which change between fetches of the same data.
 *
 * <p>A connection is an object whose only fields are among {@code edges}, {@code nodes} and
 * {@code pageInfo}, with {@code edges} an array of objects that have a {@code node} (and at most a
 * {@code cursor}), or {@code nodes} an array. Anything else is left as it is, so an ordinary object
 * that merely has a field called {@code nodes} next to other fields is not mistaken for one.
 */
final class ConnectionFlattener {

    private static final Set<String> CONNECTION_FIELDS = Set.of("edges", "nodes", "pageInfo");
    private static final Set<String> EDGE_FIELDS = Set.of("node", "cursor");
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private ConnectionFlattener() {
    }

    static JsonNode flatten(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isArray()) {
            ArrayNode copy = NODES.arrayNode(node.size());
            node.forEach(element -> copy.add(flatten(element)));
            return copy;
        }
        if (!node.isObject()) {
            return node.deepCopy();
        }
        if (isConnection(node)) {
            ArrayNode items = NODES.arrayNode();
            if (node.has("nodes")) {
                node.get("nodes").forEach(item -> items.add(flatten(item)));
            } else {
                node.get("edges").forEach(edge -> items.add(flatten(edge.get("node"))));
            }
            return items;
        }
        ObjectNode copy = NODES.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            copy.set(field.getKey(), flatten(field.getValue()));
        }
        return copy;
    }

    private static boolean isConnection(JsonNode node) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            if (!CONNECTION_FIELDS.contains(names.next())) {
                return false;
            }
        }
        JsonNode nodes = node.get("nodes");
        if (nodes != null) {
            return nodes.isArray();
        }
        JsonNode edges = node.get("edges");
        if (edges == null || !edges.isArray()) {
            return false;
        }
        for (JsonNode edge : edges) {
            if (!edge.isObject() || !edge.has("node")) {
                return false;
            }
            for (Iterator<String> names = edge.fieldNames(); names.hasNext(); ) {
                if (!EDGE_FIELDS.contains(names.next())) {
                    return false;
                }
            }
        }
        return true;
    }
}
