package io.storefrontsync.gateway.facebook;

import io.storefrontsync.common.event.EventKind;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.crypto.TokenAad;
import io.storefrontsync.common.crypto.TokenCipher;
import io.storefrontsync.common.event.ChangeEvent;
import io.storefrontsync.common.validation.PageId;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.gateway.facebook.FacebookGraph.ManagedPage;
import io.storefrontsync.gateway.webhook.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/** Saves the Pages of a Facebook Login: rows with encrypted Page tokens and one {@code page/connected} event each. */
@ApplicationScoped
public class FacebookPageService {

    private static final Logger LOG = Logger.getLogger(FacebookPageService.class);

    private final TokenCipher cipher;
    private final Outbox outbox;

    public FacebookPageService(TokenCipher cipher, Outbox outbox) {
        this.cipher = cipher;
        this.outbox = outbox;
    }

    /**
     * All Pages or none: rows and their events commit together. Every Page must be one the user can manage:
     * connecting, and above all moving a Page from another of our users, takes the MANAGE task.
     */
    @WithTransaction
    public Uni<Void> saveConnectedPages(UserId user, String facebookUserId, List<ManagedPage> pages) {
        if (!pages.stream().allMatch(ManagedPage::canManage)) {
            return Uni.createFrom().failure(new IllegalArgumentException(
                    "only Pages the user can manage (MANAGE task) are connected"));
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return Multi.createFrom().iterable(pages)
                .onItem().transformToUniAndConcatenate(page -> save(user, facebookUserId, page, now))
                .collect().last()
                .replaceWithVoid();
    }

    private Uni<Void> save(UserId user, String facebookUserId, ManagedPage page, OffsetDateTime now) {
        return FacebookPageConnection.<FacebookPageConnection>findById(page.id().value())
                .chain(existing -> existing == null
                        ? fill(newRow(page, now), user, facebookUserId, page, now).persist()
                        : takeOver(existing, user, page).map(row -> fill(row, user, facebookUserId, page, now)))
                .chain(() -> outbox.enqueue(event(EventKind.PAGE_CONNECTED, page.id(), user)))
                .invoke(() -> LOG.infof("page %s connected for user %s", page.id(), user));
    }

    private FacebookPageConnection fill(FacebookPageConnection row, UserId user, String facebookUserId,
                                        ManagedPage page, OffsetDateTime now) {
        row.userId = user.value();
        row.facebookUserId = facebookUserId;
        row.name = page.name();
        row.category = page.category();
        row.pageTokenEnc = cipher.encrypt(page.pageToken(), TokenAad.facebookPageToken(page.id()));
        row.status = FacebookPageConnection.ACTIVE;
        row.updatedAt = now;
        return row;
    }

    private static FacebookPageConnection newRow(ManagedPage page, OffsetDateTime now) {
        FacebookPageConnection row = new FacebookPageConnection();
        row.pageId = page.id().value();
        row.connectedAt = now;
        return row;
    }

    /**
     * A Page connected before by another of our users now belongs to this one (Facebook says they hold its MANAGE
     * task, checked by the caller); the previous owner's copy of its data is deleted by the worker.
     */
    private Uni<FacebookPageConnection> takeOver(FacebookPageConnection existing, UserId user, ManagedPage page) {
        if (existing.userId.equals(user.value())) {
            return Uni.createFrom().item(existing);
        }
        UserId previous = new UserId(existing.userId);
        LOG.warnf("page %s moves from user %s to user %s", page.id(), previous, user);
        return outbox.enqueue(event(EventKind.PAGE_DELETED, page.id(), previous)).replaceWith(existing);
    }

    static ChangeEvent event(EventKind kind, PageId page, UserId user) {
        String topic = kind.topic();
        return ChangeEvent.facebook(topic.replace('/', '-') + ":" + UUID.randomUUID(), topic, page, user, null, null,
                Instant.now());
    }
}
