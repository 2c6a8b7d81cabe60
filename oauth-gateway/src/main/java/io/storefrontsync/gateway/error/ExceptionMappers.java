package io.storefrontsync.gateway.error;

import io.storefrontsync.common.api.ApiError;
import io.storefrontsync.common.signature.SignatureVerificationException;
import io.storefrontsync.common.validation.InvalidInputException;
import io.storefrontsync.gateway.page.Accepts;
import io.storefrontsync.gateway.page.ErrorPage;
import io.storefrontsync.gateway.page.MerchantPages;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure into a JSON {@link ApiError}; stack traces stay in the log. A merchant's browser (it asks for
 * {@code text/html}) on one of the merchant paths gets the same status as an {@link ErrorPage} instead.
 */
public class ExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ExceptionMappers.class);
    /** The answer to anything unexpected, here and on the Vert.x routes ({@code ShopifyWebhookRoute}). */
    public static final ApiError INTERNAL_ERROR =
            ApiError.of("internal_error", "the request could not be processed; try again later");

    @ServerExceptionMapper
    public Response apiException(ApiException e, HttpHeaders headers, UriInfo uri) {
        return answer(headers, uri, e.status(), e.error(), null, e.getMessage());
    }

    @ServerExceptionMapper
    public Response invalidInput(InvalidInputException e, HttpHeaders headers, UriInfo uri) {
        return answer(headers, uri, 400, "invalid_input", e.field(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response badSignature(SignatureVerificationException e, HttpHeaders headers, UriInfo uri) {
        return answer(headers, uri, 401, "invalid_signature", null, e.getMessage());
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, HttpHeaders headers, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("request failed", e);
        }
        return answer(headers, uri, status, "http_" + status, null, e.getResponse().getStatusInfo().getReasonPhrase());
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e, HttpHeaders headers, UriInfo uri) {
        LOG.error("request failed", e);
        return answer(headers, uri, 500, INTERNAL_ERROR.error(), null, INTERNAL_ERROR.message());
    }

    private static Response answer(HttpHeaders headers, UriInfo uri, int status, String error, String field, String message) {
        if (MerchantPages.isMerchantPath(uri.getPath()) && Accepts.html(headers)) {
            return MerchantPages.error(ErrorPage.of(status, error, message, uri.getPath(), shopParameter(uri)));
        }
        return json(status, error, field, message);
    }

    /** The {@code shop} of the query, or of {@code /shopify/{shop}/login}: only to offer the retry link. */
    private static String shopParameter(UriInfo uri) {
        String shop = uri.getQueryParameters().getFirst("shop");
        if (shop == null && uri.getPath().matches("/shopify/[^/]+/login")) {
            shop = uri.getPathSegments().get(1).getPath();
        }
        return shop;
    }

    static Response json(int status, String error, String field, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new ApiError(error, field, message)).build();
    }
}
