package io.storefrontsync.system;

import io.storefrontsync.common.config.DatabaseUrl;
import io.storefrontsync.sandbox.testing.EndToEndSystem;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plain JDBC into the system's database for the fault tests: what the services stored, looked at
 * from outside. A {@link Collection} parameter is bound as a {@code text[]} (for {@code = ANY(?)}),
 * so thousands of event ids are checked in one query.
 */
final class Db {

    private final EndToEndSystem system;

    Db(EndToEndSystem system) {
        this.system = system;
    }

    long count(String sql, Object... params) throws SQLException {
        return ((Number) rows(sql, params).get(0).values().iterator().next()).longValue();
    }

    /** {@link #count} for polling loops, which cannot throw checked exceptions. */
    long countUnchecked(String sql, Object... params) {
        try {
            return count(sql, params);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    List<Map<String, Object>> rows(String sql, Object... params) throws SQLException {
        DatabaseUrl db = DatabaseUrl.parse(system.env().get("DATABASE_URL"));
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
             PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                if (params[i] instanceof Collection<?> values) {
                    statement.setArray(i + 1, c.createArrayOf("text", values.toArray()));
                } else {
                    statement.setObject(i + 1, params[i]);
                }
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int col = 1; col <= columns; col++) {
                        row.put(rs.getMetaData().getColumnLabel(col), rs.getObject(col));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    /** Jobs that gave up: the one outcome no fault scenario may end in. */
    List<Map<String, Object>> deadJobs() throws SQLException {
        return rows("SELECT id, target_id, attempts, last_error FROM worker.jobs WHERE status = 'dead'");
    }

    /** No job pending or running anywhere: everything the scenario caused has been worked off. */
    boolean idle() {
        return countUnchecked("SELECT count(*) FROM worker.jobs WHERE status IN ('pending', 'running', 'waiting')") == 0;
    }

    long undeliveredOutboxRows() {
        return countUnchecked("SELECT count(*) FROM gateway.outbox WHERE delivered_at IS NULL");
    }
}
