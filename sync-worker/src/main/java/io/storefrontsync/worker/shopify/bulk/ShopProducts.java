package io.storefrontsync.worker.shopify.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.json.CanonicalJson;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.vertx.mutiny.sqlclient.Cursor;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code worker.shop_products}, one row per product of a shop (its canonical JSON, SHA-256 and Shopify's
 * {@code updatedAt}): written whole by every full read (a bulk one, {@link BulkCatalogReader}; a paginated one,
 * {@link #replaceAll}), product by product by a patch ({@code ShopPatch}), streamed into
 * {@code shop_products.json} ({@link ShopProductsAssembler}), erased by a redaction. The only class with SQL on the table, but {@code ProductHashes.replaceFromShopProducts},
 * which copies the hashes into {@code worker.product_hashes} in one statement.
 */
@ApplicationScoped
public class ShopProducts {

    /**
     * One product row: its id, canonical JSON and hash, and Shopify's {@code updatedAt} of the product (ISO-8601, from
     * the JSON; null when absent), which orders copies of one product: an older one never replaces a newer.
     */
    public record ProductRow(String productId, String canonicalJson, String sha256, String updatedAt) {

        /** The row of a canonical product ({@code ShopDocuments.canonicalProduct}'s bytes and the product they came from). */
        public static ProductRow of(JsonNode product, byte[] canonical) {
            JsonNode updated = product.get("updatedAt");
            return new ProductRow(product.get("id").asText(), new String(canonical, StandardCharsets.UTF_8),
                    CanonicalJson.sha256Hex(canonical), updated == null || !updated.isTextual() ? null : updated.asText());
        }
    }

    private static final String UPSERT = """
            INSERT INTO worker.shop_products (shop, product_id, user_id, canonical_json, sha256, product_updated_at)
            SELECT $1, product_id, $2, canonical_json, sha256, updated::timestamptz
            FROM unnest($3::text[], $4::text[], $5::text[], $6::text[]) AS t(product_id, canonical_json, sha256, updated)
            ON CONFLICT (shop, product_id) DO UPDATE SET
                canonical_json = EXCLUDED.canonical_json, sha256 = EXCLUDED.sha256, user_id = EXCLUDED.user_id,
                product_updated_at = EXCLUDED.product_updated_at, updated_at = now()
            WHERE (shop_products.sha256 <> EXCLUDED.sha256 OR shop_products.user_id <> EXCLUDED.user_id
                   OR shop_products.product_updated_at IS DISTINCT FROM EXCLUDED.product_updated_at)""";

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
        return client.preparedQuery("""
                        INSERT INTO worker.shop_products (shop, product_id, user_id, canonical_json, sha256, product_updated_at)
                        SELECT $1, product_id, $2, canonical_json, sha256, updated::timestamptz
                        FROM unnest($3::text[], $4::text[], $5::text[], $6::text[]) AS t(product_id, canonical_json, sha256, updated)""")
                .execute(rowsTuple(shop, user, products))
                .replaceWith(products.size());
    }

    /**
     * Makes the shop's rows exactly {@code products} (a paginated full read, held in memory), in the caller's
     * transaction: rows of products no longer there deleted, changed rows rewritten, equal rows left alone.
     *
     * @return how many rows were written or deleted
     */
    public Uni<Integer> replaceAll(SqlClient client, ShopDomain shop, UserId user, List<ProductRow> products) {
        String[] ids = products.stream().map(ProductRow::productId).toArray(String[]::new);
        return client.preparedQuery("DELETE FROM worker.shop_products WHERE shop = $1 AND NOT (product_id = ANY($2::text[]))")
                .execute(Tuple.of(shop.value(), ids))
                .chain(deleted -> (products.isEmpty() ? Uni.createFrom().item(0)
                        : client.preparedQuery(UPSERT).execute(rowsTuple(shop, user, products)).map(RowSet::rowCount))
                        .map(written -> written + deleted.rowCount()));
    }

    /**
     * Writes fetched copies of some products (a patch), in the caller's transaction: a copy replaces the stored row
     * unless that row is newer (Shopify's {@code updatedAt}), and only when it differs.
     *
     * @return how many rows were written
     */
    public Uni<Integer> upsertNotOlder(SqlClient client, ShopDomain shop, UserId user, List<ProductRow> products) {
        if (products.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return client.preparedQuery(UPSERT + """

                          AND (shop_products.product_updated_at IS NULL OR EXCLUDED.product_updated_at IS NULL
                               OR EXCLUDED.product_updated_at >= shop_products.product_updated_at)""")
                .execute(rowsTuple(shop, user, products))
                .map(RowSet::rowCount);
    }

    /** Deletes some products' rows, in the caller's transaction; @return how many there were. */
    public Uni<Integer> delete(SqlClient client, ShopDomain shop, List<String> productIds) {
        if (productIds.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return client.preparedQuery("DELETE FROM worker.shop_products WHERE shop = $1 AND product_id = ANY($2::text[])")
                .execute(Tuple.of(shop.value(), productIds.toArray(String[]::new)))
                .map(RowSet::rowCount);
    }

    /**
     * Which of these products have a row, each with its Shopify {@code updatedAt} (empty when unknown).
     */
    public Uni<Map<String, Optional<OffsetDateTime>>> updatedAts(SqlClient client, ShopDomain shop, List<String> productIds) {
        return client.preparedQuery("""
                        SELECT product_id, product_updated_at FROM worker.shop_products
                        WHERE shop = $1 AND product_id = ANY($2::text[])""")
                .execute(Tuple.of(shop.value(), productIds.toArray(String[]::new)))
                .map(rows -> {
                    Map<String, Optional<OffsetDateTime>> found = new HashMap<>();
                    rows.forEach(row -> found.put(row.getString("product_id"),
                            Optional.ofNullable(row.getOffsetDateTime("product_updated_at"))));
                    return found;
                });
    }

    private static Tuple rowsTuple(ShopDomain shop, UserId user, List<ProductRow> products) {
        String[] ids = products.stream().map(ProductRow::productId).toArray(String[]::new);
        String[] bodies = products.stream().map(ProductRow::canonicalJson).toArray(String[]::new);
        String[] hashes = products.stream().map(ProductRow::sha256).toArray(String[]::new);
        String[] updated = products.stream().map(ProductRow::updatedAt).toArray(String[]::new);
        return Tuple.of(shop.value(), user.value(), ids, bodies, hashes, updated);
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
