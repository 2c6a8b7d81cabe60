package io.storefrontsync.worker.intake;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.event.ChangeEvent;
import io.storefrontsync.common.event.ChangeEventBatch;
import io.storefrontsync.common.validation.PageId;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.worker.connection.GatewayConnections;
import io.storefrontsync.worker.job.EnqueuedJob;
import io.storefrontsync.worker.job.JobAction;
import io.storefrontsync.worker.job.JobRequest;
import io.storefrontsync.worker.job.JobTarget;
import io.storefrontsync.worker.job.JobTrigger;
import io.storefrontsync.worker.job.SyncJobQueue;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the gateway's change events into jobs, the whole batch in one transaction: the gateway
 * marks its outbox rows delivered only after our 202, so a failure here means a redelivery, and
 * the coalescing makes that redelivery harmless.
 */
@ApplicationScoped
public class EventIntakeService {

    private static final Logger LOG = Logger.getLogger(EventIntakeService.class);
    private static final Set<String> CUSTOMER_COMPLIANCE_TOPICS = Set.of("customers/data_request", "customers/redact");
    private static final Set<String> INSTALL_TOPICS = Set.of("app/installed", "page/connected");

    private final Pool pool;
    private final SyncJobQueue queue;
    private final GatewayConnections connections;

    public EventIntakeService(Pool pool, SyncJobQueue queue, GatewayConnections connections) {
        this.pool = pool;
        this.queue = queue;
        this.connections = connections;
    }

    /** @throws io.storefrontsync.common.validation.InvalidInputException naming the first bad field */
    public Uni<IntakeReceipt> accept(ChangeEventBatch batch) {
        batch.validate();
        return pool.withTransaction(conn -> Multi.createFrom().iterable(batch.events())
                        .onItem().transformToUniAndConcatenate(event -> handle(conn, event))
                        .collect().asList())
                .map(EventIntakeService::receipt)
                .invoke(receipt -> LOG.debugf("intake: %d events, %d jobs, %d ignored", batch.events().size(),
                        receipt.jobs().size(), receipt.ignored().size()));
    }

    private Uni<Outcome> handle(SqlConnection conn, ChangeEvent event) {
        return switch (event.source()) {
            case SHOPIFY -> handleShopify(conn, event, new ShopDomain(event.shop()));
            case FACEBOOK -> handleFacebook(conn, event);
        };
    }

    private Uni<Outcome> handleShopify(SqlConnection conn, ChangeEvent event, ShopDomain shop) {
        JobTarget target = JobTarget.shop(shop);
        if (CUSTOMER_COMPLIANCE_TOPICS.contains(event.topic())) {
            return Outcome.ignored(event, "no customer data is stored");
        }
        if (event.topic().equals("app/uninstalled")) {
            return queue.cancelPendingSync(conn, target)
                    .map(cancelled -> Outcome.ignoredNow(event, "app uninstalled: " + cancelled + " pending sync cancelled"));
        }
        if (event.topic().equals("shop/redact")) {
            return userOfRedactedShop(conn, event, shop).flatMap(user -> user.isEmpty()
                    ? Outcome.ignored(event, "nothing known about shop " + shop)
                    : enqueue(conn, new JobRequest(target, user.get(), JobTrigger.WEBHOOK, JobAction.REDACT)));
        }
        return eventUser(event).map(user -> Uni.createFrom().item(Optional.of(user)))
                .orElseGet(() -> connections.userOfShop(conn, shop))
                .flatMap(user -> user.isEmpty()
                        ? Outcome.ignored(event, "unknown shop " + shop)
                        : enqueue(conn, JobRequest.sync(target, user.get(), trigger(event))));
    }

    private Uni<Outcome> handleFacebook(SqlConnection conn, ChangeEvent event) {
        if (event.pageId() == null) {
            return Outcome.ignored(event, "user-level Facebook events are not handled yet");
        }
        PageId page = PageId.parse(event.pageId());
        return eventUser(event).map(user -> Uni.createFrom().item(Optional.of(user)))
                .orElseGet(() -> connections.userOfPage(conn, page))
                .flatMap(user -> user.isEmpty()
                        ? Outcome.ignored(event, "unknown page " + page)
                        : enqueue(conn, JobRequest.sync(JobTarget.page(page), user.get(), trigger(event))));
    }

    /** The gateway may already have deleted the connection when shop/redact arrives (48 h after uninstall). */
    private Uni<Optional<UserId>> userOfRedactedShop(SqlConnection conn, ChangeEvent event, ShopDomain shop) {
        Optional<UserId> fromEvent = eventUser(event);
        if (fromEvent.isPresent()) {
            return Uni.createFrom().item(fromEvent);
        }
        return connections.userOfShop(conn, shop).flatMap(user -> user.isPresent()
                ? Uni.createFrom().item(user)
                : conn.preparedQuery("""
                                SELECT user_id FROM worker.jobs WHERE target_kind = 'shopify_shop' AND target_id = $1
                                ORDER BY created_at DESC LIMIT 1""")
                        .execute(Tuple.of(shop.value()))
                        .map(rows -> rows.size() == 0 ? Optional.<UserId>empty()
                                : Optional.of(new UserId(rows.iterator().next().getUUID("user_id")))));
    }

    private Uni<Outcome> enqueue(SqlConnection conn, JobRequest request) {
        return queue.enqueue(conn, request).map(Outcome::job);
    }

    private static Optional<UserId> eventUser(ChangeEvent event) {
        return Optional.ofNullable(event.userId()).map(UserId::parse);
    }

    private static JobTrigger trigger(ChangeEvent event) {
        if (INSTALL_TOPICS.contains(event.topic())) {
            return JobTrigger.INSTALL;
        }
        return event.topic().equals("resync") ? JobTrigger.RESYNC : JobTrigger.WEBHOOK;
    }

    private static IntakeReceipt receipt(List<Outcome> outcomes) {
        List<EnqueuedJob> jobs = new ArrayList<>();
        List<IgnoredEvent> ignored = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            if (outcome.job() != null) {
                jobs.add(outcome.job());
            } else {
                ignored.add(outcome.ignored());
            }
        }
        return new IntakeReceipt(jobs, ignored);
    }

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
