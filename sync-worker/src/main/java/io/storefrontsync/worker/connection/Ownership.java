package io.storefrontsync.worker.connection;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.spaces.SpacesKeys;
import io.storefrontsync.common.validation.PageId;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.worker.job.JobStore;
import io.storefrontsync.worker.spaces.DocumentRecords;
import io.storefrontsync.worker.job.JobTarget;
import io.storefrontsync.worker.job.NotTheOwner;
import io.storefrontsync.worker.job.TargetKind;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * Whose a shop or a Page is, as the gateway's connection tables say, so that an event's {@code userId} is never
 * taken on trust: a sync writes under {@code users/<uuid>/} only for the user the gateway recorded for the target,
 * and a deletion erases only a copy that user is known to have held. Refusals are logged and counted
 * ({@code storefront_ownership_refused_total{stage=intake|job}}).
 */
@Startup
@ApplicationScoped
public class Ownership {

    private static final Logger LOG = Logger.getLogger(Ownership.class);

    private final GatewayConnections connections;
    private final JobStore jobs;
    private final DocumentRecords documents;
    private final Counter refusedAtIntake;
    private final Counter refusedAtJob;

    public Ownership(GatewayConnections connections, JobStore jobs, DocumentRecords documents, MeterRegistry registry) {
        this.connections = connections;
        this.jobs = jobs;
        this.documents = documents;
        // Registered up front so the alarm has a series at 0 before the first refusal.
        this.refusedAtIntake = counter(registry, "intake");
        this.refusedAtJob = counter(registry, "job");
    }

    /** The user the gateway's connection row names for the target, whatever its status; empty without a row. */
    public Uni<Optional<UserId>> owner(SqlClient client, JobTarget target) {
        return target.kind() == TargetKind.SHOPIFY_SHOP
                ? connections.shop(client, new ShopDomain(target.id())).map(row -> row.map(ShopConnection::userId))
                : connections.page(client, new PageId(target.id())).map(row -> row.map(PageConnection::userId));
    }

    /**
     * Before a sync reads or writes for {@code user}: fails with {@link NotTheOwner} (permanent, no retry changes it)
     * when the gateway's row for the target names another user, so nothing goes under the wrong user's prefix.
     * Without a row it passes: the token lookup that follows fails as it should.
     */
    public Uni<Void> requireOwner(SqlClient client, JobTarget target, UserId user) {
        return owner(client, target).map(owner -> {
            if (owner.isPresent() && !owner.get().equals(user)) {
                throw new NotTheOwner(target, user);
            }
            return null;
        });
    }

    /** A sync for {@code user}: only when the gateway's row for the target names that very user. */
    public Uni<Boolean> mayBeSyncedFor(SqlClient client, JobTarget target, UserId user) {
        return owner(client, target).map(owner -> owner.filter(user::equals).isPresent());
    }

    /**
     * A deletion of {@code user}'s copy: only when the gateway names the user for the target, or the worker has
     * a job or a document of the user for it (the gateway deletes its row on {@code shop/redact}, and after a
     * Page takeover names the new owner while the previous one's copy is the one to delete).
     */
    public Uni<Boolean> mayBeErasedFor(SqlClient client, JobTarget target, UserId user) {
        return owner(client, target).chain(owner -> owner.filter(user::equals).isPresent()
                ? Uni.createFrom().item(true)
                : jobs.workedFor(client, target, user).chain(worked -> worked
                        ? Uni.createFrom().item(true)
                        // A document under the user's folder is the same history after its jobs were purged.
                        : documents.anyUnder(client, user, prefix(target, user))));
    }

    /** An intake event named a user who does not hold the target: counted and logged, never enqueued. */
    public void refusedAtIntake(JobTarget target, UserId user, String topic) {
        refusedAtIntake.increment();
        LOG.warnf("event %s for %s names user %s, who does not hold it: refused", topic, target, user);
    }

    /** A job's user no longer (or never) owns its target: nothing is written for them. */
    public void refusedAtJob(JobTarget target, UserId user) {
        refusedAtJob.increment();
        LOG.warnf("job for %s of user %s refused: the gateway names another owner", target, user);
    }

    private static String prefix(JobTarget target, UserId user) {
        return target.kind() == TargetKind.SHOPIFY_SHOP
                ? SpacesKeys.shopPrefix(user, new ShopDomain(target.id()))
                : SpacesKeys.pagePrefix(user, new PageId(target.id()));
    }

    private static Counter counter(MeterRegistry registry, String stage) {
        return Counter.builder("storefront.ownership.refused")
                .description("Events and jobs refused because their user does not hold the shop or page")
                .tag("stage", stage).register(registry);
    }
}
