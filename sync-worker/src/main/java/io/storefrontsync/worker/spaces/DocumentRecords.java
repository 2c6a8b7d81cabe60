package io.storefrontsync.worker.spaces;

import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.validation.PageId;
import io.storefrontsync.common.validation.UserId;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * {@code worker.documents}, the one class with SQL on it: what the worker last wrote to each Spaces key (its hash,
 * size and user). {@link SpacesDocumentWriter} skips a write whose hash is recorded, {@link SpacesPrefixEraser}
 * forgets what it erased, and the ownership checks ask whether a user was ever given a copy under a prefix.
 */
@ApplicationScoped
public class DocumentRecords {

    private final Pool pool;

    public DocumentRecords(Pool pool) {
        this.pool = pool;
    }

    /** The hash recorded for the key, empty when the worker never wrote it (or erased it since). */
    public Uni<Optional<String>> recordedHash(String key) {
        return pool.preparedQuery("SELECT sha256 FROM worker.documents WHERE object_key = $1").execute(Tuple.of(key))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getString("sha256")));
    }

    /** Records (or replaces) what the key now holds in Spaces. */
    public Uni<Void> record(UserId user, String key, String sha256, long bytes) {
        return pool.preparedQuery("""
                        INSERT INTO worker.documents (object_key, user_id, sha256, size_bytes, written_at)
                        VALUES ($1, $2, $3, $4, now())
                        ON CONFLICT (object_key) DO UPDATE SET user_id = EXCLUDED.user_id, sha256 = EXCLUDED.sha256,
                            size_bytes = EXCLUDED.size_bytes, written_at = now()""")
                .execute(Tuple.of(key, user.value(), sha256, bytes))
                .replaceWithVoid();
    }

    /** What the worker last wrote to one key. */
    public record Recorded(String key, String sha256, long sizeBytes, java.time.OffsetDateTime writtenAt) {
    }

    /** Every key recorded for the user, in key order (a user holds a few per shop and Page). */
    public Uni<java.util.List<Recorded>> ofUser(UserId user) {
        return pool.preparedQuery("""
                        SELECT object_key, sha256, size_bytes, written_at FROM worker.documents
                        WHERE user_id = $1 ORDER BY object_key""")
                .execute(Tuple.of(user.value()))
                .map(rows -> {
                    java.util.List<Recorded> found = new java.util.ArrayList<>();
                    rows.forEach(row -> found.add(new Recorded(row.getString("object_key"), row.getString("sha256"),
                            row.getLong("size_bytes"), row.getOffsetDateTime("written_at"))));
                    return found;
                });
    }

    /** Forgets every key under the prefix (after the objects were deleted from Spaces). */
    public Uni<Void> forgetUnder(String prefix) {
        return pool.preparedQuery("DELETE FROM worker.documents WHERE starts_with(object_key, $1)")
                .execute(Tuple.of(prefix))
                .replaceWithVoid();
    }

    /** Whether the user holds any document under the prefix; in the caller's transaction when given one. */
    public Uni<Boolean> anyUnder(SqlClient client, UserId user, String prefix) {
        return client.preparedQuery("""
                        SELECT EXISTS (SELECT 1 FROM worker.documents WHERE user_id = $1 AND starts_with(object_key, $2))
                        AS held""")
                .execute(Tuple.of(user.value(), prefix))
                .map(rows -> rows.iterator().next().getBoolean("held"));
    }

    /** Every user the worker wrote a copy of this Page for (any user's {@code facebook/<page_id>/} folder). */
    public Uni<Set<UserId>> usersHoldingPage(PageId page) {
        return pool.preparedQuery("""
                        SELECT DISTINCT user_id FROM worker.documents
                        WHERE object_key LIKE 'users/%/facebook/' || $1 || '/%'""")
                .execute(Tuple.of(page.value()))
                .map(rows -> {
                    Set<UserId> users = new LinkedHashSet<>();
                    rows.forEach(row -> users.add(new UserId(row.getUUID("user_id"))));
                    return users;
                });
    }
}
