package io.storefrontsync.gateway.user;

import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.validation.UserId;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * {@code gateway.users}: one row per merchant, the uuid that names their folder in Spaces and ties their shops and
 * Pages together. Created by their first Shopify install and never changed. The only class with SQL on this table.
 */
@ApplicationScoped
public class Users {

    private static final String INSERT = "INSERT INTO gateway.users (id, created_at) VALUES ($1, $2)";
    private static final String EXISTS = "SELECT EXISTS (SELECT 1 FROM gateway.users WHERE id = $1) AS found";

    /** A new merchant with a random uuid, on {@code client}: inside the transaction of the install that creates it. */
    public Uni<UserId> create(SqlClient client, OffsetDateTime now) {
        UUID id = UUID.randomUUID();
        return client.preparedQuery(INSERT).execute(Tuple.of(id, now)).replaceWith(new UserId(id));
    }

    public Uni<Boolean> exists(SqlClient client, UserId user) {
        return client.preparedQuery(EXISTS).execute(Tuple.of(user.value()))
                .map(rows -> rows.iterator().next().getBoolean("found"));
    }
}
