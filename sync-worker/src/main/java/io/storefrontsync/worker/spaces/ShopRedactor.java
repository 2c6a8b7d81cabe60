package io.storefrontsync.worker.spaces;

import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.spaces.SpacesKeys;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.UUID;

/**
 * {@code shop/redact}: deletes everything stored for a shop — its objects under
 * {@code users/<uuid>/shopify/<shop>/} and the worker's rows about it. Runs as a job, so a Spaces
 * outage only delays it.
 */
@ApplicationScoped
public class ShopRedactor {

    private static final Logger LOG = Logger.getLogger(ShopRedactor.class);

    private final SpacesPrefixEraser eraser;
    private final Pool pool;

    public ShopRedactor(SpacesPrefixEraser eraser, Pool pool) {
        this.eraser = eraser;
        this.pool = pool;
    }

    /** @param redactJobId the job doing this, kept as the record that the redaction happened */
    public Uni<JsonObject> redact(UserId user, ShopDomain shop, UUID redactJobId) {
        return eraser.erase(SpacesKeys.shopPrefix(user, shop))
                .flatMap(deleted -> deleteRows(shop, redactJobId).replaceWith(deleted))
                .map(deleted -> {
                    LOG.infof("redacted %s: %d objects deleted", shop, deleted.size());
                    return new JsonObject().put("written", new JsonArray()).put("skipped", new JsonArray())
                            .put("deleted", new JsonArray(deleted));
                });
    }

    private Uni<Void> deleteRows(ShopDomain shop, UUID redactJobId) {
        return pool.withTransaction(conn -> conn.preparedQuery("DELETE FROM worker.product_hashes WHERE shop = $1")
                        .execute(Tuple.of(shop.value()))
                .flatMap(ignored -> conn.preparedQuery("""
                                DELETE FROM worker.jobs WHERE target_kind = 'shopify_shop' AND target_id = $1 AND id <> $2
                                  AND status IN ('succeeded', 'failed', 'dead', 'cancelled')""")
                        .execute(Tuple.of(shop.value(), redactJobId)))
                .replaceWithVoid());
    }
}
