package io.storefrontsync.worker.shopify.patch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.storefrontsync.common.event.ShopifyResourceIds;
import io.storefrontsync.common.json.CanonicalJson;
import io.storefrontsync.common.spaces.SpacesKeys;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.worker.connection.Ownership;
import io.storefrontsync.worker.job.JobStore;
import io.storefrontsync.worker.job.JobTarget;
import io.storefrontsync.worker.job.NotTheOwner;
import io.storefrontsync.worker.shopify.CatalogFetcher;
import io.storefrontsync.worker.shopify.FetchStats;
import io.storefrontsync.worker.shopify.ShopCatalog;
import io.storefrontsync.worker.shopify.ShopDocuments;
import io.storefrontsync.worker.shopify.ShopifyAccessTokens;
import io.storefrontsync.worker.shopify.ShopifyAdminGraphQL;
import io.storefrontsync.worker.shopify.ShopifyShopSync;
import io.storefrontsync.worker.shopify.bulk.ShopCatalogParts;
import io.storefrontsync.worker.shopify.bulk.ShopProducts;
import io.storefrontsync.worker.shopify.bulk.ShopProductsAssembler;
import io.storefrontsync.worker.shopify.bulk.ShopProductsDocument;
import io.storefrontsync.worker.spaces.SpacesDocumentWriter;
import io.storefrontsync.worker.spaces.WriteOutcome;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code patch} job of a shop (issue #14): applies the changes webhooks announced ({@link ShopChanges}, every
 * kind at once) instead of a full sync, each change costing its own resource's read:
 * <ul>
 *   <li>{@code products/*}: a delete removes the product's row and lays a tombstone ({@link ProductTombstones}) with
 *       its time; an update or create older than the stored row (Shopify's {@code updatedAt}), or not newer than the
 *       product's tombstone, is dropped without a request (a late delivery never overwrites newer data or
 *       resurrects a deleted product; an equal time is re-read: two changes may share a second); the others are
 *       re-read ({@link CatalogFetcher#productsByIds}: the fields, variant pages, inventory per location and
 *       metafields of a full read, so the same canonical bytes); a product answered null is deleted;</li>
 *   <li>{@code inventory_levels/*}: the item's product is found with one {@code nodes(ids:)} lookup for all the
 *       job's items ({@link CatalogFetcher#productsOfInventoryItems}, 3 points an item) and re-read like an updated
 *       product, whatever its row's time (an inventory change leaves {@code updatedAt} alone). Re-reading the
 *       product rather than splicing one level into its row keeps its bytes those of a full read by construction,
 *       at the price of a product lookup: one level change of a demo product costs 2 requests, 32 points
 *       ({@code ShopPatchTest});</li>
 *   <li>{@code collections/*} and {@code discounts/*}: re-read in one {@code nodes(ids:)} request
 *       ({@link CatalogFetcher#collectionsAndDiscountsByIds}), a delete without a read, and replaced (or dropped:
 *       deleted, answered null, a discount no longer published) in the stored lists ({@link ShopCatalogParts}).
 *       Always reading the current node is what orders them: an older update delivered after a newer one, or an
 *       update delivered after the delete, reads what Shopify has now;</li>
 *   <li>{@code shop/update}: the shop and its locations are read again ({@link CatalogFetcher#head}) and
 *       {@code shop_metadata.json} written if its hash changed.</li>
 * </ul>
 * The rows change in one transaction. A product added to or gone from the shop changed its collections' members
 * too, so then (only then) every collection is read again. {@code shop_products.json} is assembled once from the
 * rows and the stored parts ({@link ShopProductsAssembler}) and written only when its hash changed; the changes
 * applied are forgotten last, so a failure anywhere leaves them for the retry.
 *
 * <p>A full sync instead ({@link ShopifyShopSync}), reading the changes with everything else: when the shop has no
 * stored catalog (never fully synced since patches exist), or when the pending changes are past the shop's own
 * {@link PatchLimit}: the throttle's wait for the patch's points longer than the shop's last full sync took
 * ({@value PatchLimit#WITHOUT_HISTORY} changes without one). The cost model was measured on the simulator's
 * 650-product demo store with Shopify's cost rules
 * ({@code BulkCatalogSyncTest.aPatchOfNProductsShouldCostLinearlyAndFitInTheBulkSyncsTimeUpToTheThreshold}): a
 * patch re-reads 10 products per request at 29 points each (1 product: 1 request, 29 points; 10: 1, 290; 40: 4,
 * 1,160; 100: 10, 2,900), where a full sync by bulk operation costs 131 points in 4 requests (the status check, the
 * shop, one discounts page, one collections page; Shopify does not charge the bulk work) on the demo store and on
 * a 10,000-product store alike, and 20,119 points in 70 requests paginated. Points therefore cannot be the measure
 * (they would stop patching after 4 products); time until current is. Collection, discount and shop changes count
 * ~10 points each. The limit is checked before anything is read.
 */
@ApplicationScoped
public class ShopPatch {

    private static final Logger LOG = Logger.getLogger(ShopPatch.class);

    private final Pool pool;
    private final Ownership ownership;
    private final ShopifyAccessTokens tokens;
    private final ShopifyAdminGraphQL graphql;
    private final CatalogFetcher fetcher;
    private final ShopChanges changes;
    private final ProductTombstones tombstones;
    private final ShopProducts shopProducts;
    private final ShopCatalogParts catalogParts;
    private final ShopProductsAssembler assembler;
    private final SpacesDocumentWriter writer;
    private final ShopProductsDocument productsDocument;
    private final ShopifyShopSync fullSync;
    private final JobStore jobs;

    public ShopPatch(Pool pool, Ownership ownership, ShopifyAccessTokens tokens, ShopifyAdminGraphQL graphql,
                     CatalogFetcher fetcher, ShopChanges changes, ProductTombstones tombstones,
                     ShopProducts shopProducts, ShopCatalogParts catalogParts, ShopProductsAssembler assembler,
                     SpacesDocumentWriter writer, ShopProductsDocument productsDocument, ShopifyShopSync fullSync,
                     JobStore jobs) {
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
        this.productsDocument = productsDocument;
        this.fullSync = fullSync;
        this.jobs = jobs;
    }

    /**
     * @param startedAt when the job started (database time), handed to a full sync taken instead
     * @param retried whether an earlier attempt of this work failed: the document is then assembled and compared even
     *                when no row changes now (the failed attempt may have changed the rows and not the document)
     * @throws NotTheOwner (as the Uni's failure) when the gateway names another user for the shop
     */
    public Uni<JsonObject> patch(UserId user, ShopDomain shop, OffsetDateTime startedAt, boolean retried) {
        long started = System.nanoTime();
        return ownership.requireOwner(pool, JobTarget.shop(shop), user)
                .chain(() -> catalogParts.find(pool, shop))
                .chain(parts -> parts.isEmpty()
                        ? instead(user, shop, startedAt, "no stored catalog yet")
                        : limitOf(shop).chain(limit -> changes.pending(pool, shop, limit.maxChanges() + 1)
                                .chain(pending -> {
                            if (pending.isEmpty()) {
                                return Uni.createFrom().item(new JsonObject().put("read", "patch").put("changes", 0)
                                        .put("written", new JsonArray()).put("skipped", new JsonArray()));
                            }
                            if (!patches(limit, pending)) {
                                return instead(user, shop, startedAt, pending.size() + " changes past the limit "
                                        + (limit.recorded() ? "(last full sync " + limit.fullSyncPoints() + " points, "
                                        + limit.fullSyncMillis() + " ms)" : "of " + PatchLimit.WITHOUT_HISTORY));
                            }
                            return apply(user, shop, parts.get(), pending, retried, started);
                        })));
    }

    /**
     * The shop's patch limit: its last full sync against the throttle this worker saw ({@link PatchLimit#of};
     * {@link PatchLimit#WITHOUT_HISTORY} without a recorded full sync).
     */
    public Uni<PatchLimit> limitOf(ShopDomain shop) {
        return jobs.lastFullSync(pool, JobTarget.shop(shop)).map(last -> PatchLimit.of(last, graphql.throttleOf(shop)));
    }

    /** Whether the limit takes these changes, weighed by what each kind reads ({@link Split#patchedBy}). */
    private static boolean patches(PatchLimit limit, List<ShopChanges.Pending> pending) {
        return Split.of(pending).patchedBy(limit);
    }

    private Uni<JsonObject> instead(UserId user, ShopDomain shop, OffsetDateTime startedAt, String why) {
        LOG.debugf("%s: full sync instead of a patch: %s", shop, why);
        return fullSync.sync(user, shop, null, null, startedAt).map(result -> result.put("insteadOfPatch", why));
    }

    /**
     * What the stored rows and tombstones say of each pending product change, and the products to re-read for an
     * inventory change.
     *
     * @param stored the products to re-read that have a row (the others are new to the shop)
     */
    private record Plan(List<String> fetch, Map<String, OffsetDateTime> delete, int olderThanRow, int afterDelete,
                        Set<String> stored, int fromInventory) {

        boolean nothingToRead() {
            return fetch.isEmpty() && delete.isEmpty();
        }
    }

    /** The pending changes by kind. */
    private record Split(List<ShopChanges.Pending> products, List<String> inventoryItems,
                         List<ShopChanges.Pending> nodes, boolean shop) {

        static Split of(List<ShopChanges.Pending> pending) {
            List<ShopChanges.Pending> products = new ArrayList<>();
            Set<String> items = new LinkedHashSet<>();
            List<ShopChanges.Pending> nodes = new ArrayList<>();
            boolean shop = false;
            for (ShopChanges.Pending change : pending) {
                switch (change.kind()) {
                    case PRODUCT -> products.add(change);
                    case INVENTORY -> ShopifyResourceIds.inventoryItemOf(change.resourceId()).ifPresent(items::add);
                    case COLLECTION, DISCOUNT -> nodes.add(change);
                    case SHOP -> shop = true;
                }
            }
            return new Split(products, List.copyOf(items), nodes, shop);
        }

        /**
         * Whether {@code limit} takes these changes: each product change and each distinct inventory item (levels of
         * one item at several locations re-read one product) re-reads a product; each collection or discount, and the
         * shop, reads one node.
         */
        boolean patchedBy(PatchLimit limit) {
            return limit.patches(products.size() + inventoryItems.size(), nodes.size() + (shop ? 1 : 0));
        }

        /** Whether Shopify is asked something before the products' plan (which needs the inventory items' products). */
        boolean readsBeyondProducts() {
            return !inventoryItems.isEmpty() || !nodes.isEmpty() || shop;
        }
    }

    private Uni<JsonObject> apply(UserId user, ShopDomain shop, ShopCatalogParts.Parts parts,
                                  List<ShopChanges.Pending> pending, boolean retried, long started) {
        Split split = Split.of(pending);
        return session(shop, split.readsBeyondProducts()).chain(early -> productsOfItems(early, split.inventoryItems())
                .chain(fromInventory -> {
                    Set<String> ids = new LinkedHashSet<>();
                    split.products().forEach(change -> ids.add(change.resourceId()));
                    ids.addAll(fromInventory);
                    List<String> all = List.copyOf(ids);
                    return shopProducts.updatedAts(pool, shop, all).chain(rows -> tombstones.find(pool, shop, all)
                            .map(dead -> plan(split.products(), fromInventory, rows, dead)));
                })
                .chain(plan -> (early.isPresent() ? Uni.createFrom().item(early) : session(shop, !plan.nothingToRead()))
                        .chain(session -> fetch(session, plan, parts)
                                .chain(fetched -> ownership.requireOwner(pool, JobTarget.shop(shop), user).replaceWith(fetched))
                                .chain(fetched -> store(user, shop, plan, fetched))
                                .chain(stored -> withMembers(session, user, shop, parts, stored)
                                        .chain(current -> patchNodes(session, user, shop, current, split.nodes()))
                                        .chain(nodes -> (stored.changedRows() > 0 || nodes.changed() || retried
                                                ? writeDocument(user, shop, nodes.parts()).map(Optional::of)
                                                : Uni.createFrom().item(Optional.<WriteOutcome>empty()))
                                                .chain(outcome -> shopMetadata(session, user, shop, split.shop())
                                                        .map(metadata -> result(pending, plan, stored, nodes, outcome,
                                                                metadata, session, started))))
                                        .call(() -> changes.forget(pool, shop, pending))))));
    }

    /** A session when Shopify is to be asked something (a token read, no Shopify request); none otherwise. */
    private Uni<Optional<ShopifyAdminGraphQL.Session>> session(ShopDomain shop, boolean needed) {
        if (!needed) {
            return Uni.createFrom().item(Optional.empty());
        }
        return tokens.accessToken(shop).map(token -> Optional.of(graphql.session(shop, token)));
    }

    /** The products owning these inventory items (an item Shopify no longer has owns none: its product's delete tells). */
    private Uni<Set<String>> productsOfItems(Optional<ShopifyAdminGraphQL.Session> session, List<String> items) {
        if (items.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return fetcher.productsOfInventoryItems(session.orElseThrow(), items).map(owners -> {
            Set<String> products = new LinkedHashSet<>();
            owners.values().forEach(owner -> owner.ifPresent(products::add));
            return products;
        });
    }

    /** The stored parts after the collection and discount changes; {@code changed}: whether they differ. */
    private record NodesPatch(ShopCatalogParts.Parts parts, boolean changed, int read, int collections, int discounts) {
    }

    /**
     * Applies the {@code collections/*} and {@code discounts/*} changes to the stored lists: every changed node is
     * dropped from its list, then the ones Shopify still has (and, for a discount, publishes) go back in as read
     * now; a delete is not read. The lists are canonical again (sorted by id, as a full read writes them) and stored
     * when they changed.
     */
    private Uni<NodesPatch> patchNodes(Optional<ShopifyAdminGraphQL.Session> session, UserId user, ShopDomain shop,
                                       ShopCatalogParts.Parts parts, List<ShopChanges.Pending> nodes) {
        if (nodes.isEmpty()) {
            return Uni.createFrom().item(new NodesPatch(parts, false, 0, 0, 0));
        }
        List<String> read = nodes.stream().filter(change -> !change.deleted()).map(ShopChanges.Pending::resourceId).toList();
        Uni<Map<String, Optional<ObjectNode>>> answered = read.isEmpty()
                ? Uni.createFrom().item(Map.of())
                : fetcher.collectionsAndDiscountsByIds(session.orElseThrow(), read);
        return answered.chain(found -> Uni.createFrom().item(() -> patched(parts, nodes, found))
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()))
                .call(patch -> patch.changed()
                        ? ownership.requireOwner(pool, JobTarget.shop(shop), user).chain(() -> catalogParts.put(pool, shop, user, patch.parts()))
                        : Uni.createFrom().voidItem());
    }

    private static NodesPatch patched(ShopCatalogParts.Parts parts, List<ShopChanges.Pending> nodes,
                                      Map<String, Optional<ObjectNode>> found) {
        Map<ShopChange.Kind, Set<String>> changed = new EnumMap<>(ShopChange.Kind.class);
        nodes.forEach(change -> changed.computeIfAbsent(change.kind(), k -> new LinkedHashSet<>()).add(change.resourceId()));
        String collections = replaced(parts.collectionsJson(), changed.getOrDefault(ShopChange.Kind.COLLECTION, Set.of()), found);
        String discounts = replaced(parts.discountsJson(), changed.getOrDefault(ShopChange.Kind.DISCOUNT, Set.of()), found);
        ShopCatalogParts.Parts current = new ShopCatalogParts.Parts(discounts, collections, parts.locationsJson());
        return new NodesPatch(current, !current.equals(parts), found.size(),
                changed.getOrDefault(ShopChange.Kind.COLLECTION, Set.of()).size(),
                changed.getOrDefault(ShopChange.Kind.DISCOUNT, Set.of()).size());
    }

    /** A stored canonical list with the changed ids dropped and those Shopify still has put back as read now. */
    private static String replaced(String listJson, Set<String> changed, Map<String, Optional<ObjectNode>> found) {
        if (changed.isEmpty()) {
            return listJson;
        }
        List<ObjectNode> nodes = new ArrayList<>();
        CanonicalJson.parse(listJson).forEach(node -> {
            if (!changed.contains(node.path("id").asText())) {
                nodes.add((ObjectNode) node);
            }
        });
        changed.forEach(id -> found.getOrDefault(id, Optional.empty()).ifPresent(nodes::add));
        return new String(ShopDocuments.canonicalList(nodes), StandardCharsets.UTF_8);
    }

    /** {@code shop/update}: the shop and its locations read again, {@code shop_metadata.json} written if it changed. */
    private Uni<Optional<WriteOutcome>> shopMetadata(Optional<ShopifyAdminGraphQL.Session> session, UserId user,
                                                     ShopDomain shop, boolean changed) {
        if (!changed) {
            return Uni.createFrom().item(Optional.empty());
        }
        return fetcher.head(session.orElseThrow())
                .map(head -> ShopDocuments.metadataOf(new ShopCatalog(head.shop(), head.locations(), List.of(),
                        List.of(), List.of())))
                .chain(metadata -> ownership.requireOwner(pool, JobTarget.shop(shop), user)
                        .chain(() -> writer.write(user, SpacesKeys.shopifyShopMetadata(user, shop), metadata)))
                .map(Optional::of);
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

    private static Plan plan(List<ShopChanges.Pending> pending, Set<String> fromInventory,
                             Map<String, Optional<OffsetDateTime>> rows, Map<String, OffsetDateTime> dead) {
        Set<String> fetch = new LinkedHashSet<>();
        Map<String, OffsetDateTime> delete = new LinkedHashMap<>();
        int older = 0;
        int afterDelete = 0;
        for (ShopChanges.Pending change : pending) {
            OffsetDateTime tombstone = dead.get(change.resourceId());
            Optional<OffsetDateTime> row = rows.getOrDefault(change.resourceId(), Optional.empty());
            if (change.deleted()) {
                delete.put(change.resourceId(), change.changedAt());
            } else if (tombstone != null && !change.changedAt().isAfter(tombstone)) {
                afterDelete++;
            } else if (row.isPresent() && change.changedAt().isBefore(row.get())) {
                older++;
            } else {
                fetch.add(change.resourceId());
            }
        }
        // An inventory change leaves the product's updatedAt alone: its product is read whatever the row's time
        // (Shopify answers the product as it is now), unless this job deletes it.
        int inventory = 0;
        for (String product : fromInventory) {
            if (!delete.containsKey(product) && fetch.add(product)) {
                inventory++;
            }
        }
        return new Plan(List.copyOf(fetch), delete, older, afterDelete, rows.keySet(), inventory);
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
        return productsDocument.withAssembled(user, shop, assembler.assemble(shop, parts),
                document -> productsDocument.put(user, shop, document));
    }



    private static JsonObject result(List<ShopChanges.Pending> pending, Plan plan, Stored stored, NodesPatch nodes,
                                     Optional<WriteOutcome> outcome, Optional<WriteOutcome> metadata,
                                     Optional<ShopifyAdminGraphQL.Session> session, long started) {
        JsonArray written = new JsonArray();
        JsonArray skipped = new JsonArray();
        metadata.ifPresent(o -> (o.written() ? written : skipped).add(o.key()));
        outcome.ifPresent(o -> (o.written() ? written : skipped).add(o.key()));
        FetchStats stats = session.map(ShopifyAdminGraphQL.Session::stats).orElse(null);
        long durationMs = (System.nanoTime() - started) / 1_000_000;
        JsonObject result = new JsonObject()
                .put("read", "patch")
                .put("changes", pending.size())
                .put("fetched", plan.fetch().size())
                .put("productsFromInventory", plan.fromInventory())
                .put("rowsWritten", stored.written())
                .put("rowsDeleted", stored.deleted())
                .put("productsAdded", stored.added())
                .put("goneAtShopify", stored.fetched().gone().size())
                .put("ignoredOlderThanRow", plan.olderThanRow())
                .put("ignoredAfterDelete", plan.afterDelete())
                .put("collectionsChanged", nodes.collections())
                .put("discountsChanged", nodes.discounts())
                .put("partsChanged", nodes.changed())
                .put("written", written)
                .put("skipped", skipped)
                .put("requests", stats == null ? 0 : stats.requests())
                .put("cost", stats == null ? 0 : stats.actualCost())
                .put("throttledWaits", stats == null ? 0 : stats.throttledWaits())
                .put("costMismatches", stats == null ? 0 : stats.costMismatches())
                .put("durationMs", durationMs);
        LOG.infof("patched %d changes: %d rows written, %d deleted, %d collections, %d discounts, written %s; %d requests, cost %d, %d ms",
                pending.size(), stored.written(), stored.deleted(), nodes.collections(), nodes.discounts(), written,
                result.getInteger("requests"), result.getInteger("cost"), durationMs);
        return result;
    }
}
