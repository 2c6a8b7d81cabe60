package io.storefrontsync.gateway.error;

import io.storefrontsync.common.api.ApiError;
import io.storefrontsync.common.signature.SignatureVerificationException;
import io.storefrontsync.common.validation.InvalidInputException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns every failure into a JSON {@link ApiError}; stack traces stay in the log. */
public class ExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ExceptionMappers.class);

    @ServerExceptionMapper
    public Response apiException(ApiException e) {
        return json(e.status(), e.error(), null, e.getMessage());
    }

    @ServerExceptionMapper
    public Response invalidInput(InvalidInputException e) {
        return json(400, "invalid_input", e.field(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response badSignature(SignatureVerificationException e) {
        return json(401, "invalid_signature", null, e.getMessage());
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("request failed", e);
        }
        return json(status, "http_" + status, null, e.getResponse().getStatusInfo().getReasonPhrase());
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e) {
        LOG.error("request failed", e);
        return json(500, "internal_error", null, "the request could not be processed; try again later");
    }

    static Response json(int status, String error, String field, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new ApiError(error, field, message)).build();
    }
}
