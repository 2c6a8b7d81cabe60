package io.storefrontsync.worker.shopify;

import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.worker.connection.GatewayConnections;
import io.storefrontsync.worker.connection.ShopConnection;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Fetches a shop's metadata and full catalog and writes both documents.
 *
 * <p>Not built yet: the Shopify GraphQL fetcher waits for the Shopify simulator to be started by
 * the sandbox world. Until then a sync checks the connection and fails the job with a clear
 * error, so it is retried and ends up dead rather than silently succeeding.
 */
@ApplicationScoped
public class ShopifyShopSync {

    private final Pool pool;
    private final GatewayConnections connections;

    public ShopifyShopSync(Pool pool, GatewayConnections connections) {
        this.pool = pool;
        this.connections = connections;
    }

    public Uni<JsonObject> sync(UserId user, ShopDomain shop) {
        return connections.shop(pool, shop)
                .map(connection -> connection.filter(ShopConnection::active)
                        .orElseThrow(() -> new IllegalStateException("no active Shopify connection for " + shop)))
                .flatMap(connection -> Uni.createFrom().failure(
                        new UnsupportedOperationException("the Shopify catalog fetcher is not implemented yet")));
    }
}
