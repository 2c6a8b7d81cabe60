package io.storefrontsync.gateway.user;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A merchant: the uuid that names their folder in Spaces and ties their shops and pages together. */
@Entity
@Table(name = "users")
public class AppUser extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    public static AppUser create(OffsetDateTime now) {
        AppUser user = new AppUser();
        user.id = UUID.randomUUID();
        user.createdAt = now;
        return user;
    }
}
