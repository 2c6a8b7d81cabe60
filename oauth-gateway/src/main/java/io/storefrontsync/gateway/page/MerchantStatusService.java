package io.storefrontsync.gateway.page;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.validation.PageId;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.gateway.facebook.FacebookPages;
import io.storefrontsync.gateway.shopify.ShopifyConnections;
import io.storefrontsync.gateway.webhook.Outbox;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * Builds {@link MerchantStatus} for a signed-in user from what the gateway stores: the connections, and the outbox
 * row of each target's first-sync event ({@code app/installed}, {@code page/connected}). It says "handed to the
 * sync worker", never "synced": the gateway does not see the worker's jobs.
 */
@ApplicationScoped
public class MerchantStatusService {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'");

    private final Pool pool;
    private final ShopifyConnections shops;
    private final FacebookPages pages;
    private final Outbox outbox;

    public MerchantStatusService(Pool pool, ShopifyConnections shops, FacebookPages pages, Outbox outbox) {
        this.pool = pool;
        this.shops = shops;
        this.pages = pages;
        this.outbox = outbox;
    }

    public Uni<MerchantStatus> of(UserId user) {
        Uni<java.util.List<MerchantStatus.Shop>> shopList = shops.findByUser(pool, user.value())
                .onItem().transformToMulti(rows -> Multi.createFrom().iterable(rows))
                .onItem().transformToUniAndConcatenate(row -> outbox.latestInstall(pool, new ShopDomain(row.shop()))
                        .map(handover -> new MerchantStatus.Shop(row.shop(), row.status(), firstSync(handover))))
                .collect().asList();
        Uni<java.util.List<MerchantStatus.Page>> pageList = pages.findByUser(pool, user.value())
                .onItem().transformToMulti(rows -> Multi.createFrom().iterable(rows))
                .onItem().transformToUniAndConcatenate(row -> outbox.latestPageConnected(pool, new PageId(row.pageId()))
                        .map(handover -> new MerchantStatus.Page(row.pageId(), row.name(), row.status(), firstSync(handover))))
                .collect().asList();
        return shopList.chain(s -> pageList.map(p -> new MerchantStatus(user.toString(), s, p)));
    }

    static MerchantStatus.FirstSync firstSync(Optional<Outbox.Handover> handover) {
        if (handover.isEmpty()) {
            return new MerchantStatus.FirstSync("unknown", null, null, 0,
                    "No first-sync request on record any more (they are kept 7 days after delivery).");
        }
        Outbox.Handover h = handover.get();
        if (h.deliveredAt() != null) {
            return new MerchantStatus.FirstSync("handed_over", h.createdAt(), h.deliveredAt(), h.attempts(),
                    "First sync handed to the sync worker at " + format(h.deliveredAt())
                            + "; it copies your data in the background. This page cannot show its progress yet.");
        }
        if (h.attempts() > 0) {
            return new MerchantStatus.FirstSync("retrying", h.createdAt(), null, h.attempts(),
                    "First sync queued at " + format(h.createdAt()) + "; the sync worker has not accepted it yet ("
                            + h.attempts() + (h.attempts() == 1 ? " attempt" : " attempts") + "), it will be retried.");
        }
        return new MerchantStatus.FirstSync("queued", h.createdAt(), null, 0,
                "First sync queued at " + format(h.createdAt()) + ", waiting to be handed to the sync worker.");
    }

    private static String format(OffsetDateTime time) {
        return TIME.format(time.withOffsetSameInstant(ZoneOffset.UTC));
    }
}
