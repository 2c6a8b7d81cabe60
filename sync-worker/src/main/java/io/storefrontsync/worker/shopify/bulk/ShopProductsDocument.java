package io.storefrontsync.worker.shopify.bulk;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.storefrontsync.common.spaces.SpacesKeys;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.worker.connection.Ownership;
import io.storefrontsync.worker.job.JobTarget;
import io.storefrontsync.worker.shopify.ProductHashes;
import io.storefrontsync.worker.spaces.SpacesDocumentWriter;
import io.storefrontsync.worker.spaces.WriteOutcome;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.function.Function;

/**
 * {@code shop_products.json} as {@link ShopProductsAssembler} makes it from {@code worker.shop_products} (canonical
 * and hashed while it streams to a temporary file), written the same way by a bulk full sync and by a patch: the
 * owner checked again right before anything goes to Spaces, the document put only when its hash changed, the
 * per-product hashes taken from the same rows, and the temporary file deleted whatever happened.
 */
@ApplicationScoped
public class ShopProductsDocument {

    private final Ownership ownership;
    private final Pool pool;
    private final SpacesDocumentWriter writer;
    private final ProductHashes productHashes;

    public ShopProductsDocument(Ownership ownership, Pool pool, SpacesDocumentWriter writer,
                                ProductHashes productHashes) {
        this.ownership = ownership;
        this.pool = pool;
        this.writer = writer;
        this.productHashes = productHashes;
    }

    /**
     * Runs {@code write} (which ends with {@link #put}) on the assembled document once the shop's owner is checked,
     * then deletes the document's file (on a worker thread: file I/O), also when the check or a write failed.
     */
    public <T> Uni<T> withAssembled(UserId user, ShopDomain shop, Uni<ShopProductsAssembler.Assembled> assembly,
                                    Function<ShopProductsAssembler.Assembled, Uni<T>> write) {
        return assembly.chain(document -> ownership.requireOwner(pool, JobTarget.shop(shop), user)
                .chain(() -> write.apply(document))
                .eventually(() -> Uni.createFrom().item(() -> document.deleteQuietly())
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())));
    }

    /** The document put to Spaces when its hash changed, then each product's hash recorded from its rows. */
    public Uni<WriteOutcome> put(UserId user, ShopDomain shop, ShopProductsAssembler.Assembled document) {
        return writer.write(user, SpacesKeys.shopifyShopProducts(user, shop), document.file(), document.sha256(),
                        document.size())
                .call(() -> productHashes.replaceFromShopProducts(shop));
    }
}
