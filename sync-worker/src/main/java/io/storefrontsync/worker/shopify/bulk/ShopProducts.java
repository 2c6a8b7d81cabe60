package io.storefrontsync.worker.shopify.bulk;

import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.vertx.mutiny.sqlclient.Cursor;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * {@code worker.shop_products}, one row per product of a shop (its canonical JSON and SHA-256): written whole by a
 * bulk read ({@link BulkCatalogReader}), streamed into {@code shop_products.json} ({@link ShopProductsAssembler}),
 * erased by a redaction. The only class with SQL on the table, but {@code ProductHashes.replaceFromShopProducts},
 * which copies the hashes into {@code worker.product_hashes} in one statement.
 */
@ApplicationScoped
public class ShopProducts {

    /** One product row: its id, canonical JSON and hash. */
    public record ProductRow(String productId, String canonicalJson, String sha256) {
    }

    /** Forgets the shop's rows, in the caller's transaction. */
    public Uni<Void> deleteShop(SqlClient client, ShopDomain shop) {
        return client.preparedQuery("DELETE FROM worker.shop_products WHERE shop = $1")
                .execute(Tuple.of(shop.value()))
                .replaceWithVoid();
    }

    /** Adds rows of the shop, in the caller's transaction; @return how many. */
    public Uni<Integer> insert(SqlClient client, ShopDomain shop, UserId user, List<ProductRow> products) {
        if (products.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        String[] ids = products.stream().map(ProductRow::productId).toArray(String[]::new);
        String[] bodies = products.stream().map(ProductRow::canonicalJson).toArray(String[]::new);
        String[] hashes = products.stream().map(ProductRow::sha256).toArray(String[]::new);
        return client.preparedQuery("""
                        INSERT INTO worker.shop_products (shop, product_id, user_id, canonical_json, sha256)
                        SELECT $1, product_id, $2, canonical_json, sha256
                        FROM unnest($3::text[], $4::text[], $5::text[]) AS t(product_id, canonical_json, sha256)""")
                .execute(Tuple.of(shop.value(), user.value(), ids, bodies, hashes))
                .replaceWith(products.size());
    }

    /**
     * A cursor over the shop's canonical JSON in the document's product order (ids by length, then bytewise: the
     * numeric order of Shopify's gids), on a connection inside a transaction; the caller reads and closes it.
     */
    public Uni<Cursor> inDocumentOrder(SqlConnection conn, ShopDomain shop) {
        return conn.prepare("""
                        SELECT canonical_json FROM worker.shop_products WHERE shop = $1
                        ORDER BY length(product_id), product_id COLLATE "C\"""")
                .map(statement -> statement.cursor(Tuple.of(shop.value())));
    }
}
