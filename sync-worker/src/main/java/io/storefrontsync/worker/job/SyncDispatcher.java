package io.storefrontsync.worker.job;

import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.validation.PageId;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.worker.facebook.FacebookPageSync;
import io.storefrontsync.worker.facebook.PageRedactor;
import io.storefrontsync.worker.shopify.ShopifyShopSync;
import io.storefrontsync.worker.spaces.ShopRedactor;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

/** Sends a claimed job to the code that does its work; the answer becomes the job's {@code result}. */
@ApplicationScoped
public class SyncDispatcher {

    private final ShopifyShopSync shopifySync;
    private final ShopRedactor shopRedactor;
    private final FacebookPageSync pageSync;
    private final PageRedactor pageRedactor;

    public SyncDispatcher(ShopifyShopSync shopifySync, ShopRedactor shopRedactor, FacebookPageSync pageSync,
                          PageRedactor pageRedactor) {
        this.shopifySync = shopifySync;
        this.shopRedactor = shopRedactor;
        this.pageSync = pageSync;
        this.pageRedactor = pageRedactor;
    }

    Uni<JsonObject> run(SyncJob job) {
        return switch (job.target().kind()) {
            case SHOPIFY_SHOP -> job.action() == JobAction.REDACT
                    ? shopRedactor.redact(job.userId(), new ShopDomain(job.target().id()), job.id())
                    : shopifySync.sync(job.userId(), new ShopDomain(job.target().id()));
            case FACEBOOK_PAGE -> job.action() == JobAction.REDACT
                    ? pageRedactor.redact(job.userId(), new PageId(job.target().id()), job.id())
                    : pageSync.sync(job.userId(), new PageId(job.target().id()));
        };
    }
}
