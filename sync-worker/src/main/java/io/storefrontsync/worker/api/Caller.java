package io.storefrontsync.worker.api;

import io.storefrontsync.common.auth.ServiceAuth;
import io.storefrontsync.common.validation.UserId;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Who is calling, from the verified JWT: admins see everything, a user only its own uuid ({@code sub}). */
public record Caller(boolean admin, String subject) {

    public static Caller of(JsonWebToken jwt) {
        return new Caller(jwt.getGroups().contains(ServiceAuth.ROLE_ADMIN), jwt.getSubject());
    }

    public boolean mayAccess(UserId user) {
        return admin || (subject != null && subject.equalsIgnoreCase(user.toString()));
    }
}
