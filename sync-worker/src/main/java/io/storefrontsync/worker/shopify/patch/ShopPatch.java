package io.storefrontsync.worker.shopify.patch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.storefrontsync.common.json.CanonicalJson;
import io.storefrontsync.common.spaces.SpacesKeys;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.worker.connection.Ownership;
import io.storefrontsync.worker.job.JobTarget;
import io.storefrontsync.worker.job.NotTheOwner;
import io.storefrontsync.worker.shopify.CatalogFetcher;
import io.storefrontsync.worker.shopify.FetchStats;
import io.storefrontsync.worker.shopify.ProductHashes;
import io.storefrontsync.worker.shopify.ShopDocuments;
import io.storefrontsync.worker.shopify.ShopifyAccessTokens;
import io.storefrontsync.worker.shopify.ShopifyAdminGraphQL;
import io.storefrontsync.worker.shopify.ShopifyShopSync;
import io.storefrontsync.worker.shopify.bulk.ShopCatalogParts;
import io.storefrontsync.worker.shopify.bulk.ShopProducts;
import io.storefrontsync.worker.shopify.bulk.ShopProductsAssembler;
import io.storefrontsync.worker.spaces.SpacesDocumentWriter;
import io.storefrontsync.worker.spaces.WriteOutcome;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code patch} job of a shop (issue #14): applies the product changes {@code products/*} webhooks announced
 * ({@link ProductChanges}) instead of a full sync. Per pending change:
 * <ul>
 *   <li>a delete removes the product's row and lays a tombstone ({@link ProductTombstones}) with its time;</li>
 *   <li>an update or create older than the stored row (Shopify's {@code updatedAt}), or not newer than the product's
 *       tombstone, is dropped without a request: a late delivery never overwrites newer data or resurrects a
 *       deleted product. An equal time is re-read (two changes may share a second);</li>
 *   <li>the others are re-read, as many per request as the budget holds ({@link CatalogFetcher#productsByIds}: the
 *       fields, variant pages, inventory per location and metafields of a full read, so the same canonical bytes);
 *       a product Shopify answers null for is deleted.</li>
 * </ul>
 * The rows change in one transaction. A product added to or gone from the shop changed its collections' members
 * too, so then (only then) the collections are read again and stored. {@code shop_products.json} is assembled once
 * from the rows and the stored discounts and collections ({@link ShopCatalogParts}) and written only when its hash
 * changed; the changes applied are forgotten last, so a failure anywhere leaves them for the retry.
 *
 * <p>A full sync instead ({@link ShopifyShopSync}), reading the changes with everything else: when the shop has no
 * stored catalog (never fully synced since patches exist), or more than {@value #MAX_PRODUCTS} changed products
 * are pending (a threshold chosen, not yet measured: a burst that large costs about what a page-by-page read of a
 * small store does).
 */
@ApplicationScoped
public class ProductPatch {

    private static final Logger LOG = Logger.getLogger(ProductPatch.class);
    static final int MAX_PRODUCTS = 100;

    private final Pool pool;
    private final Ownership ownership;
    private final ShopifyAccessTokens tokens;
    private final ShopifyAdminGraphQL graphql;
    private final CatalogFetcher fetcher;
    private final ProductChanges changes;
    private final ProductTombstones tombstones;
    private final ShopProducts shopProducts;
    private final ShopCatalogParts catalogParts;
    private final ShopProductsAssembler assembler;
    private final SpacesDocumentWriter writer;
    private final ProductHashes productHashes;
    private final ShopifyShopSync fullSync;

    public ProductPatch(Pool pool, Ownership ownership, ShopifyAccessTokens tokens, ShopifyAdminGraphQL graphql,
                        CatalogFetcher fetcher, ProductChanges changes, ProductTombstones tombstones,
                        ShopProducts shopProducts, ShopCatalogParts catalogParts, ShopProductsAssembler assembler,
                        SpacesDocumentWriter writer, ProductHashes productHashes, ShopifyShopSync fullSync) {
        this.pool = pool;
        this.ownership = ownership;
        this.tokens = tokens;
        this.graphql = graphql;
        this.fetcher = fetcher;
        this.changes = changes;
        this.tombstones = tombstones;
        this.shopProducts = shopProducts;
        this.catalogParts = catalogParts;
        this.assembler = assembler;
        this.writer = writer;
        this.productHashes = productHashes;
        this.fullSync = fullSync;
    }

    /**
     * @param startedAt when the job started (database time), handed to a full sync taken instead
     * @param retried whether an earlier attempt of this work failed: the document is then assembled and compared even
     *                when no row changes now (the failed attempt may have changed the rows and not the document)
     * @throws NotTheOwner (as the Uni's failure) when the gateway names another user for the shop
     */
    public Uni<JsonObject> patch(UserId user, ShopDomain shop, OffsetDateTime startedAt, boolean retried) {
        long started = System.nanoTime();
        return ensureOwner(user, shop)
                .chain(() -> catalogParts.find(pool, shop))
                .chain(parts -> parts.isEmpty()
                        ? instead(user, shop, startedAt, "no stored catalog yet")
                        : changes.pending(pool, shop, MAX_PRODUCTS + 1).chain(pending -> {
                            if (pending.isEmpty()) {
                                return Uni.createFrom().item(new JsonObject().put("read", "patch").put("changes", 0)
                                        .put("written", new JsonArray()).put("skipped", new JsonArray()));
                            }
                            if (pending.size() > MAX_PRODUCTS) {
                                return instead(user, shop, startedAt, "more than " + MAX_PRODUCTS + " changed products");
                            }
                            return apply(user, shop, parts.get(), pending, retried, started);
                        }));
    }

    private Uni<JsonObject> instead(UserId user, ShopDomain shop, OffsetDateTime startedAt, String why) {
        LOG.debugf("%s: full sync instead of a patch: %s", shop, why);
        return fullSync.sync(user, shop, null, null, startedAt).map(result -> result.put("insteadOfPatch", why));
    }

    /**
     * What the stored rows and tombstones say of each pending change.
     *
     * @param stored the products to re-read that have a row (the others are new to the shop)
     */
    private record Plan(List<String> fetch, Map<String, OffsetDateTime> delete, int olderThanRow, int afterDelete,
                        Set<String> stored) {

        boolean nothingToRead() {
            return fetch.isEmpty() && delete.isEmpty();
        }
    }

    private Uni<JsonObject> apply(UserId user, ShopDomain shop, ShopCatalogParts.Parts parts,
                                  List<ProductChanges.Pending> pending, boolean retried, long started) {
        List<String> ids = pending.stream().map(ProductChanges.Pending::productId).toList();
        return shopProducts.updatedAts(pool, shop, ids)
                .chain(rows -> tombstones.find(pool, shop, ids).map(dead -> plan(pending, rows, dead)))
                .chain(plan -> session(shop, plan).chain(session -> fetch(session, plan, parts)
                        .chain(fetched -> ensureOwner(user, shop).replaceWith(fetched))
                        .chain(fetched -> store(user, shop, plan, fetched))
                        .chain(stored -> withMembers(session, user, shop, parts, stored)
                                .chain(current -> (stored.changedRows() > 0 || retried
                                        ? writeDocument(user, shop, current).map(Optional::of)
                                        : Uni.createFrom().item(Optional.<WriteOutcome>empty())))
                                .call(() -> changes.forget(pool, shop, pending))
                                .map(outcome -> result(pending, plan, stored, outcome, session, started)))));
    }

    /** A session when something is to be read or deleted (a token read, no Shopify request); none otherwise. */
    private Uni<Optional<ShopifyAdminGraphQL.Session>> session(ShopDomain shop, Plan plan) {
        if (plan.nothingToRead()) {
            return Uni.createFrom().item(Optional.empty());
        }
        return tokens.accessToken(shop).map(token -> Optional.of(graphql.session(shop, token)));
    }

    /**
     * A product added to the shop or gone from it changed its collections' members (a full read lists each
     * collection's product ids): the collections are read again and stored with the other parts. An update of a
     * stored product keeps them (its membership changes come with {@code collections/*}, and the daily poll).
     */
    private Uni<ShopCatalogParts.Parts> withMembers(Optional<ShopifyAdminGraphQL.Session> session, UserId user,
                                                   ShopDomain shop, ShopCatalogParts.Parts parts, Stored stored) {
        if (session.isEmpty() || (stored.added() == 0 && stored.deleted() == 0)) {
            return Uni.createFrom().item(parts);
        }
        return fetcher.allCollections(session.get())
                .map(collections -> new ShopCatalogParts.Parts(parts.discountsJson(),
                        new String(ShopDocuments.canonicalList(collections), StandardCharsets.UTF_8), parts.locationsJson()))
                .call(current -> catalogParts.put(pool, shop, user, current));
    }

    private static Plan plan(List<ProductChanges.Pending> pending, Map<String, Optional<OffsetDateTime>> rows,
                             Map<String, OffsetDateTime> dead) {
        List<String> fetch = new ArrayList<>();
        Map<String, OffsetDateTime> delete = new LinkedHashMap<>();
        int older = 0;
        int afterDelete = 0;
        for (ProductChanges.Pending change : pending) {
            OffsetDateTime tombstone = dead.get(change.productId());
            Optional<OffsetDateTime> row = rows.getOrDefault(change.productId(), Optional.empty());
            if (change.deleted()) {
                delete.put(change.productId(), change.changedAt());
            } else if (tombstone != null && !change.changedAt().isAfter(tombstone)) {
                afterDelete++;
            } else if (row.isPresent() && change.changedAt().isBefore(row.get())) {
                older++;
            } else {
                fetch.add(change.productId());
            }
        }
        return new Plan(fetch, delete, older, afterDelete, rows.keySet());
    }

    /** What Shopify answered for the products to re-read; {@code added}: how many of them the shop had no row of. */
    private record Fetched(List<ShopProducts.ProductRow> rows, List<String> gone, int added) {
    }

    private Uni<Fetched> fetch(Optional<ShopifyAdminGraphQL.Session> session, Plan plan, ShopCatalogParts.Parts parts) {
        if (plan.fetch().isEmpty()) {
            return Uni.createFrom().item(new Fetched(List.of(), List.of(), 0));
        }
        List<ObjectNode> locations = new ArrayList<>();
        CanonicalJson.parse(parts.locationsJson()).forEach(location -> locations.add((ObjectNode) location));
        return fetcher.productsByIds(session.orElseThrow(), plan.fetch(), locations)
                .chain(answered -> Uni.createFrom().item(() -> canonical(answered, plan.stored()))
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()));
    }

    private static Fetched canonical(Map<String, Optional<ObjectNode>> answered, Set<String> stored) {
        List<ShopProducts.ProductRow> rows = new ArrayList<>();
        List<String> gone = new ArrayList<>();
        int[] added = {0};
        answered.forEach((id, product) -> {
            if (product.isPresent()) {
                rows.add(ShopProducts.ProductRow.of(product.get(), ShopDocuments.canonicalProduct(product.get())));
                added[0] += stored.contains(id) ? 0 : 1;
            } else {
                gone.add(id);
            }
        });
        return new Fetched(rows, gone, added[0]);
    }

    private record Stored(int written, int deleted, Fetched fetched) {
        int changedRows() {
            return written + deleted;
        }

        int added() {
            return fetched.added();
        }
    }

    private Uni<Stored> store(UserId user, ShopDomain shop, Plan plan, Fetched fetched) {
        Map<String, OffsetDateTime> delete = new LinkedHashMap<>(plan.delete());
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        fetched.gone().forEach(id -> delete.put(id, now));
        return pool.withTransaction(conn -> shopProducts.upsertNotOlder(conn, shop, user, fetched.rows())
                .chain(written -> shopProducts.delete(conn, shop, List.copyOf(delete.keySet()))
                        .call(() -> tombstones.lay(conn, shop, delete))
                        .map(deleted -> new Stored(written, deleted, fetched))));
    }

    /** {@code shop_products.json} from the rows, written when its hash changed. */
    private Uni<WriteOutcome> writeDocument(UserId user, ShopDomain shop, ShopCatalogParts.Parts parts) {
        String key = SpacesKeys.shopifyShopProducts(user, shop);
        return assembler.assemble(shop, parts)
                .chain(document -> ensureOwner(user, shop)
                        .chain(() -> writer.write(user, key, document.file(), document.sha256(), document.size()))
                        .call(() -> productHashes.replaceFromShopProducts(shop))
                        .eventually(() -> Uni.createFrom().item(() -> deleteQuietly(document))
                                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())));
    }

    private static boolean deleteQuietly(ShopProductsAssembler.Assembled document) {
        try {
            return Files.deleteIfExists(document.file());
        } catch (IOException e) {
            LOG.debugf("temporary document %s not deleted: %s", document.file(), e.getMessage());
            return false;
        }
    }

    private Uni<Void> ensureOwner(UserId user, ShopDomain shop) {
        JobTarget target = JobTarget.shop(shop);
        return ownership.owner(pool, target).map(owner -> {
            if (owner.isPresent() && !owner.get().equals(user)) {
                throw new NotTheOwner(target, user);
            }
            return null;
        });
    }

    private static JsonObject result(List<ProductChanges.Pending> pending, Plan plan, Stored stored,
                                     Optional<WriteOutcome> outcome, Optional<ShopifyAdminGraphQL.Session> session,
                                     long started) {
        JsonArray written = new JsonArray();
        JsonArray skipped = new JsonArray();
        outcome.ifPresent(o -> (o.written() ? written : skipped).add(o.key()));
        FetchStats stats = session.map(ShopifyAdminGraphQL.Session::stats).orElse(null);
        long durationMs = (System.nanoTime() - started) / 1_000_000;
        JsonObject result = new JsonObject()
                .put("read", "patch")
                .put("changes", pending.size())
                .put("fetched", plan.fetch().size())
                .put("rowsWritten", stored.written())
                .put("rowsDeleted", stored.deleted())
                .put("productsAdded", stored.added())
                .put("goneAtShopify", stored.fetched().gone().size())
                .put("ignoredOlderThanRow", plan.olderThanRow())
                .put("ignoredAfterDelete", plan.afterDelete())
                .put("written", written)
                .put("skipped", skipped)
                .put("requests", stats == null ? 0 : stats.requests())
                .put("cost", stats == null ? 0 : stats.actualCost())
                .put("throttledWaits", stats == null ? 0 : stats.throttledWaits())
                .put("durationMs", durationMs);
        LOG.infof("patched %d product changes: %d rows written, %d deleted, document written %s; %d requests, cost %d, %d ms",
                pending.size(), stored.written(), stored.deleted(), written, result.getInteger("requests"),
                result.getInteger("cost"), durationMs);
        return result;
    }
}
