package io.storefrontsync.sandbox.shopify;

import graphql.GraphqlErrorException;
import graphql.schema.DataFetchingEnvironment;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Relay cursor pagination over fixture lists, shaped like Shopify's: opaque base64 cursors
 * ({@code {"last_id":…,"last_value":…}}) that name the item, not its position, so a cursor stays
 * valid when items are created or deleted between two pages. Lists are kept in ascending id order
 * (Shopify's default {@code sortKey: ID}); {@code reverse: true} walks them backwards. The limits
 * on {@code first}/{@code last} are enforced before execution by {@link QueryCostCalculator}.
 */
final class Connections {

    private Connections() {
    }

    static Map<String, Object> empty() {
        return page(List.of(), null, null, null, null, false);
    }

    static Map<String, Object> page(List<?> items, DataFetchingEnvironment env) {
        return page(items, env.getArgument("first"), env.getArgument("last"),
                env.getArgument("after"), env.getArgument("before"),
                Boolean.TRUE.equals(env.getArgument("reverse")));
    }

    static Map<String, Object> page(List<?> all, Integer first, Integer last, String after, String before,
                                    boolean reverse) {
        List<?> ordered = all;
        if (reverse) {
            List<Object> copy = new ArrayList<>(all);
            Collections.reverse(copy);
            ordered = copy;
        }
        int from = 0;
        int to = ordered.size();
        if (after != null) {
            from = Math.min(to, positionAfter(ordered, decode(after), reverse));
        }
        if (before != null) {
            // Everything strictly before the cursor's item (or where it would sit if deleted).
            to = Math.max(from, indexOfOrInsertion(ordered, decode(before), reverse));
        }
        int start = from;
        int end = to;
        if (first != null) {
            end = Math.min(end, start + Math.max(0, first));
        }
        if (last != null) {
            start = Math.max(start, end - Math.max(0, last));
        }
        List<?> window = ordered.subList(start, end);
        List<Map<String, Object>> edges = new ArrayList<>(window.size());
        for (Object node : window) {
            Map<String, Object> edge = new LinkedHashMap<>(2);
            edge.put("cursor", cursorOf(node));
            edge.put("node", node);
            edges.add(edge);
        }
        Map<String, Object> pageInfo = new LinkedHashMap<>();
        pageInfo.put("hasNextPage", end < ordered.size());
        pageInfo.put("hasPreviousPage", start > 0);
        pageInfo.put("startCursor", edges.isEmpty() ? null : edges.get(0).get("cursor"));
        pageInfo.put("endCursor", edges.isEmpty() ? null : edges.get(edges.size() - 1).get("cursor"));
        Map<String, Object> connection = new LinkedHashMap<>();
        connection.put("edges", edges);
        connection.put("nodes", new ArrayList<>(window));
        connection.put("pageInfo", pageInfo);
        return connection;
    }

    static String cursorOf(Object node) {
        long id = numericId(node);
        String json = "{\"last_id\":" + id + ",\"last_value\":\"" + id + "\"}";
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The numeric part of a gid, e.g. 123 in gid://shopify/InventoryLevel/123?inventory_item_id=4. */
    static long numericId(Object node) {
        if (node instanceof Map<?, ?> map && map.get("id") instanceof String gid) {
            return FixtureIds.numeric(gid);
        }
        return 0;
    }

    private static long decode(String cursor) {
        try {
            String json = new String(Base64.getDecoder().decode(cursor), StandardCharsets.UTF_8);
            int at = json.indexOf("\"last_id\":");
            if (at < 0) {
                throw new IllegalArgumentException(json);
            }
            int start = at + "\"last_id\":".length();
            int end = start;
            while (end < json.length() && (Character.isDigit(json.charAt(end)) || json.charAt(end) == '-')) {
                end++;
            }
            return Long.parseLong(json.substring(start, end));
        } catch (IllegalArgumentException e) {
            throw GraphqlErrorException.newErrorException()
                    .message("Invalid cursor for current pagination sort.")
                    .build();
        }
    }

    /** Index of the first item that comes after the cursor's item in this ordering. */
    private static int positionAfter(List<?> ordered, long cursorId, boolean reverse) {
        for (int i = 0; i < ordered.size(); i++) {
            long id = numericId(ordered.get(i));
            if (reverse ? id < cursorId : id > cursorId) {
                return i;
            }
        }
        return ordered.size();
    }

    private static int indexOfOrInsertion(List<?> ordered, long cursorId, boolean reverse) {
        for (int i = 0; i < ordered.size(); i++) {
            long id = numericId(ordered.get(i));
            if (reverse ? id <= cursorId : id >= cursorId) {
                return i;
            }
        }
        return ordered.size();
    }
}
