package io.storefrontsync.system;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * Everything a request could have stored, in one look: row counts of both services' tables (one
 * statement, so the figures belong together) and the listing of Spaces under {@code users/}. Two equal
 * snapshots around a request mean the request stored nothing anywhere.
 */
record StorageSnapshot(Map<String, Long> rows, SortedMap<String, String> spaces) {

    private static final String COUNTS = """
            SELECT (SELECT count(*) FROM gateway.users) AS users,
                   (SELECT count(*) FROM gateway.shopify_connections) AS shopify_connections,
                   (SELECT count(*) FROM gateway.shopify_connections WHERE status = 'active') AS active_shops,
                   (SELECT count(*) FROM gateway.facebook_pages) AS facebook_pages,
                   (SELECT count(*) FROM gateway.facebook_pages WHERE status = 'active') AS active_pages,
                   (SELECT count(*) FROM gateway.oauth_states) AS oauth_states,
                   (SELECT count(*) FROM gateway.oauth_states WHERE used_at IS NOT NULL) AS oauth_states_used,
                   (SELECT count(*) FROM gateway.webhook_receipts) AS webhook_receipts,
                   (SELECT count(*) FROM gateway.outbox) AS outbox,
                   (SELECT count(*) FROM gateway.facebook_deletion_requests) AS deletion_requests,
                   (SELECT count(*) FROM worker.jobs) AS jobs,
                   (SELECT coalesce(sum(coalesced_events), 0) FROM worker.jobs) AS coalesced_events,
                   (SELECT count(*) FROM worker.documents) AS documents,
                   (SELECT count(*) FROM worker.connection_health) AS connection_health
            """;

    static StorageSnapshot take(Connection db, SystemClient client) throws SQLException {
        Map<String, Long> rows = new LinkedHashMap<>();
        try (Statement statement = db.createStatement(); ResultSet rs = statement.executeQuery(COUNTS)) {
            rs.next();
            ResultSetMetaData meta = rs.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                rows.put(meta.getColumnLabel(i), rs.getLong(i));
            }
        }
        return new StorageSnapshot(rows, client.listing("users/"));
    }

    /** What changed from {@code before} to this snapshot, one readable line per difference; empty when nothing. */
    List<String> changesSince(StorageSnapshot before) {
        List<String> changes = new ArrayList<>();
        rows.forEach((table, count) -> {
            if (!Objects.equals(before.rows.get(table), count)) {
                changes.add(table + ": " + before.rows.get(table) + " -> " + count);
            }
        });
        TreeSet<String> keys = new TreeSet<>(before.spaces.keySet());
        keys.addAll(spaces.keySet());
        for (String key : keys) {
            if (!Objects.equals(before.spaces.get(key), spaces.get(key))) {
                changes.add("spaces " + key + ": " + before.spaces.get(key) + " -> " + spaces.get(key));
            }
        }
        return changes;
    }
}
