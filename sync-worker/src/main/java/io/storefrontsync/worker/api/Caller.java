package io.storefrontsync.worker.api;

import io.storefrontsync.common.api.ApiError;
import io.storefrontsync.common.auth.ServiceAuth;
import io.storefrontsync.common.validation.UserId;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Who is calling, from the verified JWT: admins see everything, a user only its own uuid ({@code sub}). */
public record Caller(boolean admin, String subject) {

    public static Caller of(JsonWebToken jwt) {
        return new Caller(jwt.getGroups().contains(ServiceAuth.ROLE_ADMIN), jwt.getSubject());
    }

    public boolean mayAccess(UserId user) {
        return admin || (subject != null && subject.equalsIgnoreCase(user.toString()));
    }

    /**
     * @return {@code user} when the caller may act on it
     * @throws ForbiddenException 403 with an {@link ApiError} saying why (a bare one would answer an empty body)
     */
    public UserId require(UserId user, String why) {
        if (!mayAccess(user)) {
            throw new ForbiddenException(Response.status(Response.Status.FORBIDDEN).type(MediaType.APPLICATION_JSON)
                    .entity(new ApiError("forbidden", "userId", why)).build());
        }
        return user;
    }
}
