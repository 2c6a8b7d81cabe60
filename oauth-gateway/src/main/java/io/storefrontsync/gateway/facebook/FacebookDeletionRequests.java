package io.storefrontsync.gateway.facebook;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/**
 * {@code gateway.facebook_deletion_requests}: one row per Meta data deletion callback, read back by its confirmation
 * code on the public status URL. The only class with SQL on this table.
 */
@ApplicationScoped
public class FacebookDeletionRequests {

    private static final String INSERT = """
            INSERT INTO gateway.facebook_deletion_requests (confirmation_code, facebook_user_id, status, pages_deleted,
                   tokens_deleted, events_queued, requested_at, completed_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""";
    private static final String FIND = """
            SELECT confirmation_code, facebook_user_id, status, pages_deleted, tokens_deleted, events_queued,
                   requested_at, completed_at
              FROM gateway.facebook_deletion_requests WHERE confirmation_code = $1""";

    /** Stores the request on {@code client}: inside the transaction of the deletion it records. */
    public Uni<Void> insert(SqlClient client, FacebookDeletionRequest request) {
        return client.preparedQuery(INSERT).execute(Tuple.tuple()
                        .addString(request.confirmationCode()).addString(request.facebookUserId())
                        .addString(request.status()).addInteger(request.pagesDeleted())
                        .addInteger(request.tokensDeleted()).addInteger(request.eventsQueued())
                        .addOffsetDateTime(request.requestedAt()).addOffsetDateTime(request.completedAt()))
                .replaceWithVoid();
    }

    public Uni<Optional<FacebookDeletionRequest>> find(SqlClient client, String confirmationCode) {
        return client.preparedQuery(FIND).execute(Tuple.of(confirmationCode)).map(rows -> {
            if (rows.size() == 0) {
                return Optional.empty();
            }
            Row row = rows.iterator().next();
            return Optional.of(new FacebookDeletionRequest(row.getString("confirmation_code"),
                    row.getString("facebook_user_id"), row.getString("status"), row.getInteger("pages_deleted"),
                    row.getInteger("tokens_deleted"), row.getInteger("events_queued"),
                    row.getOffsetDateTime("requested_at"), row.getOffsetDateTime("completed_at")));
        });
    }
}
