package io.storefrontsync.gateway.facebook;

import io.storefrontsync.common.event.EventKind;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.crypto.TokenAad;
import io.storefrontsync.common.crypto.TokenCipher;
import io.storefrontsync.common.event.ChangeEvent;
import io.storefrontsync.common.validation.PageId;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.gateway.facebook.FacebookGraph.ManagedPage;
import io.storefrontsync.gateway.webhook.Outbox;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * Saves the Pages of a Facebook Login in one transaction: rows with encrypted Page tokens and one
 * {@code page/connected} event each.
 */
@ApplicationScoped
public class FacebookPageService {

    private static final Logger LOG = Logger.getLogger(FacebookPageService.class);

    private final Pool pool;
    private final FacebookPages rows;
    private final Outbox outbox;
    private final TokenCipher cipher;

    public FacebookPageService(Pool pool, FacebookPages rows, Outbox outbox, TokenCipher cipher) {
        this.pool = pool;
        this.rows = rows;
        this.outbox = outbox;
        this.cipher = cipher;
    }

    /**
     * All Pages or none: rows and their events commit together. Every Page must be one the user can manage:
     * connecting, and above all moving a Page from another of our users, takes the MANAGE task.
     */
    public Uni<Void> saveConnectedPages(UserId user, String facebookUserId, List<ManagedPage> pages) {
        if (!pages.stream().allMatch(ManagedPage::canManage)) {
            return Uni.createFrom().failure(new IllegalArgumentException(
                    "only Pages the user can manage (MANAGE task) are connected"));
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return pool.withTransaction(conn -> Multi.createFrom().iterable(pages)
                .onItem().transformToUniAndConcatenate(page -> save(conn, user, facebookUserId, page, now))
                .collect().last()
                .replaceWithVoid());
    }

    private Uni<Void> save(SqlConnection conn, UserId user, String facebookUserId, ManagedPage page, OffsetDateTime now) {
        FacebookPages.ConnectedPage row = new FacebookPages.ConnectedPage(page.id(), user.value(), facebookUserId,
                page.name(), page.category(), cipher.encrypt(page.pageToken(), TokenAad.facebookPageToken(page.id())));
        return rows.find(conn, page.id())
                .chain(existing -> existing.isEmpty()
                        ? rows.insert(conn, row, now)
                        : takeOver(conn, existing.get(), user, page).chain(() -> rows.reconnect(conn, row, now)))
                .chain(() -> outbox.enqueue(conn, event(EventKind.PAGE_CONNECTED, page.id(), user)))
                .invoke(() -> LOG.infof("page %s connected for user %s", page.id(), user));
    }

    /**
     * A Page connected before by another of our users now belongs to this one (Facebook says they hold its MANAGE
     * task, checked by the caller); the previous owner's copy of its data is deleted by the worker.
     */
    private Uni<Void> takeOver(SqlConnection conn, FacebookPageConnection existing, UserId user, ManagedPage page) {
        if (existing.userId().equals(user.value())) {
            return Uni.createFrom().voidItem();
        }
        UserId previous = new UserId(existing.userId());
        LOG.warnf("page %s moves from user %s to user %s", page.id(), previous, user);
        return outbox.enqueue(conn, event(EventKind.PAGE_DELETED, page.id(), previous));
    }

    static ChangeEvent event(EventKind kind, PageId page, UserId user) {
        String topic = kind.topic();
        return ChangeEvent.facebook(topic.replace('/', '-') + ":" + UUID.randomUUID(), topic, page, user, null, null,
                Instant.now());
    }
}
