package io.storefrontsync.worker.intake;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.event.ChangeEvent;
import io.storefrontsync.common.event.ChangeEventBatch;
import io.storefrontsync.common.event.EventKind;
import io.storefrontsync.common.event.Source;
import io.storefrontsync.common.validation.PageId;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.worker.connection.GatewayConnections;
import io.storefrontsync.worker.connection.Ownership;
import io.storefrontsync.worker.job.ConnectionHealth;
import io.storefrontsync.worker.job.EnqueuedJob;
import io.storefrontsync.worker.job.JobAction;
import io.storefrontsync.worker.job.JobRequest;
import io.storefrontsync.worker.job.JobStore;
import io.storefrontsync.worker.job.JobTarget;
import io.storefrontsync.worker.job.JobTrigger;
import io.storefrontsync.worker.job.SyncJobQueue;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Turns the gateway's change events into jobs, the whole batch in one transaction: the gateway
 * marks its outbox rows delivered only after our 202, so a failure here means a redelivery, and
 * the coalescing makes that redelivery harmless. Consecutive events asking for the same shop sync
 * (a burst of one shop's webhooks) take one statement between them.
 *
 * <p>A page flagged as needing a new login ({@link ConnectionHealth}) gets no sync from its change webhooks;
 * {@code page/connected} (the merchant logged in again) clears the flag, in the same transaction, and syncs.
 *
 * <p>An event's {@code userId} is checked, not trusted ({@link Ownership}): a sync is enqueued only for the user the
 * gateway's connection row names for the shop or Page, a deletion only for a user known to hold a copy of it.
 * A mismatch is answered as an ignored event (202): the gateway retries anything else forever.
 *
 * <p>The batch's transaction also records the service token's {@code jti} ({@link ServiceTokenUses}), so a batch
 * is stored and its token used up together.
 */
@ApplicationScoped
public class EventIntakeService {

    private static final Logger LOG = Logger.getLogger(EventIntakeService.class);
    private final Pool pool;
    private final SyncJobQueue queue;
    private final GatewayConnections connections;
    private final ConnectionHealth health;
    private final Ownership ownership;
    private final ServiceTokenUses tokenUses;
    private final JobStore jobs;

    public EventIntakeService(Pool pool, SyncJobQueue queue, GatewayConnections connections, ConnectionHealth health,
                              Ownership ownership, ServiceTokenUses tokenUses, JobStore jobs) {
        this.pool = pool;
        this.queue = queue;
        this.jobs = jobs;
        this.connections = connections;
        this.health = health;
        this.ownership = ownership;
        this.tokenUses = tokenUses;
    }

    /**
     * @param jti the service token's id, recorded with the batch; a second use fails with {@link ServiceTokenRefused}
     * @param tokenExpiresAt the token's {@code exp} (epoch seconds): the record is kept that long
     * @throws io.storefrontsync.common.validation.InvalidInputException naming the first bad field
     */
    public Uni<IntakeReceipt> accept(ChangeEventBatch batch, String jti, long tokenExpiresAt) {
        batch.validate();
        return pool.withTransaction(conn -> tokenUses.recordFirstUse(conn, jti, tokenExpiresAt)
                        .flatMap(used -> Multi.createFrom().iterable(runs(batch.events()))
                                .onItem().transformToUniAndConcatenate(run -> run.size() == 1
                                        ? handle(conn, run.get(0)).map(List::of)
                                        : syncRun(conn, run))
                                .collect().asList()))
                .map(runs -> runs.stream().flatMap(List::stream).toList())
                .map(EventIntakeService::receipt)
                .call(receipt -> batch.events().stream().anyMatch(e -> e.kind() == EventKind.PAGE_CONNECTED)
                        ? health.refreshGauge() : Uni.createFrom().voidItem())
                .invoke(receipt -> LOG.debugf("intake: %d events, %d jobs, %d ignored", batch.events().size(),
                        receipt.jobs().size(), receipt.ignored().size()));
    }

    /**
     * The events in order, consecutive change events that ask for the same sync (one shop, one user, one
     * trigger: a burst of a shop's products/update webhooks) joined into one run; every other event alone.
     */
    static List<List<ChangeEvent>> runs(List<ChangeEvent> events) {
        List<List<ChangeEvent>> runs = new ArrayList<>();
        List<ChangeEvent> current = null;
        for (ChangeEvent event : events) {
            if (current != null && sameSync(current.get(0), event)) {
                current.add(event);
            } else {
                current = new ArrayList<>();
                current.add(event);
                runs.add(current);
            }
        }
        return runs;
    }

    /** Both plain Shopify change events naming their user, for the same shop, user and trigger. */
    private static boolean sameSync(ChangeEvent first, ChangeEvent next) {
        return isPlainShopifyChange(first) && isPlainShopifyChange(next)
                && first.shop().equals(next.shop()) && first.userId().equals(next.userId())
                && trigger(first) == trigger(next);
    }

    private static boolean isPlainShopifyChange(ChangeEvent event) {
        return event.source() == Source.SHOPIFY && event.userId() != null
                && (event.kind() == EventKind.CHANGE || event.kind() == EventKind.SHOP_INSTALLED);
    }

    /** A run of the same sync: one statement; the first event's job, the others coalesced into it. */
    private Uni<List<Outcome>> syncRun(SqlConnection conn, List<ChangeEvent> run) {
        ChangeEvent first = run.get(0);
        ShopDomain shop = new ShopDomain(first.shop());
        JobRequest sync = JobRequest.sync(JobTarget.shop(shop), UserId.parse(first.userId()), trigger(first));
        return ownership.mayBeSyncedFor(conn, sync.target(), sync.userId()).flatMap(owner -> owner
                ? enqueueRun(conn, sync, run)
                : Uni.createFrom().item(run.stream().map(event -> refused(event, sync.target(), sync.userId())).toList()));
    }

    private Uni<List<Outcome>> enqueueRun(SqlConnection conn, JobRequest sync, List<ChangeEvent> run) {
        return queue.enqueue(conn, sync, run.size()).map(job -> {
            List<Outcome> outcomes = new ArrayList<>(run.size());
            outcomes.add(Outcome.job(job));
            EnqueuedJob merged = new EnqueuedJob(job.id(), job.target(), true);
            for (int i = 1; i < run.size(); i++) {
                outcomes.add(Outcome.job(merged));
            }
            return outcomes;
        });
    }

    private Uni<Outcome> handle(SqlConnection conn, ChangeEvent event) {
        return switch (event.source()) {
            case SHOPIFY -> handleShopify(conn, event, new ShopDomain(event.shop()));
            case FACEBOOK -> handleFacebook(conn, event);
        };
    }

    private Uni<Outcome> handleShopify(SqlConnection conn, ChangeEvent event, ShopDomain shop) {
        JobTarget target = JobTarget.shop(shop);
        if (event.kind().isCustomerCompliance()) {
            return Outcome.ignored(event, "no customer data is stored");
        }
        if (event.kind() == EventKind.SHOP_UNINSTALLED) {
            return queue.cancelPendingSync(conn, target)
                    .map(cancelled -> Outcome.ignoredNow(event, "app uninstalled: " + cancelled + " pending sync cancelled"));
        }
        if (event.kind() == EventKind.SHOP_REDACT) {
            Optional<UserId> named = eventUser(event);
            if (named.isPresent()) {
                return erasable(conn, event, target, named.get(), () -> enqueue(conn,
                        new JobRequest(target, named.get(), JobTrigger.WEBHOOK, JobAction.REDACT)));
            }
            return userOfRedactedShop(conn, shop).flatMap(user -> user.isEmpty()
                    ? Outcome.ignored(event, "nothing known about shop " + shop)
                    : enqueue(conn, new JobRequest(target, user.get(), JobTrigger.WEBHOOK, JobAction.REDACT)));
        }
        Optional<UserId> named = eventUser(event);
        if (named.isPresent()) {
            return syncable(conn, event, target, named.get(),
                    () -> enqueue(conn, JobRequest.sync(target, named.get(), trigger(event))));
        }
        return connections.userOfShop(conn, shop)
                .flatMap(user -> user.isEmpty()
                        ? Outcome.ignored(event, "unknown shop " + shop)
                        : enqueue(conn, JobRequest.sync(target, user.get(), trigger(event))));
    }

    /** Goes on only when the gateway names this user for the target; otherwise the event is refused. */
    private Uni<Outcome> syncable(SqlConnection conn, ChangeEvent event, JobTarget target, UserId user,
                                  Supplier<Uni<Outcome>> then) {
        return ownership.mayBeSyncedFor(conn, target, user)
                .flatMap(owner -> owner ? then.get() : Uni.createFrom().item(refused(event, target, user)));
    }

    /** Goes on only when this user is known to hold (or have held) the target; otherwise the event is refused. */
    private Uni<Outcome> erasable(SqlConnection conn, ChangeEvent event, JobTarget target, UserId user,
                                  Supplier<Uni<Outcome>> then) {
        return ownership.mayBeErasedFor(conn, target, user)
                .flatMap(held -> held ? then.get() : Uni.createFrom().item(refused(event, target, user)));
    }

    private Outcome refused(ChangeEvent event, JobTarget target, UserId user) {
        ownership.refusedAtIntake(target, user, event.topic());
        return Outcome.ignoredNow(event, "user " + user + " does not hold " + target + ": refused");
    }

    private Uni<Outcome> handleFacebook(SqlConnection conn, ChangeEvent event) {
        if (event.kind() == EventKind.PAGE_DELETED) {
            return handlePageDeletion(conn, event);
        }
        PageId page = PageId.parse(event.pageId());
        JobTarget target = JobTarget.page(page);
        Optional<UserId> named = eventUser(event);
        if (named.isPresent()) {
            return syncable(conn, event, target, named.get(), () -> syncPage(conn, event, target, named));
        }
        return connections.userOfPage(conn, page).flatMap(user -> syncPage(conn, event, target, user));
    }

    private Uni<Outcome> syncPage(SqlConnection conn, ChangeEvent event, JobTarget target, Optional<UserId> owner) {
        PageId page = new PageId(target.id());
        if (owner.isEmpty()) {
            return Outcome.ignored(event, "unknown page " + page);
        }
        JobRequest sync = JobRequest.sync(target, owner.get(), trigger(event));
        if (event.kind() == EventKind.PAGE_CONNECTED) {
            // A fresh token: whatever Graph refused before is history.
            return health.clear(conn, target).flatMap(cleared -> enqueue(conn, sync));
        }
        // A change webhook cannot help a page whose token Graph refused: its job would only die again.
        return health.flag(conn, target).flatMap(flag -> flag.isPresent()
                ? Outcome.ignored(event, "page " + page + " needs the merchant to log in with Facebook "
                        + "again (token refused since " + flag.get().since() + ")")
                : enqueue(conn, sync));
    }

    /**
     * A deletion job for the event's page. The user comes from the event when it names one: after a takeover the
     * gateway's row already names the new owner, whose copy must stay.
     */
    private Uni<Outcome> handlePageDeletion(SqlConnection conn, ChangeEvent event) {
        PageId page = PageId.parse(event.pageId());
        JobTarget target = JobTarget.page(page);
        Optional<UserId> fromEvent = eventUser(event);
        if (fromEvent.isPresent()) {
            return erasable(conn, event, target, fromEvent.get(), () -> enqueue(conn,
                    new JobRequest(target, fromEvent.get(), JobTrigger.WEBHOOK, JobAction.REDACT)));
        }
        Uni<Optional<UserId>> user = connections.userOfPage(conn, page).flatMap(known -> known.isPresent()
                ? Uni.createFrom().item(known) : jobs.lastUserOf(conn, target));
        return user.flatMap(found -> found.isEmpty()
                ? Outcome.ignored(event, "nothing known about page " + page)
                : enqueue(conn, new JobRequest(target, found.get(), JobTrigger.WEBHOOK, JobAction.REDACT)));
    }

    /** The gateway may already have deleted the connection when shop/redact arrives (48 h after uninstall). */
    private Uni<Optional<UserId>> userOfRedactedShop(SqlConnection conn, ShopDomain shop) {
        return connections.userOfShop(conn, shop).flatMap(user -> user.isPresent()
                ? Uni.createFrom().item(user)
                : jobs.lastUserOf(conn, JobTarget.shop(shop)));
    }

    private Uni<Outcome> enqueue(SqlConnection conn, JobRequest request) {
        return queue.enqueue(conn, request).map(Outcome::job);
    }

    private static Optional<UserId> eventUser(ChangeEvent event) {
        return Optional.ofNullable(event.userId()).map(UserId::parse);
    }

    private static JobTrigger trigger(ChangeEvent event) {
        return event.kind().isConnect() ? JobTrigger.INSTALL : JobTrigger.WEBHOOK;
    }

    private static IntakeReceipt receipt(List<Outcome> outcomes) {
        List<EnqueuedJob> jobs = new ArrayList<>();
        List<IgnoredEvent> ignored = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            if (outcome.ignored() != null) {
                ignored.add(outcome.ignored());
            } else {
                jobs.add(outcome.job());
            }
        }
        return new IntakeReceipt(jobs, ignored);
    }

    /** What one event became: its job, or why none. */
    private record Outcome(EnqueuedJob job, IgnoredEvent ignored) {

        static Outcome job(EnqueuedJob job) {
            return new Outcome(job, null);
        }

        static Outcome ignoredNow(ChangeEvent event, String reason) {
            return new Outcome(null, new IgnoredEvent(event.eventId(), reason));
        }

        static Uni<Outcome> ignored(ChangeEvent event, String reason) {
            return Uni.createFrom().item(ignoredNow(event, reason));
        }
    }
}
