package io.storefrontsync.worker.intake;

import io.storefrontsync.common.event.ChangeEvent;
import io.storefrontsync.common.validation.PageId;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.worker.job.JobAction;
import io.storefrontsync.worker.job.JobRequest;
import io.storefrontsync.worker.job.JobTarget;
import io.storefrontsync.worker.job.JobTrigger;
import io.storefrontsync.worker.job.TargetKind;
import io.storefrontsync.worker.shopify.patch.ShopChange;

import java.util.Objects;
import java.util.Optional;

/**
 * What one change event asks of the intake, decided from the event alone: nothing here reads the database, so
 * every kind of event is tested directly ({@code IntakeRouteTest}). {@link EventIntakeService} then carries the
 * route out against the database — whose the target is, whether it waits for a new login, the job itself.
 *
 * @param kind what the event leads to
 * @param target the shop or Page the event is about
 * @param namedUser the user the event names, if any: checked against the gateway's rows, never trusted; when
 *     absent the intake looks the user up
 * @param trigger the trigger of the job it leads to: {@link JobTrigger#INSTALL} for an event that starts a
 *     connection's life (its first sync runs at once), otherwise {@link JobTrigger#WEBHOOK} (a sync is debounced)
 */
public record IntakeRoute(Kind kind, JobTarget target, Optional<UserId> namedUser, JobTrigger trigger) {

    /** The routes, each with the action of the job it enqueues (none for the three that enqueue nothing). */
    public enum Kind {
        /** Shopify's {@code customers/data_request} and {@code customers/redact}: no customer data is stored. */
        IGNORE_CUSTOMER_COMPLIANCE(null),
        /** {@code app/uninstalled}: the token is gone, so the shop's pending sync is withdrawn (a redaction stays). */
        CANCEL_PENDING_SYNC(null),
        /** {@code bulk_operations/finish}: the shop's job parked on its bulk operation is due now; nothing is enqueued. */
        WAKE_PARKED(null),
        /** {@code shop/redact}: a job erasing the shop's copy. */
        REDACT_SHOP(JobAction.REDACT),
        /** {@code page/deleted}: a job erasing the user's copy of the Page. */
        DELETE_PAGE(JobAction.REDACT),
        /** {@code page/connected}: a fresh Page token, so the Page's needs-login flag is cleared and it is synced. */
        SYNC_CONNECTED_PAGE(JobAction.SYNC),
        /**
         * A change the shop's patch job applies on its own ({@link ShopChange}: {@code products/*},
         * {@code inventory_levels/*}, {@code collections/*}, {@code discounts/*} naming a valid id, and
         * {@code shop/update}): the change is recorded and the patch re-reads that resource only (a pending sync
         * absorbs it).
         */
        PATCH(JobAction.PATCH),
        /** Any other change topic, or {@code app/installed}: the target is synced. */
        SYNC(JobAction.SYNC);

        private final JobAction action;

        Kind(JobAction action) {
            this.action = action;
        }

        /** The action of the job this route enqueues; empty when it enqueues none. */
        public Optional<JobAction> action() {
            return Optional.ofNullable(action);
        }
    }

    public IntakeRoute {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(namedUser, "namedUser");
        Objects.requireNonNull(trigger, "trigger");
    }

    /**
     * The route of a {@linkplain ChangeEvent#validate() valid} event. The switch names every {@code EventKind}: a
     * kind added to the contract does not compile here until someone decides what the worker does with it.
     */
    public static IntakeRoute of(ChangeEvent event) {
        Kind kind = switch (event.kind()) {
            case CUSTOMERS_DATA_REQUEST, CUSTOMERS_REDACT -> Kind.IGNORE_CUSTOMER_COMPLIANCE;
            case SHOP_UNINSTALLED -> Kind.CANCEL_PENDING_SYNC;
            case SHOP_BULK_FINISHED -> Kind.WAKE_PARKED;
            case SHOP_REDACT -> Kind.REDACT_SHOP;
            case PAGE_DELETED -> Kind.DELETE_PAGE;
            case PAGE_CONNECTED -> Kind.SYNC_CONNECTED_PAGE;
            case SHOP_INSTALLED -> Kind.SYNC;
            case CHANGE -> ShopChange.of(event).isPresent() ? Kind.PATCH : Kind.SYNC;
        };
        JobTarget target = switch (event.source()) {
            case SHOPIFY -> JobTarget.shop(new ShopDomain(event.shop()));
            case FACEBOOK -> JobTarget.page(PageId.parse(event.pageId()));
        };
        Optional<UserId> named = Optional.ofNullable(event.userId()).map(UserId::parse);
        JobTrigger trigger = event.kind().isConnect() ? JobTrigger.INSTALL : JobTrigger.WEBHOOK;
        return new IntakeRoute(kind, target, named, trigger);
    }

    /**
     * The job this route asks for, for {@code user} (the named user once checked, or the one looked up).
     *
     * @throws IllegalStateException for a route that enqueues no job
     */
    public JobRequest request(UserId user) {
        JobAction action = kind.action()
                .orElseThrow(() -> new IllegalStateException(kind + " enqueues no job"));
        return new JobRequest(target, user, trigger, action);
    }

    /**
     * A change of a Page whose token Graph refused is not synced until the merchant logs in again: its job could
     * only die again; {@code page/connected} is that login. Only Pages are ever flagged (Graph refusing a Page
     * token, {@code PageTokenRejectedException}), so a shop's change is not checked.
     */
    public boolean waitsForLogin() {
        return kind == Kind.SYNC && target.kind() == TargetKind.FACEBOOK_PAGE;
    }

    /**
     * Whether {@code next}, the target's following event in a batch, asks for the very same sync or patch and so
     * joins this one's statements (a burst of one shop's {@code products/update}): both sync (or patch) the same
     * shop for the same named user with the same trigger. Page syncs never join: each change consults the Page's
     * needs-login flag.
     */
    public boolean joins(IntakeRoute next) {
        return (kind == Kind.SYNC || kind == Kind.PATCH) && target.kind() == TargetKind.SHOPIFY_SHOP
                && namedUser.isPresent() && equals(next);
    }

    /** {@code shop <domain>} or {@code page <id>}, as the intake's answers name the target. */
    public String describeTarget() {
        return (target.kind() == TargetKind.SHOPIFY_SHOP ? "shop " : "page ") + target.id();
    }
}
