package io.storefrontsync.worker.shopify.patch;

import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.validation.ShopDomain;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code worker.product_tombstones}: products a patch deleted, with when, so that an update delivered after the
 * delete (Shopify orders nothing) cannot bring the product back. Kept {@value #KEEP_DAYS} days; each patch of a
 * shop drops its older ones.
 */
@ApplicationScoped
public class ProductTombstones {

    static final int KEEP_DAYS = 7;

    /** The deletion times of those of these products that have a tombstone. */
    public Uni<Map<String, OffsetDateTime>> find(SqlClient client, ShopDomain shop, List<String> productIds) {
        return client.preparedQuery("""
                        SELECT product_id, deleted_at FROM worker.product_tombstones
                        WHERE shop = $1 AND product_id = ANY($2::text[])""")
                .execute(Tuple.of(shop.value(), productIds.toArray(String[]::new)))
                .map(rows -> {
                    Map<String, OffsetDateTime> found = new HashMap<>();
                    rows.forEach(row -> found.put(row.getString("product_id"), row.getOffsetDateTime("deleted_at")));
                    return found;
                });
    }

    /** Lays (or moves later) the tombstones of deleted products, and drops the shop's expired ones. */
    public Uni<Void> lay(SqlClient client, ShopDomain shop, Map<String, OffsetDateTime> deleted) {
        String[] ids = deleted.keySet().toArray(String[]::new);
        String[] times = deleted.keySet().stream().map(id -> deleted.get(id).toString()).toArray(String[]::new);
        return client.preparedQuery("""
                        DELETE FROM worker.product_tombstones WHERE shop = $1 AND deleted_at < now() - make_interval(days => $2)""")
                .execute(Tuple.of(shop.value(), KEEP_DAYS))
                .chain(() -> ids.length == 0 ? Uni.createFrom().voidItem() : client.preparedQuery("""
                                INSERT INTO worker.product_tombstones (shop, product_id, deleted_at)
                                SELECT $1, product_id, deleted_at::timestamptz FROM unnest($2::text[], $3::text[]) AS t(product_id, deleted_at)
                                ON CONFLICT (shop, product_id) DO UPDATE
                                    SET deleted_at = GREATEST(product_tombstones.deleted_at, EXCLUDED.deleted_at)""")
                        .execute(Tuple.of(shop.value(), ids, times))
                        .replaceWithVoid());
    }

    /** Forgets the shop's rows, in the caller's transaction (a redaction). */
    public Uni<Void> deleteShop(SqlClient client, ShopDomain shop) {
        return client.preparedQuery("DELETE FROM worker.product_tombstones WHERE shop = $1")
                .execute(Tuple.of(shop.value()))
                .replaceWithVoid();
    }
}
