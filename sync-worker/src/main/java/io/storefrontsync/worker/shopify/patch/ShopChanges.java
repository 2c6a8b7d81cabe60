package io.storefrontsync.worker.shopify.patch;

import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.validation.ShopDomain;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code worker.shop_changes}: the changes webhooks announced that no patch has applied yet, one row per changed
 * resource of a shop ({@link ShopChange}: a product, an inventory level, a collection, a discount, the shop itself).
 * The intake records them ({@link #record}, in its batch's transaction); duplicates and bursts collapse into the row
 * (newest time; a delete stays a delete: Shopify never reuses an id). A patch reads the shop's rows and deletes
 * those it applied ({@link #forget}, by version: a change announced meanwhile stays); a full sync forgets the
 * changes announced before it started reading ({@link #forgetBefore}).
 */
@ApplicationScoped
public class ShopChanges {

    /** A pending change as a patch reads it. */
    public record Pending(ShopChange.Kind kind, String resourceId, OffsetDateTime changedAt, boolean deleted,
                          long version) {
    }

    public Uni<Void> record(SqlClient client, ShopDomain shop, ShopChange change) {
        return client.preparedQuery("""
                        INSERT INTO worker.shop_changes (shop, resource_id, kind, changed_at, deleted) VALUES ($1, $2, $3, $4, $5)
                        ON CONFLICT (shop, resource_id) DO UPDATE SET
                            changed_at = GREATEST(shop_changes.changed_at, EXCLUDED.changed_at),
                            deleted = shop_changes.deleted OR EXCLUDED.deleted,
                            version = nextval('worker.shop_changes_version'), recorded_at = now()""")
                .execute(Tuple.of(shop.value(), change.resourceId(), change.kind().column(),
                        OffsetDateTime.ofInstant(change.changedAt(), ZoneOffset.UTC), change.deleted()))
                .replaceWithVoid();
    }

    /**
     * {@link #record} for several changes of one shop in one statement (a burst in one intake batch). Changes of
     * the same resource are merged first as the upsert would merge them (newest time; deleted if any says so): one
     * statement may not update a row twice.
     */
    public Uni<Void> recordAll(SqlClient client, ShopDomain shop, List<ShopChange> changes) {
        if (changes.size() == 1) {
            return record(client, shop, changes.get(0));
        }
        Map<String, ShopChange> merged = new LinkedHashMap<>();
        for (ShopChange change : changes) {
            merged.merge(change.resourceId(), change, (a, b) -> new ShopChange(a.kind(), a.resourceId(),
                    a.changedAt().isAfter(b.changedAt()) ? a.changedAt() : b.changedAt(), a.deleted() || b.deleted()));
        }
        List<ShopChange> rows = new ArrayList<>(merged.values());
        return client.preparedQuery("""
                        INSERT INTO worker.shop_changes (shop, resource_id, kind, changed_at, deleted)
                        SELECT $1, r.resource_id, r.kind, r.changed_at, r.deleted
                        FROM unnest($2::text[], $3::text[], $4::timestamptz[], $5::boolean[])
                            AS r(resource_id, kind, changed_at, deleted)
                        ON CONFLICT (shop, resource_id) DO UPDATE SET
                            changed_at = GREATEST(shop_changes.changed_at, EXCLUDED.changed_at),
                            deleted = shop_changes.deleted OR EXCLUDED.deleted,
                            version = nextval('worker.shop_changes_version'), recorded_at = now()""")
                .execute(Tuple.of(shop.value(),
                        rows.stream().map(ShopChange::resourceId).toArray(String[]::new),
                        rows.stream().map(change -> change.kind().column()).toArray(String[]::new),
                        rows.stream().map(change -> OffsetDateTime.ofInstant(change.changedAt(), ZoneOffset.UTC))
                                .toArray(OffsetDateTime[]::new),
                        rows.stream().map(ShopChange::deleted).toArray(Boolean[]::new)))
                .replaceWithVoid();
    }

    /** The shop's pending changes of every kind, oldest first, at most {@code limit}. */
    public Uni<List<Pending>> pending(SqlClient client, ShopDomain shop, int limit) {
        return client.preparedQuery("""
                        SELECT resource_id, kind, changed_at, deleted, version FROM worker.shop_changes WHERE shop = $1
                        ORDER BY version LIMIT $2""")
                .execute(Tuple.of(shop.value(), limit))
                .map(rows -> {
                    List<Pending> pending = new ArrayList<>(rows.size());
                    rows.forEach(row -> pending.add(new Pending(ShopChange.Kind.ofColumn(row.getString("kind")),
                            row.getString("resource_id"), row.getOffsetDateTime("changed_at"), row.getBoolean("deleted"),
                            row.getLong("version"))));
                    return pending;
                });
    }

    /** Deletes the changes a patch applied, unless announced again since; @return how many went. */
    public Uni<Integer> forget(SqlClient client, ShopDomain shop, List<Pending> applied) {
        if (applied.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        String[] ids = applied.stream().map(Pending::resourceId).toArray(String[]::new);
        Long[] versions = applied.stream().map(Pending::version).toArray(Long[]::new);
        return client.preparedQuery("""
                        DELETE FROM worker.shop_changes WHERE shop = $1
                          AND (resource_id, version) IN (SELECT * FROM unnest($2::text[], $3::bigint[]))""")
                .execute(Tuple.of(shop.value(), ids, versions))
                .map(RowSet::rowCount);
    }

    /** A full sync read everything announced before it started ({@code before}: the job's start, database time). */
    public Uni<Integer> forgetBefore(SqlClient client, ShopDomain shop, OffsetDateTime before) {
        return client.preparedQuery("DELETE FROM worker.shop_changes WHERE shop = $1 AND recorded_at < $2")
                .execute(Tuple.of(shop.value(), before))
                .map(RowSet::rowCount);
    }

    /** Forgets the shop's rows, in the caller's transaction (a redaction). */
    public Uni<Void> deleteShop(SqlClient client, ShopDomain shop) {
        return client.preparedQuery("DELETE FROM worker.shop_changes WHERE shop = $1")
                .execute(Tuple.of(shop.value()))
                .replaceWithVoid();
    }
}
