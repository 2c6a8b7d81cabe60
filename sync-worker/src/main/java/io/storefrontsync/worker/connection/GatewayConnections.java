package io.storefrontsync.worker.connection;

import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.validation.PageId;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Read-only view of the gateway's connection tables. The gateway's Flyway owns the {@code gateway}
 * schema; the worker only ever SELECTs from it. Methods take the caller's client so lookups can
 * share the caller's transaction.
 */
@ApplicationScoped
public class GatewayConnections {

    public Uni<Optional<UserId>> userOfShop(SqlClient client, ShopDomain shop) {
        return client.preparedQuery("SELECT user_id FROM gateway.shopify_connections WHERE shop = $1")
                .execute(Tuple.of(shop.value()))
                .map(GatewayConnections::firstUser);
    }

    public Uni<Optional<UserId>> userOfPage(SqlClient client, PageId page) {
        return client.preparedQuery("SELECT user_id FROM gateway.facebook_pages WHERE page_id = $1")
                .execute(Tuple.of(page.value()))
                .map(GatewayConnections::firstUser);
    }

    public Uni<Optional<ShopConnection>> shop(SqlClient client, ShopDomain shop) {
        return client.preparedQuery("SELECT shop, user_id, status FROM gateway.shopify_connections WHERE shop = $1")
                .execute(Tuple.of(shop.value()))
                .map(rows -> shops(rows).stream().findFirst());
    }

    public Uni<Optional<PageConnection>> page(SqlClient client, PageId page) {
        return client.preparedQuery("SELECT page_id, user_id, status FROM gateway.facebook_pages WHERE page_id = $1")
                .execute(Tuple.of(page.value()))
                .map(rows -> pages(rows).stream().findFirst());
    }

    /**
     * The page's token as the gateway stored it, still encrypted (AAD {@code TokenAad.facebookPageToken});
     * empty when the page is unknown or has no token.
     */
    public Uni<Optional<String>> encryptedPageToken(SqlClient client, PageId page) {
        return client.preparedQuery("SELECT page_token_enc FROM gateway.facebook_pages WHERE page_id = $1")
                .execute(Tuple.of(page.value()))
                .map(rows -> rows.size() == 0 ? Optional.<String>empty()
                        : Optional.ofNullable(rows.iterator().next().getString("page_token_enc")));
    }

    public Uni<List<ShopConnection>> activeShops(SqlClient client) {
        return client.query("SELECT shop, user_id, status FROM gateway.shopify_connections WHERE status = 'active' ORDER BY shop")
                .execute().map(GatewayConnections::shops);
    }

    public Uni<List<PageConnection>> activePages(SqlClient client) {
        return client.query("SELECT page_id, user_id, status FROM gateway.facebook_pages WHERE status = 'active' ORDER BY page_id")
                .execute().map(GatewayConnections::pages);
    }

    public Uni<List<ShopConnection>> shopsOf(SqlClient client, UserId user) {
        return client.preparedQuery("SELECT shop, user_id, status FROM gateway.shopify_connections WHERE user_id = $1 ORDER BY shop")
                .execute(Tuple.of(user.value())).map(GatewayConnections::shops);
    }

    public Uni<List<PageConnection>> pagesOf(SqlClient client, UserId user) {
        return client.preparedQuery("SELECT page_id, user_id, status FROM gateway.facebook_pages WHERE user_id = $1 ORDER BY page_id")
                .execute(Tuple.of(user.value())).map(GatewayConnections::pages);
    }

    private static Optional<UserId> firstUser(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(new UserId(rows.iterator().next().getUUID("user_id")));
    }

    private static List<ShopConnection> shops(RowSet<Row> rows) {
        List<ShopConnection> shops = new ArrayList<>();
        for (Row row : rows) {
            shops.add(new ShopConnection(new ShopDomain(row.getString("shop")), new UserId(row.getUUID("user_id")),
                    row.getString("status")));
        }
        return shops;
    }

    private static List<PageConnection> pages(RowSet<Row> rows) {
        List<PageConnection> pages = new ArrayList<>();
        for (Row row : rows) {
            pages.add(new PageConnection(new PageId(row.getString("page_id")), new UserId(row.getUUID("user_id")),
                    row.getString("status")));
        }
        return pages;
    }
}
