package io.storefrontsync.worker.shopify.bulk;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.worker.shopify.ShopifyAdminGraphQL;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.util.List;

/**
 * A shop's products read by one bulk operation into {@code worker.shop_products}: {@link BulkCatalogQuery}
 * → {@link BulkOperations} (start, wait, download) → {@link BulkCatalogReader}. Any failure on the way
 * (the operation failed, expired or was cut off in download, a line is not JSON) leaves the shop's rows
 * as they were; the downloaded file is deleted in every case.
 *
 * <p>The job holds its slot while Shopify runs the operation; parking is issue #13's next step.
 */
@ApplicationScoped
public class BulkCatalogSync {

    private static final Logger LOG = Logger.getLogger(BulkCatalogSync.class);

    private final BulkOperations operations;
    private final BulkCatalogReader reader;
    private final Vertx vertx;

    public BulkCatalogSync(BulkOperations operations, BulkCatalogReader reader, Vertx vertx) {
        this.operations = operations;
        this.reader = reader;
        this.vertx = vertx;
    }

    /** What the read did, for the job's result. */
    public record Outcome(String operationId, long objects, long fileSize, long products, long shopifyMillis,
                          long readMillis) {
    }

    /** @param locations the shop's locations, as the metadata fetch read them (their order numbers the aliases) */
    public Uni<Outcome> readProducts(ShopifyAdminGraphQL.Session session, UserId user, List<ObjectNode> locations) {
        ShopDomain shop = session.shop();
        String query = BulkCatalogQuery.of(locations.stream().map(location -> location.get("id").asText()).toList());
        long started = System.nanoTime();
        return operations.start(session, query)
                .chain(id -> operations.awaitEnd(session, id))
                .chain(done -> {
                    long shopifyMillis = (System.nanoTime() - started) / 1_000_000;
                    long readStarted = System.nanoTime();
                    Uni<Path> file = done.url() == null
                            // An empty catalog: Shopify gives no file, and the shop's rows become none.
                            ? vertx.fileSystem().createTempFile("storefront-bulk-", ".jsonl").map(Path::of)
                            : operations.download(session, done);
                    return file.chain(path -> reader.replaceShopProducts(shop, user, path, locations)
                                    .eventually(() -> vertx.fileSystem().delete(path.toString()).onFailure().recoverWithNull()))
                            .map(products -> new Outcome(done.id(), done.objectCount(),
                                    done.fileSize() == null ? 0 : done.fileSize(), products, shopifyMillis,
                                    (System.nanoTime() - readStarted) / 1_000_000));
                })
                .invoke(outcome -> LOG.debugf("%s: bulk operation %s, %d objects, %d bytes, %d products; Shopify %d ms, read %d ms",
                        shop, outcome.operationId(), outcome.objects(), outcome.fileSize(), outcome.products(),
                        outcome.shopifyMillis(), outcome.readMillis()));
    }
}
