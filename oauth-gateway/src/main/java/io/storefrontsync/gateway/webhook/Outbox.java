package io.storefrontsync.gateway.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.event.ChangeEvent;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Writes change events into {@code gateway.outbox} inside the caller's transaction, so an event is
 * stored exactly when the state change that caused it commits. {@link OutboxPublisher} delivers it.
 */
@ApplicationScoped
public class Outbox {

    private final ObjectMapper mapper;

    public Outbox(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Must run inside a {@code @WithTransaction} pipeline. */
    public Uni<Void> enqueue(ChangeEvent event) {
        String payload = toJson(event.validate());
        // Native SQL does not get Hibernate's default schema: qualify the table.
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                "INSERT INTO gateway.outbox (event_id, payload) VALUES (:eventId, CAST(CAST(:payload AS text) AS jsonb))")
                        .setParameter("eventId", event.eventId())
                        .setParameter("payload", payload)
                        .executeUpdate())
                .replaceWithVoid();
    }

    /** The outbox row's payload. */
    String toJson(ChangeEvent event) {
        try {
            return mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a ChangeEvent always serialises", e);
        }
    }
}
