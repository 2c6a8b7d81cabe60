package io.storefrontsync.worker.facebook;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The one Graph call the worker makes: a Page node with a field list. The Page token goes in the
 * {@code Authorization} header, never in the URL, so no access log or error message can carry it.
 * Every non-2xx answer becomes a {@link GraphRequestException}.
 */
@Path("/{version}")
@Produces(MediaType.APPLICATION_JSON)
public interface GraphPageApi {

    @GET
    @Path("/{page}")
    Uni<RestResponse<JsonNode>> page(@PathParam("version") String version,
                                     @PathParam("page") String pageId,
                                     @HeaderParam("Authorization") String authorization,
                                     @QueryParam("fields") String fields);

    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        return GraphRequestException.from(response);
    }
}
