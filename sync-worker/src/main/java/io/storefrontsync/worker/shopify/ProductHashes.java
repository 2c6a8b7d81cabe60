package io.storefrontsync.worker.shopify;

import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * {@code worker.product_hashes}: the canonical hash of every product of a shop as last written to
 * {@code shop_products.json}, one row per product, so a later single-product patch can tell what
 * changed. Replaced as a whole per sync, in one transaction: changed rows updated, gone ones deleted.
 */
@ApplicationScoped
public class ProductHashes {

    private final Pool pool;

    public ProductHashes(Pool pool) {
        this.pool = pool;
    }

    /** Forgets the shop's hashes, in the caller's transaction (a redaction). */
    public Uni<Void> deleteShop(SqlClient client, ShopDomain shop) {
        return client.preparedQuery("DELETE FROM worker.product_hashes WHERE shop = $1")
                .execute(Tuple.of(shop.value()))
                .replaceWithVoid();
    }

    public Uni<Void> replace(ShopDomain shop, UserId user, List<ShopDocuments.ProductHash> hashes) {
        String[] ids = hashes.stream().map(ShopDocuments.ProductHash::productId).toArray(String[]::new);
        String[] sha256s = hashes.stream().map(ShopDocuments.ProductHash::sha256).toArray(String[]::new);
        return pool.withTransaction(conn -> conn.preparedQuery("""
                                DELETE FROM worker.product_hashes WHERE shop = $1 AND NOT (product_id = ANY($2::text[]))""")
                        .execute(Tuple.of(shop.value(), ids))
                        .chain(ignored -> conn.preparedQuery("""
                                        INSERT INTO worker.product_hashes (shop, product_id, user_id, sha256)
                                        SELECT $1, product_id, $2, sha256 FROM unnest($3::text[], $4::text[]) AS t(product_id, sha256)
                                        ON CONFLICT (shop, product_id) DO UPDATE
                                            SET sha256 = EXCLUDED.sha256, user_id = EXCLUDED.user_id, updated_at = now()
                                            WHERE product_hashes.sha256 <> EXCLUDED.sha256 OR product_hashes.user_id <> EXCLUDED.user_id""")
                                .execute(Tuple.of(shop.value(), user.value(), ids, sha256s))))
                .replaceWithVoid();
    }

    /**
     * The same replacement from the shop's {@code worker.shop_products} rows (a bulk read), in SQL: the
     * hashes of a large catalog never pass through the worker's memory.
     */
    public Uni<Void> replaceFromShopProducts(ShopDomain shop) {
        return pool.withTransaction(conn -> conn.preparedQuery("""
                                DELETE FROM worker.product_hashes h WHERE h.shop = $1 AND NOT EXISTS (
                                    SELECT 1 FROM worker.shop_products p WHERE p.shop = h.shop AND p.product_id = h.product_id)""")
                        .execute(Tuple.of(shop.value()))
                        .chain(ignored -> conn.preparedQuery("""
                                        INSERT INTO worker.product_hashes (shop, product_id, user_id, sha256)
                                        SELECT shop, product_id, user_id, sha256 FROM worker.shop_products WHERE shop = $1
                                        ON CONFLICT (shop, product_id) DO UPDATE
                                            SET sha256 = EXCLUDED.sha256, user_id = EXCLUDED.user_id, updated_at = now()
                                            WHERE product_hashes.sha256 <> EXCLUDED.sha256 OR product_hashes.user_id <> EXCLUDED.user_id""")
                                .execute(Tuple.of(shop.value()))))
                .replaceWithVoid();
    }
}
