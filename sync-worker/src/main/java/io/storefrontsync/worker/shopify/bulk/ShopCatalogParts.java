package io.storefrontsync.worker.shopify.bulk;

import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/**
 * {@code worker.shop_catalog_parts}: what {@code shop_products.json} holds besides products (the discounts and
 * collections lists, canonical as the document has them) and the shop's locations (the order the products'
 * inventory aliases were read with), one row per shop, written by every full sync (paginated or bulk) in the
 * transaction that stores its products. A patch assembles the document from these and the product rows without
 * refetching them; a shop without a row has never been fully synced since, and gets a full sync instead.
 */
@ApplicationScoped
public class ShopCatalogParts {

    /** The row of a shop: canonical JSON arrays. */
    public record Parts(String discountsJson, String collectionsJson, String locationsJson) {
    }

    public Uni<Void> put(SqlClient client, ShopDomain shop, UserId user, Parts parts) {
        return client.preparedQuery("""
                        INSERT INTO worker.shop_catalog_parts (shop, user_id, discounts_json, collections_json, locations_json)
                        VALUES ($1, $2, $3, $4, $5)
                        ON CONFLICT (shop) DO UPDATE SET user_id = EXCLUDED.user_id, discounts_json = EXCLUDED.discounts_json,
                            collections_json = EXCLUDED.collections_json, locations_json = EXCLUDED.locations_json,
                            updated_at = now()""")
                .execute(Tuple.of(shop.value(), user.value(), parts.discountsJson(), parts.collectionsJson(),
                        parts.locationsJson()))
                .replaceWithVoid();
    }

    public Uni<Optional<Parts>> find(SqlClient client, ShopDomain shop) {
        return client.preparedQuery("""
                        SELECT discounts_json, collections_json, locations_json FROM worker.shop_catalog_parts WHERE shop = $1""")
                .execute(Tuple.of(shop.value()))
                .map(rows -> rows.size() == 0 ? Optional.<Parts>empty() : Optional.of(rows.iterator().next())
                        .map(row -> new Parts(row.getString("discounts_json"), row.getString("collections_json"),
                                row.getString("locations_json"))));
    }

    /** Forgets the shop's row, in the caller's transaction (a redaction). */
    public Uni<Void> deleteShop(SqlClient client, ShopDomain shop) {
        return client.preparedQuery("DELETE FROM worker.shop_catalog_parts WHERE shop = $1")
                .execute(Tuple.of(shop.value()))
                .replaceWithVoid();
    }
}
