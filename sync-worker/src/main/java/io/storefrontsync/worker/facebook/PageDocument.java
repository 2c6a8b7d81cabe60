package io.storefrontsync.worker.facebook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.storefrontsync.common.json.CanonicalJson;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * {@code page_data.json}: the Page node as Graph answered it, canonical (keys sorted, no whitespace), so the
 * same page data always gives the same bytes and hash. Nothing volatile is added (no fetch time, no usage
 * figures), and no token can get in: any {@code access_token} (or other token-carrying key) is removed at
 * every depth, and the result is checked once more before it is handed out.
 */
public final class PageDocument {

    /** Keys that carry credentials in Graph answers; never part of a document. */
    static final Set<String> TOKEN_KEYS = Set.of("access_token", "page_token", "token");

    private PageDocument() {
    }

    /** @param page the Page node; not modified */
    public static byte[] canonicalBytes(JsonNode page) {
        JsonNode clean = withoutTokens(page.deepCopy());
        if (containsTokenKey(clean)) {
            throw new IllegalStateException("a token survived in page_data.json; refusing to write it");
        }
        return CanonicalJson.canonicalBytes(clean);
    }

    private static JsonNode withoutTokens(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove(TOKEN_KEYS);
            object.fields().forEachRemaining(field -> withoutTokens(field.getValue()));
        } else if (node.isArray()) {
            node.forEach(PageDocument::withoutTokens);
        }
        return node;
    }

    static boolean containsTokenKey(JsonNode node) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (TOKEN_KEYS.contains(field.getKey()) || containsTokenKey(field.getValue())) {
                    return true;
                }
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                if (containsTokenKey(item)) {
                    return true;
                }
            }
        }
        return false;
    }
}
