package io.storefrontsync.worker.intake;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.event.ChangeEvent;
import io.storefrontsync.common.event.ChangeEventBatch;
import io.storefrontsync.common.validation.PageId;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.worker.connection.GatewayConnections;
import io.storefrontsync.worker.connection.Ownership;
import io.storefrontsync.worker.job.ConnectionHealth;
import io.storefrontsync.worker.job.EnqueuedJob;
import io.storefrontsync.worker.job.JobRequest;
import io.storefrontsync.worker.job.JobStore;
import io.storefrontsync.worker.job.JobTarget;
import io.storefrontsync.worker.job.JobTrigger;
import io.storefrontsync.worker.job.SyncJobQueue;
import io.storefrontsync.worker.job.TargetKind;
import io.storefrontsync.worker.shopify.patch.ShopChange;
import io.storefrontsync.worker.shopify.patch.ShopChanges;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Turns the gateway's change events into jobs, the whole batch in one transaction: the gateway
 * marks its outbox rows delivered only after our 202, so a failure here means a redelivery, and
 * the coalescing makes that redelivery harmless. Events asking for the same sync or patch of one shop (a burst of
 * one shop's webhooks, other shops' events in between or not) share one ownership check and one statement of each
 * kind ({@link IntakeRun}).
 *
 * <p>What each event leads to is decided from the event alone by {@link IntakeRoute} (and which neighbours share a
 * statement by {@link IntakeRun}); this class carries the routes out against the database.
 *
 * <p>A page flagged as needing a new login ({@link ConnectionHealth}) gets no sync from its change webhooks;
 * {@code page/connected} (the merchant logged in again) clears the flag, in the same transaction, and syncs.
 *
 * <p>An event's {@code userId} is checked, not trusted ({@link Ownership}): a sync is enqueued only for the user the
 * gateway's connection row names for the shop or Page, a deletion only for a user known to hold a copy of it.
 * A mismatch is answered as an ignored event (202): the gateway retries anything else forever.
 *
 * <p>The batch's transaction also records the service token's {@code jti} ({@link ServiceTokenUses}), so a batch
 * is stored and its token used up together, and its events' ids ({@link TakenEvents}): an event delivered again
 * (the gateway's delivered mark lost) or twice in one batch is answered as ignored, and takes effect once.
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
    private final ShopChanges shopChanges;
    private final TakenEvents takenEvents;

    public EventIntakeService(Pool pool, SyncJobQueue queue, GatewayConnections connections, ConnectionHealth health,
                              Ownership ownership, ServiceTokenUses tokenUses, JobStore jobs,
                              ShopChanges shopChanges, TakenEvents takenEvents) {
        this.shopChanges = shopChanges;
        this.takenEvents = takenEvents;
        this.pool = pool;
        this.queue = queue;
        this.connections = connections;
        this.health = health;
        this.ownership = ownership;
        this.tokenUses = tokenUses;
        this.jobs = jobs;
    }

    /**
     * @param jti the service token's id, recorded with the batch; a second use fails with {@link ServiceTokenRefused}
     * @param tokenExpiresAt the token's {@code exp} (epoch seconds): the record is kept that long
     * @throws io.storefrontsync.common.validation.InvalidInputException naming the first bad field
     */
    public Uni<IntakeReceipt> accept(ChangeEventBatch batch, String jti, long tokenExpiresAt) {
        batch.validate();
        List<ChangeEvent> events = batch.events();
        return pool.withTransaction(conn -> tokenUses.recordFirstUse(conn, jti, tokenExpiresAt)
                        .chain(used -> takenEvents.takeFirst(conn, events))
                        .chain(fresh -> {
                            Taken taken = Taken.of(events, fresh);
                            return Multi.createFrom().iterable(IntakeRun.of(taken.events()))
                                    .onItem().transformToUniAndConcatenate(run -> (run.joined()
                                            ? syncRun(conn, run)
                                            : handle(conn, run.route(), run.first()).map(List::of))
                                            .map(outcomes -> new RunOutcomes(run, outcomes)))
                                    .collect().asList()
                                    .map(runs -> taken.inBatchOrder(runs));
                        }))
                .map(EventIntakeService::receipt)
                .call(receipt -> batch.events().stream().anyMatch(e -> e.kind().isConnect())
                        ? health.refreshGauge() : Uni.createFrom().voidItem())
                .invoke(receipt -> LOG.debugf("intake: %d events, %d jobs, %d ignored", batch.events().size(),
                        receipt.jobs().size(), receipt.ignored().size()));
    }

    /**
     * A run of the same sync or patch of one shop: one ownership check, for a patch one multi-row upsert of the
     * changes, one enqueue statement; the first event's job, the others coalesced into it.
     */
    private Uni<List<Outcome>> syncRun(SqlConnection conn, IntakeRun run) {
        IntakeRoute route = run.route();
        UserId user = route.namedUser().orElseThrow();
        JobRequest sync = route.request(user);
        return ownership.mayBeSyncedFor(conn, sync.target(), user).chain(owner -> owner
                ? beforeEnqueue(conn, run).chain(() -> enqueueRun(conn, sync, run.events()))
                : Uni.createFrom().item(run.events().stream().map(event -> refused(event, sync.target(), user)).toList()));
    }

    /** What a joined run stores before its job: a fresh token clears the flags; a patch records its changes. */
    private Uni<Void> beforeEnqueue(SqlConnection conn, IntakeRun run) {
        IntakeRoute route = run.route();
        if (route.trigger() == JobTrigger.INSTALL) {
            return health.clear(conn, route.target()).replaceWithVoid();
        }
        if (route.kind() == IntakeRoute.Kind.PATCH) {
            return shopChanges.recordAll(conn, new ShopDomain(route.target().id()),
                    run.events().stream().map(event -> ShopChange.of(event).orElseThrow()).toList());
        }
        return Uni.createFrom().voidItem();
    }

    /**
     * The batch split into the events taken now and those taken before ({@link TakenEvents}: a redelivery, or the
     * same event twice in the batch), each answered at its place in the batch.
     *
     * @param events the events to carry out, in batch order
     * @param positions their indexes in the batch
     * @param answers the batch's answers so far: the events taken before, already answered
     */
    private record Taken(List<ChangeEvent> events, List<Integer> positions, Outcome[] answers) {

        static Taken of(List<ChangeEvent> batch, Set<String> fresh) {
            List<ChangeEvent> events = new ArrayList<>(batch.size());
            List<Integer> positions = new ArrayList<>(batch.size());
            Outcome[] answers = new Outcome[batch.size()];
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < batch.size(); i++) {
                ChangeEvent event = batch.get(i);
                if (fresh.contains(event.eventId()) && seen.add(event.eventId())) {
                    events.add(event);
                    positions.add(i);
                } else {
                    answers[i] = Outcome.ignoredNow(event, "event " + event.eventId() + " was already taken");
                }
            }
            return new Taken(events, positions, answers);
        }

        /** Every answer in batch order: the runs' outcomes put back at their events' places. */
        List<Outcome> inBatchOrder(List<RunOutcomes> runs) {
            for (RunOutcomes run : runs) {
                for (int i = 0; i < run.outcomes().size(); i++) {
                    answers[positions.get(run.run().positions().get(i))] = run.outcomes().get(i);
                }
            }
            return Arrays.asList(answers);
        }
    }

    private record RunOutcomes(IntakeRun run, List<Outcome> outcomes) {
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

    private Uni<Outcome> handle(SqlConnection conn, IntakeRoute route, ChangeEvent event) {
        return switch (route.kind()) {
            case IGNORE_CUSTOMER_COMPLIANCE -> Outcome.ignored(event, "no customer data is stored");
            case CANCEL_PENDING_SYNC -> queue.cancelPendingSync(conn, route.target())
                    .map(cancelled -> Outcome.ignoredNow(event, "app uninstalled: " + cancelled + " pending sync cancelled"));
            case WAKE_PARKED -> queue.wakeParked(conn, route.target()).map(woken -> woken
                    .map(id -> Outcome.job(new EnqueuedJob(id, route.target(), true)))
                    .orElseGet(() -> Outcome.ignoredNow(event, "no job of " + route.describeTarget()
                            + " waits for a bulk operation")));
            case REDACT_SHOP, DELETE_PAGE -> erase(conn, route, event);
            case SYNC_CONNECTED_PAGE, SYNC, PATCH -> sync(conn, route, event);
        };
    }

    /**
     * A sync for the named user once the gateway confirms them, else for the user the gateway names; an event
     * about a target the gateway does not know is ignored.
     */
    private Uni<Outcome> sync(SqlConnection conn, IntakeRoute route, ChangeEvent event) {
        Optional<UserId> named = route.namedUser();
        if (named.isPresent()) {
            return syncable(conn, event, route.target(), named.get(), () -> syncFor(conn, route, event, named.get()));
        }
        return gatewayUserOf(conn, route.target()).chain(owner -> owner.isEmpty()
                ? Outcome.ignored(event, "unknown " + route.describeTarget())
                : syncFor(conn, route, event, owner.get()));
    }

    private Uni<Outcome> syncFor(SqlConnection conn, IntakeRoute route, ChangeEvent event, UserId user) {
        JobRequest sync = route.request(user);
        if (route.trigger() == JobTrigger.INSTALL) {
            // A fresh token (page/connected, or app/installed with the scopes approved again): whatever Graph or
            // Shopify refused before is history.
            return health.clear(conn, route.target()).chain(cleared -> enqueue(conn, sync));
        }
        if (route.kind() == IntakeRoute.Kind.PATCH) {
            // The change first, in the batch's transaction: the patch job reads it (or a full sync absorbs it).
            return shopChanges.record(conn, new ShopDomain(route.target().id()), ShopChange.of(event).orElseThrow())
                    .chain(() -> enqueue(conn, sync));
        }
        if (!route.waitsForLogin()) {
            return enqueue(conn, sync);
        }
        return health.flag(conn, route.target()).chain(flag -> flag.isPresent()
                ? Outcome.ignored(event, route.describeTarget() + " needs the merchant to log in with Facebook "
                        + "again (token refused since " + flag.get().since() + ")")
                : enqueue(conn, sync));
    }

    /**
     * A redaction job for the target. The user comes from the event when it names one: after a Page takeover the
     * gateway's row already names the new owner, whose copy must stay. Otherwise the gateway's row names them,
     * or — the gateway may already have deleted the connection when {@code shop/redact} arrives, 48 h after
     * uninstall — the user of the target's last job.
     */
    private Uni<Outcome> erase(SqlConnection conn, IntakeRoute route, ChangeEvent event) {
        Optional<UserId> named = route.namedUser();
        if (named.isPresent()) {
            return erasable(conn, event, route.target(), named.get(), () -> enqueue(conn, route.request(named.get())));
        }
        return gatewayUserOf(conn, route.target())
                .chain(known -> known.isPresent() ? Uni.createFrom().item(known) : jobs.lastUserOf(conn, route.target()))
                .chain(found -> found.isEmpty()
                        ? Outcome.ignored(event, "nothing known about " + route.describeTarget())
                        : enqueue(conn, route.request(found.get())));
    }

    /** Goes on only when the gateway names this user for the target; otherwise the event is refused. */
    private Uni<Outcome> syncable(SqlConnection conn, ChangeEvent event, JobTarget target, UserId user,
                                  Supplier<Uni<Outcome>> then) {
        return ownership.mayBeSyncedFor(conn, target, user)
                .chain(owner -> owner ? then.get() : Uni.createFrom().item(refused(event, target, user)));
    }

    /** Goes on only when this user is known to hold (or have held) the target; otherwise the event is refused. */
    private Uni<Outcome> erasable(SqlConnection conn, ChangeEvent event, JobTarget target, UserId user,
                                  Supplier<Uni<Outcome>> then) {
        return ownership.mayBeErasedFor(conn, target, user)
                .chain(held -> held ? then.get() : Uni.createFrom().item(refused(event, target, user)));
    }

    private Outcome refused(ChangeEvent event, JobTarget target, UserId user) {
        ownership.refusedAtIntake(target, user, event.topic());
        return Outcome.ignoredNow(event, "user " + user + " does not hold " + target + ": refused");
    }

    /** The user the gateway's connection row names for the target, whatever its status. */
    private Uni<Optional<UserId>> gatewayUserOf(SqlConnection conn, JobTarget target) {
        return target.kind() == TargetKind.SHOPIFY_SHOP
                ? connections.userOfShop(conn, new ShopDomain(target.id()))
                : connections.userOfPage(conn, new PageId(target.id()));
    }

    private Uni<Outcome> enqueue(SqlConnection conn, JobRequest request) {
        return queue.enqueue(conn, request).map(Outcome::job);
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
