package io.storefrontsync.worker.job;

import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.auth.ServiceAuth;
import io.storefrontsync.common.validation.InvalidInputException;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.common.api.ApiError;
import io.storefrontsync.worker.api.Caller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

@Path("/jobs")
@Tag(name = "jobs")
@SecurityRequirement(name = "jwt")
public class JobResource {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;
    private static final Pattern LIMIT_TEXT = Pattern.compile("[0-9]{1,4}");

    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final JobStore jobs;
    private final JsonWebToken jwt;

    public JobResource(JobStore jobs, JsonWebToken jwt) {
        this.jobs = jobs;
        this.jwt = jwt;
    }

    @GET
    @RolesAllowed({ServiceAuth.ROLE_ADMIN, ServiceAuth.ROLE_USER})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A user's jobs, newest first",
            description = "Admins list any user's jobs; a user token only its own uuid (sub). Keyset paging: pass the "
                    + "answer's nextCursor as cursor. A running or waiting job carries its progress.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = JobPage.class)))
    @APIResponse(responseCode = "400", description = "userId missing or malformed, unknown status, limit not 1.."
            + MAX_LIMIT + ", cursor not one this API gave", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "401", description = "No or invalid token")
    @APIResponse(responseCode = "403", description = "A user token naming another user's uuid, or a service token",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<JobPage> list(@QueryParam("userId") String userId, @QueryParam("status") String status,
                             @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        Caller caller = Caller.of(jwt);
        return Uni.createFrom().item(() -> new ListQuery(
                        caller.require(UserId.parse(userId), "a user token may only list its own jobs"),
                        parseStatus(status), parseLimit(limit),
                        cursor == null ? Optional.empty() : Optional.of(JobCursor.decode(cursor))))
                // One row more than the page: whether a next page exists, without a count.
                .chain(query -> jobs.listOfUser(query.user(), query.status(), query.after(), query.limit() + 1)
                        .map(found -> {
                            boolean more = found.size() > query.limit();
                            var page = more ? found.subList(0, query.limit()) : found;
                            return new JobPage(page.stream().map(JobView::of).toList(),
                                    more ? JobCursor.after(page.get(page.size() - 1)).encode() : null);
                        }));
    }

    private record ListQuery(UserId user, Optional<String> status, int limit, Optional<JobCursor> after) {
    }

    private static Optional<String> parseStatus(String status) {
        if (status == null) {
            return Optional.empty();
        }
        if (!JobStore.STATUSES.contains(status)) {
            throw new InvalidInputException("status", "must be one of " + String.join(", ", JobStore.STATUSES) + ": "
                    + InvalidInputException.preview(status));
        }
        return Optional.of(status);
    }

    private static int parseLimit(String limit) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        int value = LIMIT_TEXT.matcher(limit).matches() ? Integer.parseInt(limit) : -1;
        if (value < 1 || value > MAX_LIMIT) {
            throw new InvalidInputException("limit", "must be a whole number from 1 to " + MAX_LIMIT + ": "
                    + InvalidInputException.preview(limit));
        }
        return value;
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ServiceAuth.ROLE_ADMIN, ServiceAuth.ROLE_USER})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Status of a job", description = "Admins see any job; a user only jobs of its own uuid.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = JobView.class)))
    @APIResponse(responseCode = "400", description = "Malformed job id",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", description = "No such job (or not the caller's)")
    public Uni<Response> get(@PathParam("id") String id) {
        Caller caller = Caller.of(jwt);
        return Uni.createFrom().item(() -> parseJobId(id))
                .chain(jobs::find)
                .map(job -> job.filter(found -> caller.mayAccess(found.userId())))
                .map(job -> job.map(found -> Response.ok(JobView.of(found)).build())
                        .orElseGet(() -> Response.status(Response.Status.NOT_FOUND)
                                .entity(new ApiError("not_found", "id", "no such job")).build()));
    }

    private static UUID parseJobId(String id) {
        if (id == null || !UUID_TEXT.matcher(id).matches()) {
            throw new InvalidInputException("id", "must be a job uuid: " + InvalidInputException.preview(id));
        }
        return UUID.fromString(id);
    }
}
