package io.storefrontsync.worker.api;

import io.storefrontsync.common.api.ApiError;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.storefrontsync.common.validation.InvalidInputException;
import io.storefrontsync.worker.intake.ServiceTokenRefused;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Client mistakes become 400 with an {@link ApiError}; messages never echo raw input. */
public class ApiExceptionMappers {

    @ServerExceptionMapper
    public Response invalidInput(InvalidInputException e) {
        return badRequest(new ApiError("invalid_input", e.field(), e.getMessage()));
    }

    /** A genuine service token used for another body, without a jti, or twice: our refusal, so a JSON body. */
    @ServerExceptionMapper
    public Response serviceTokenRefused(ServiceTokenRefused e) {
        return Response.status(Response.Status.UNAUTHORIZED).type(MediaType.APPLICATION_JSON)
                .entity(new ApiError("invalid_token", null, e.getMessage())).build();
    }

    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        return invalidJson(e);
    }

    @ServerExceptionMapper
    public Response invalidJson(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        String where = location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        return badRequest(new ApiError("invalid_json", null, "the body is not the expected JSON" + where));
    }

    /** Quarkus REST wraps JSON syntax errors of the body in a 400 WebApplicationException. */
    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return invalidJson(json);
        }
        return e.getResponse();
    }

    private static Response badRequest(ApiError error) {
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON).entity(error).build();
    }
}
