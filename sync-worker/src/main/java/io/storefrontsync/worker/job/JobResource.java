package io.storefrontsync.worker.job;

import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.auth.ServiceAuth;
import io.storefrontsync.common.validation.InvalidInputException;
import io.storefrontsync.common.api.ApiError;
import io.storefrontsync.worker.api.Caller;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.UUID;
import java.util.regex.Pattern;

@Path("/jobs")
@Tag(name = "jobs")
@SecurityRequirement(name = "jwt")
public class JobResource {

    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final JobStore jobs;
    private final JsonWebToken jwt;

    public JobResource(JobStore jobs, JsonWebToken jwt) {
        this.jobs = jobs;
        this.jwt = jwt;
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
