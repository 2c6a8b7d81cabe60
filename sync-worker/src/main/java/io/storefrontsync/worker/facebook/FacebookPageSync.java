package io.storefrontsync.worker.facebook;

import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.crypto.TokenAad;
import io.storefrontsync.common.crypto.TokenCipher;
import io.storefrontsync.common.spaces.SpacesKeys;
import io.storefrontsync.common.validation.PageId;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.worker.connection.GatewayConnections;
import io.storefrontsync.worker.connection.PageConnection;
import io.storefrontsync.worker.job.JobTarget;
import io.storefrontsync.worker.job.NotTheOwner;
import io.storefrontsync.worker.spaces.SpacesDocumentWriter;
import io.storefrontsync.worker.spaces.WriteOutcome;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Syncs one Facebook Page: the gateway's connection and encrypted Page token, one Graph read, the canonical
 * {@code page_data.json}, written to Spaces only when its hash changed.
 */
@ApplicationScoped
public class FacebookPageSync {

    private static final Logger LOG = Logger.getLogger(FacebookPageSync.class);

    private final Pool pool;
    private final GatewayConnections connections;
    private final TokenCipher cipher;
    private final FacebookGraphClient graph;
    private final SpacesDocumentWriter writer;

    public FacebookPageSync(Pool pool, GatewayConnections connections, TokenCipher cipher, FacebookGraphClient graph,
                            SpacesDocumentWriter writer) {
        this.pool = pool;
        this.connections = connections;
        this.cipher = cipher;
        this.graph = graph;
        this.writer = writer;
    }

    /** @return the job result: {@code {written: [keys], skipped: [keys], requests: n}} */
    public Uni<JsonObject> sync(UserId user, PageId page) {
        return pageToken(user, page)
                .chain(token -> graph.fetchPage(page, token))
                .chain(fetch -> writer.write(user, SpacesKeys.facebookPageData(user, page),
                                PageDocument.canonicalBytes(fetch.page()))
                        .map(outcome -> result(outcome, fetch.requests())))
                .invoke(result -> LOG.debugf("page %s synced: %s", page, result.encode()));
    }

    private Uni<String> pageToken(UserId user, PageId page) {
        return connections.page(pool, page)
                .invoke(connection -> {
                    // Another user's Page: nothing goes under this user's prefix, and no retry changes that.
                    if (connection.isPresent() && !connection.get().userId().equals(user)) {
                        throw new NotTheOwner(JobTarget.page(page), user);
                    }
                })
                .map(connection -> connection.filter(PageConnection::active)
                        .orElseThrow(() -> new IllegalStateException("no active Facebook connection for page " + page
                                + " of user " + user)))
                .chain(connection -> connections.encryptedPageToken(pool, page))
                .map(encrypted -> cipher.decrypt(encrypted.orElseThrow(() -> new IllegalStateException(
                        "the gateway stored no token for page " + page)), TokenAad.facebookPageToken(page)));
    }

    private static JsonObject result(WriteOutcome outcome, int requests) {
        JsonArray written = new JsonArray();
        JsonArray skipped = new JsonArray();
        (outcome.written() ? written : skipped).add(outcome.key());
        return new JsonObject().put("written", written).put("skipped", skipped).put("requests", requests);
    }
}
