package io.storefrontsync.worker.shopify;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.storefrontsync.common.spaces.SpacesKeys;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.worker.connection.Ownership;
import io.storefrontsync.worker.job.JobParked;
import io.storefrontsync.worker.job.JobProgress;
import io.storefrontsync.worker.job.JobTarget;
import io.storefrontsync.worker.job.NotTheOwner;
import io.storefrontsync.worker.shopify.bulk.BulkCatalogSync;
import io.storefrontsync.worker.shopify.bulk.BulkOperations;
import io.storefrontsync.worker.shopify.bulk.ShopCatalogParts;
import io.storefrontsync.worker.shopify.bulk.ShopProducts;
import io.storefrontsync.worker.shopify.bulk.ShopProductsAssembler;
import io.storefrontsync.worker.shopify.bulk.ShopProductsDocument;
import io.storefrontsync.worker.shopify.patch.ShopChanges;
import io.storefrontsync.worker.spaces.SpacesDocumentWriter;
import io.storefrontsync.worker.spaces.WriteOutcome;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * One full Shopify sync, as the job runner calls it: current access token → complete catalog fetch
 * → canonical documents → Spaces (only what changed) and the per-product hashes. The fetch finishes
 * before anything is written, so a failure part-way leaves the stored documents as they were. The
 * answer becomes the job's {@code result}:
 * {@code {written, skipped, products, pages, requests, cost, throttledWaits, durationMs, ...}}.
 *
 * <p>Products are read one of two ways ({@link CatalogRead}): paginated queries, held in memory (small
 * stores), or, from {@code storefront.shopify.bulk-threshold} products up, a bulk operation
 * ({@link BulkCatalogSync}) whose JSONL becomes one {@code worker.shop_products} row per product, from
 * which {@link ShopProductsAssembler} streams {@code shop_products.json} to a file that is uploaded from
 * disk: the same bytes either way. Once the operation is started the job is parked ({@link JobParked}: no slot,
 * no lease) and each later claim checks it once, until it completed and the rest of the sync runs.
 */
@ApplicationScoped
public class ShopifyShopSync {

    private static final Logger LOG = Logger.getLogger(ShopifyShopSync.class);

    private final ShopifyAccessTokens tokens;
    private final ShopifyAdminGraphQL graphql;
    private final CatalogFetcher fetcher;
    private final SpacesDocumentWriter writer;
    private final ProductHashes productHashes;
    private final Ownership ownership;
    private final Pool pool;
    private final BulkCatalogSync bulk;
    private final ShopProductsAssembler assembler;
    private final ShopProductsDocument productsDocument;
    private final int bulkThreshold;
    private final ShopProducts shopProducts;
    private final ShopCatalogParts catalogParts;
    private final ShopChanges shopChanges;
    private final JobProgress jobProgress;

    /** How a sync reads the products. */
    public enum CatalogRead { PAGINATED, BULK }

    public ShopifyShopSync(ShopifyAccessTokens tokens, ShopifyAdminGraphQL graphql, CatalogFetcher fetcher,
                           SpacesDocumentWriter writer, ProductHashes productHashes, Ownership ownership, Pool pool,
                           BulkCatalogSync bulk, ShopProductsAssembler assembler, ShopProductsDocument productsDocument,
                           ShopifyConfig config,
                           ShopProducts shopProducts, ShopCatalogParts catalogParts, ShopChanges shopChanges,
                           JobProgress jobProgress) {
        this.jobProgress = jobProgress;
        this.shopProducts = shopProducts;
        this.catalogParts = catalogParts;
        this.shopChanges = shopChanges;
        this.bulk = bulk;
        this.assembler = assembler;
        this.productsDocument = productsDocument;
        this.bulkThreshold = config.bulkThreshold();
        this.ownership = ownership;
        this.pool = pool;
        this.tokens = tokens;
        this.graphql = graphql;
        this.fetcher = fetcher;
        this.writer = writer;
        this.productHashes = productHashes;
    }

    /** @throws NotTheOwner (as the Uni's failure) when the gateway names another user for the shop */
    public Uni<JsonObject> sync(UserId user, ShopDomain shop) {
        return sync(user, shop, null, null, null);
    }

    /** A sync reading the products as asked (tests and measurements), never resuming a parked one. */
    public Uni<JsonObject> sync(UserId user, ShopDomain shop, CatalogRead read) {
        return sync(user, shop, read, null, null);
    }

    /**
     * A sync as the job runner calls it: a new one, or — {@code parked} set — the rest of one parked while Shopify
     * runs its bulk operation.
     *
     * @param read how to read the products; null: by the product count the first request reads with the shop
     *             ({@link CatalogFetcher#head}) against {@code storefront.shopify.bulk-threshold} (0: never bulk)
     * @param parked the job's {@link BulkCatalogSync.Wait} as {@link JobParked} left it; null for a new sync
     * @param readSince when the job started (database time): the product changes webhooks announced before it are
     *                  read by this sync and forgotten ({@code worker.shop_changes}); null forgets none
     * @throws JobParked (as the Uni's failure) when the job must wait for Shopify: not an error, the runner parks it
     */
    public Uni<JsonObject> sync(UserId user, ShopDomain shop, CatalogRead read, JsonObject parked,
                                OffsetDateTime readSince) {
        long started = System.nanoTime();
        JobProgress.Tracker progress = jobProgress.track(JobTarget.shop(shop));
        return ownership.requireOwner(pool, JobTarget.shop(shop), user)
                .chain(owner -> tokens.accessToken(shop))
                .map(token -> graphql.session(shop, token))
                .chain(session -> parked != null
                        ? resumeBulk(user, shop, session, BulkCatalogSync.Wait.fromJson(parked), started, readSince, progress)
                        : progress.phase("shop", new JsonObject(), 0)
                        .chain(() -> fetcher.head(session))
                        .chain(head -> chooseRead(head, read) == CatalogRead.BULK
                                ? progress.phase("bulk_operation", new JsonObject().put("productsTotal", head.productCount())
                                        .put("bulkStatus", "CREATED"), session.stats().actualCost())
                                        .chain(() -> startBulk(session, head, progress))
                                : progress.phase("products", new JsonObject().put("productsTotal", head.productCount())
                                        .put("productsRead", 0), session.stats().actualCost())
                                        .chain(() -> paginatedSync(user, shop, session, head, started, readSince, progress))));
    }

    private CatalogRead chooseRead(CatalogFetcher.ShopHead head, CatalogRead forced) {
        if (forced != null) {
            return forced;
        }
        return bulkThreshold > 0 && head.productCount() >= bulkThreshold ? CatalogRead.BULK : CatalogRead.PAGINATED;
    }

    private Uni<JsonObject> paginatedSync(UserId user, ShopDomain shop, ShopifyAdminGraphQL.Session session,
                                          CatalogFetcher.ShopHead head, long started, OffsetDateTime readSince,
                                          JobProgress.Tracker progress) {
        session.onProductRead(read -> progress.productsRead(read.stats().productsRead(), read.stats().actualCost()));
        return fetcher.fetchAfter(session, head)
                .call(catalog -> progress.phase("writing", new JsonObject().put("productsRead", catalog.products().size()),
                        session.stats().actualCost()))
                .chain(ShopifyShopSync::canonicalise)
                // Again after the fetch (minutes for a large store): the shop may have changed hands since.
                .call(documents -> ownership.requireOwner(pool, JobTarget.shop(shop), user))
                .call(documents -> pool.withTransaction(conn -> shopProducts.replaceAll(conn, shop, user, documents.productRows())
                        .chain(() -> storeParts(conn, shop, user, documents.parts(), readSince))))
                .chain(documents -> write(user, shop, documents)
                        .map(outcomes -> result(outcomes, documents.productCount(), session.stats(), started)
                                .put("read", "paginated")));
    }

    /** Starts the bulk operation, then parks the job: Shopify runs it without us. */
    private Uni<JsonObject> startBulk(ShopifyAdminGraphQL.Session session, CatalogFetcher.ShopHead head,
                                      JobProgress.Tracker progress) {
        return bulk.start(session, head.locations())
                .call(wait -> progress.phase("bulk_operation", new JsonObject().put("bulkOperation", wait.operation()),
                        session.stats().actualCost()))
                .chain(wait -> Uni.createFrom().failure(new JobParked(session.shop() + ": bulk operation "
                        + wait.operation() + " started (" + head.productCount() + " products)", wait.toJson(),
                        bulk.nextCheck(wait))));
    }

    /** One status check of the parked job's operation: parked again while it runs, the sync's end once it completed. */
    private Uni<JsonObject> resumeBulk(UserId user, ShopDomain shop, ShopifyAdminGraphQL.Session session,
                                       BulkCatalogSync.Wait wait, long started, OffsetDateTime readSince,
                                       JobProgress.Tracker progress) {
        return bulk.check(session, wait).chain(done -> {
            if (done.isEmpty()) {
                BulkCatalogSync.Wait next = wait.checkedAgain();
                return progress.phase("bulk_operation", new JsonObject().put("bulkStatus", "RUNNING")
                                .put("bulkOperation", wait.operation()).put("bulkChecks", next.checks()), 0)
                        .chain(() -> Uni.createFrom().failure(new JobParked(shop + ": bulk operation " + wait.operation()
                                + " still running", next.toJson(), bulk.nextCheck(next))));
            }
            return progress.phase("bulk_download", new JsonObject().put("bulkStatus", "COMPLETED")
                            .put("bulkOperation", wait.operation()).put("bulkObjects", done.get().objectCount()),
                            session.stats().actualCost())
                    .chain(() -> fetcher.head(session))
                    .chain(head -> bulkSync(user, shop, session, head, wait, done.get(), started, readSince, progress));
        });
    }

    /**
     * Shop, locations, discounts and collections (without members) by paginated queries; products and the
     * collections' members by a bulk operation, the products into
     * {@code worker.shop_products} (replaced only when the whole file was read); then the documents, the
     * products one assembled from those rows in a temporary file. Nothing is written to Spaces before
     * every read succeeded, and the owner is checked again right before.
     */
    private Uni<JsonObject> bulkSync(UserId user, ShopDomain shop, ShopifyAdminGraphQL.Session session,
                                     CatalogFetcher.ShopHead head, BulkCatalogSync.Wait wait,
                                     BulkOperations.Completed done, long started, OffsetDateTime readSince,
                                     JobProgress.Tracker progress) {
        return fetcher.fetchAllButProducts(session, head)
                .chain(heads -> bulk.read(session, user, wait, done, heads.locations())
                        .chain(outcome -> bulkWrite(user, shop, session, head,
                                heads.withCollections(CatalogFetcher.withMembers(heads.collections(), outcome.members())),
                                outcome, started, readSince, progress)));
    }

    /** A bulk read's documents and rows: the catalog has its collections' members from the same bulk operation. */
    private Uni<JsonObject> bulkWrite(UserId user, ShopDomain shop, ShopifyAdminGraphQL.Session session,
                                      CatalogFetcher.ShopHead head, ShopCatalog catalog, BulkCatalogSync.Outcome outcome,
                                      long started, OffsetDateTime readSince, JobProgress.Tracker progress) {
        return Uni.createFrom().item(outcome)
                .call(read -> progress.phase("writing", new JsonObject().put("productsTotal", head.productCount())
                        .put("productsRead", read.products()), session.stats().actualCost()))
                .call(read -> Uni.createFrom().item(() -> parts(catalog))
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                        .chain(parts -> pool.withTransaction(conn -> storeParts(conn, shop, user, parts, readSince))))
                .chain(read -> productsDocument.withAssembled(user, shop,
                        assembler.assemble(shop, catalog.discounts(), catalog.collections()),
                        document -> writer.write(user, SpacesKeys.shopifyShopMetadata(user, shop),
                                        ShopDocuments.metadataOf(catalog))
                                .chain(metadata -> productsDocument.put(user, shop, document)
                                        .map(products -> List.of(metadata, products)))
                                .map(outcomes -> result(outcomes, (int) document.products(), session.stats(), started)
                                        .put("read", "bulk")
                                        .put("bulkOperation", read.operationId())
                                        .put("bulkObjects", read.objects())
                                        .put("bulkFileSize", read.fileSize())
                                        .put("bulkShopifyMs", read.shopifyMillis())
                                        .put("bulkReadMs", read.readMillis()))));
    }

    /** A bulk read's catalog parts: discounts, collections and locations, canonical as a paginated read keeps them. */
    private static ShopCatalogParts.Parts parts(ShopCatalog catalog) {
        return new ShopCatalogParts.Parts(
                new String(ShopDocuments.canonicalList(catalog.discounts()), StandardCharsets.UTF_8),
                new String(ShopDocuments.canonicalList(catalog.collections()), StandardCharsets.UTF_8),
                ShopDocuments.locationsJson(catalog.locations()));
    }

    /**
     * With the products just stored, in their transaction: the catalog's other parts (a patch assembles the document
     * from them) and, the catalog being read since {@code readSince}, the product changes announced before it.
     */
    private Uni<Void> storeParts(SqlConnection conn, ShopDomain shop, UserId user, ShopCatalogParts.Parts parts,
                                 OffsetDateTime readSince) {
        return catalogParts.put(conn, shop, user, parts)
                .chain(() -> readSince == null ? Uni.createFrom().voidItem()
                        : shopChanges.forgetBefore(conn, shop, readSince).replaceWithVoid());
    }



    /**
     * Canonical bytes and hashes of a whole catalog (35 MB and 10,000 product hashes for a
     * 10,000-product store: seconds of CPU) are computed on a worker thread, never on the event loop;
     * the writes that follow hash the bytes there too.
     */
    private static Uni<ShopDocuments> canonicalise(ShopCatalog catalog) {
        return Uni.createFrom().item(() -> ShopDocuments.of(catalog))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private Uni<List<WriteOutcome>> write(UserId user, ShopDomain shop, ShopDocuments documents) {
        return writer.write(user, SpacesKeys.shopifyShopMetadata(user, shop), documents.metadata())
                .chain(metadata -> writer.write(user, SpacesKeys.shopifyShopProducts(user, shop), documents.products())
                        .chain(products -> productHashes.replace(shop, user, documents.productHashes())
                                .replaceWith(List.of(metadata, products))));
    }

    private static JsonObject result(List<WriteOutcome> outcomes, int productCount, FetchStats stats, long started) {
        JsonArray written = new JsonArray();
        JsonArray skipped = new JsonArray();
        outcomes.forEach(outcome -> (outcome.written() ? written : skipped).add(outcome.key()));
        long durationMs = (System.nanoTime() - started) / 1_000_000;
        LOG.infof("synced %d products: written %s, skipped %s; %d requests, cost %d, %d throttled waits, %d ms",
                productCount, written, skipped, stats.requests(), stats.actualCost(), stats.throttledWaits(),
                durationMs);
        return new JsonObject()
                .put("written", written)
                .put("skipped", skipped)
                .put("products", productCount)
                .put("pages", stats.pages())
                .put("requests", stats.requests())
                .put("cost", stats.actualCost())
                .put("maxRequestedCost", stats.maxRequestedCost())
                .put("throttledWaits", stats.throttledWaits())
                .put("refusals", stats.refusals())
                .put("retries", stats.retries())
                .put("costMismatches", stats.costMismatches())
                .put("tokenRenewals", stats.tokenRenewals())
                .put("durationMs", durationMs);
    }
}
