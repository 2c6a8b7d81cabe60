package io.storefrontsync.worker.shopify;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.storefrontsync.common.spaces.SpacesKeys;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.worker.connection.Ownership;
import io.storefrontsync.worker.job.JobTarget;
import io.storefrontsync.worker.job.NotTheOwner;
import io.storefrontsync.worker.spaces.SpacesDocumentWriter;
import io.storefrontsync.worker.spaces.WriteOutcome;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * One full Shopify sync, as the job runner calls it: current access token → complete catalog fetch
 * → canonical documents → Spaces (only what changed) and the per-product hashes. The fetch finishes
 * before anything is written, so a failure part-way leaves the stored documents as they were. The
 * answer becomes the job's {@code result}:
 * {@code {written, skipped, products, pages, requests, cost, throttledWaits, durationMs, ...}}.
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

    public ShopifyShopSync(ShopifyAccessTokens tokens, ShopifyAdminGraphQL graphql, CatalogFetcher fetcher,
                           SpacesDocumentWriter writer, ProductHashes productHashes, Ownership ownership, Pool pool) {
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
        long started = System.nanoTime();
        return ensureOwner(user, shop)
                .chain(owner -> tokens.accessToken(shop))
                .map(token -> graphql.session(shop, token))
                .chain(session -> fetcher.fetch(session)
                        .chain(ShopifyShopSync::canonicalise)
                        // Again after the fetch (minutes for a large store): the shop may have changed hands since.
                        .call(documents -> ensureOwner(user, shop))
                        .chain(documents -> write(user, shop, documents)
                                .map(outcomes -> result(outcomes, documents, session.stats(), started))));
    }

    /**
     * The job's user must be the one the gateway's connection row names: a shop's objects go under its owner's
     * prefix, never under the user an event claimed. Without a row the token lookup fails as before.
     */
    private Uni<Void> ensureOwner(UserId user, ShopDomain shop) {
        JobTarget target = JobTarget.shop(shop);
        return ownership.owner(pool, target).map(owner -> {
            if (owner.isPresent() && !owner.get().equals(user)) {
                throw new NotTheOwner(target, user);
            }
            return null;
        });
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

    private static JsonObject result(List<WriteOutcome> outcomes, ShopDocuments documents, FetchStats stats, long started) {
        JsonArray written = new JsonArray();
        JsonArray skipped = new JsonArray();
        outcomes.forEach(outcome -> (outcome.written() ? written : skipped).add(outcome.key()));
        long durationMs = (System.nanoTime() - started) / 1_000_000;
        LOG.infof("synced %d products: written %s, skipped %s; %d requests, cost %d, %d throttled waits, %d ms",
                documents.productCount(), written, skipped, stats.requests(), stats.actualCost(), stats.throttledWaits(),
                durationMs);
        return new JsonObject()
                .put("written", written)
                .put("skipped", skipped)
                .put("products", documents.productCount())
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
