package io.storefrontsync.gateway.page;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.validation.PageId;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.gateway.facebook.FacebookPages;
import io.storefrontsync.gateway.shopify.ShopifyConnections;
import io.storefrontsync.gateway.webhook.Outbox;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * Builds {@link MerchantStatus} for a signed-in user: the connections, the outbox row of each target's first-sync
 * event ({@code app/installed}, {@code page/connected}) and, once the worker accepted it, the worker's job of that
 * first sync ({@link FirstSyncJobs}): its phase, products read of the total, and whether it finished.
 */
@ApplicationScoped
public class MerchantStatusService {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'");

    private final Pool pool;
    private final ShopifyConnections shops;
    private final FacebookPages pages;
    private final Outbox outbox;
    private final FirstSyncJobs jobs;

    public MerchantStatusService(Pool pool, ShopifyConnections shops, FacebookPages pages, Outbox outbox,
                                 FirstSyncJobs jobs) {
        this.pool = pool;
        this.shops = shops;
        this.pages = pages;
        this.outbox = outbox;
        this.jobs = jobs;
    }

    public Uni<MerchantStatus> of(UserId user) {
        Uni<java.util.List<MerchantStatus.Shop>> shopList = shops.findByUser(pool, user.value())
                .onItem().transformToMulti(rows -> Multi.createFrom().iterable(rows))
                .onItem().transformToUniAndConcatenate(row -> outbox.latestInstall(pool, new ShopDomain(row.shop()))
                        .chain(handover -> jobs.latest(pool, user.value(), FirstSyncJobs.SHOP, row.shop())
                                .map(job -> new MerchantStatus.Shop(row.shop(), row.status(), firstSync(handover, job)))))
                .collect().asList();
        Uni<java.util.List<MerchantStatus.Page>> pageList = pages.findByUser(pool, user.value())
                .onItem().transformToMulti(rows -> Multi.createFrom().iterable(rows))
                .onItem().transformToUniAndConcatenate(row -> outbox.latestPageConnected(pool, new PageId(row.pageId()))
                        .chain(handover -> jobs.latest(pool, user.value(), FirstSyncJobs.PAGE, row.pageId())
                                .map(job -> new MerchantStatus.Page(row.pageId(), row.name(), row.status(),
                                        firstSync(handover, job)))))
                .collect().asList();
        return shopList.chain(s -> pageList.map(p -> new MerchantStatus(user.toString(), s, p)));
    }

    /**
     * The gateway's side first (an event not yet handed over says so, whatever an older job did), then the worker's
     * job of it: one created after the event was queued (an older one belongs to an earlier install).
     */
    static MerchantStatus.FirstSync firstSync(Optional<Outbox.Handover> handover, Optional<FirstSyncJobs.Job> job) {
        boolean handedOver = handover.isEmpty() || handover.get().deliveredAt() != null;
        if (handedOver && job.isPresent()
                && (handover.isEmpty() || !job.get().createdAt().isBefore(handover.get().createdAt()))) {
            return fromJob(handover, job.get());
        }
        return firstSync(handover);
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
                            + "; it copies your data in the background.");
        }
        if (h.attempts() > 0) {
            return new MerchantStatus.FirstSync("retrying", h.createdAt(), null, h.attempts(),
                    "First sync queued at " + format(h.createdAt()) + "; the sync worker has not accepted it yet ("
                            + h.attempts() + (h.attempts() == 1 ? " attempt" : " attempts") + "), it will be retried.");
        }
        return new MerchantStatus.FirstSync("queued", h.createdAt(), null, 0,
                "First sync queued at " + format(h.createdAt()) + ", waiting to be handed to the sync worker.");
    }

    static MerchantStatus.FirstSync fromJob(Optional<Outbox.Handover> handover, FirstSyncJobs.Job job) {
        OffsetDateTime queued = handover.map(Outbox.Handover::createdAt).orElse(null);
        OffsetDateTime handed = handover.map(Outbox.Handover::deliveredAt).orElse(null);
        JsonObject progress = job.progress() == null ? new JsonObject() : job.progress();
        String phase = progress.getValue("phase") instanceof String p ? p : null;
        Integer read = number(progress, "productsRead");
        Integer total = number(progress, "productsTotal");
        return switch (job.status()) {
            case "succeeded" -> new MerchantStatus.FirstSync("synced", queued, handed, job.attempts(),
                    "Synced at " + format(job.finishedAt()) + (job.productsSynced() == null ? "."
                            : ": " + products(job.productsSynced()) + " copied."),
                    null, job.productsSynced(), job.productsSynced(), job.finishedAt());
            case "failed", "dead" -> new MerchantStatus.FirstSync("failed", queued, handed, job.attempts(),
                    "First sync failed after " + job.attempts() + (job.attempts() == 1 ? " attempt" : " attempts")
                            + ". Reconnect to try again; if it fails again, contact support.",
                    phase, read, total, job.finishedAt());
            case "cancelled" -> new MerchantStatus.FirstSync("cancelled", queued, handed, job.attempts(),
                    "First sync cancelled: the app was uninstalled before it ran.", phase, read, total, job.finishedAt());
            case "pending" -> new MerchantStatus.FirstSync("syncing", queued, handed, job.attempts(),
                    job.attempts() == 0 ? "First sync accepted by the sync worker, starting in a moment."
                            : "First sync met an error and will be retried (" + job.attempts() + " of "
                            + job.maxAttempts() + " attempts made).",
                    phase, read, total, null);
            default -> new MerchantStatus.FirstSync("syncing", queued, handed, job.attempts(),
                    "First sync running: " + runningText(job.status(), phase, read, total), phase, read, total, null);
        };
    }

    /** What a running (or, {@code waiting}, parked) sync is doing, from the worker's progress note. */
    private static String runningText(String status, String phase, Integer read, Integer total) {
        if ("waiting".equals(status) || "bulk_operation".equals(phase)) {
            return "Shopify is exporting " + (total == null ? "the products" : products(total)) + " for us.";
        }
        if (phase == null) {
            return "reading your data.";
        }
        return switch (phase) {
            case "shop" -> "reading the store.";
            case "products" -> (read == null ? 0 : read) + " of " + (total == null ? "?" : products(total)) + " read.";
            case "bulk_download" -> "reading Shopify's export.";
            case "writing" -> (read == null ? "the products" : total == null ? products(read) : read + " of " + products(total))
                    + " read, saving them.";
            default -> "reading your data.";
        };
    }

    private static String products(int count) {
        return count + (count == 1 ? " product" : " products");
    }

    private static Integer number(JsonObject json, String field) {
        return json.getValue(field) instanceof Number n ? n.intValue() : null;
    }

    private static String format(OffsetDateTime time) {
        return TIME.format(time.withOffsetSameInstant(ZoneOffset.UTC));
    }
}
