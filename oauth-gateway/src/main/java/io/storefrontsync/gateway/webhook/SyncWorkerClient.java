package io.storefrontsync.gateway.webhook;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The worker's event intake ({@code quarkus.rest-client.sync-worker.url} = {@code SYNC_WORKER_URL}). */
@RegisterRestClient(configKey = "sync-worker")
@Path("/internal/events")
public interface SyncWorkerClient {

    /**
     * Fails (WebApplicationException) on any status from 400 up.
     *
     * @param batch a serialised {@code ChangeEventBatch}, sent as these very bytes: the token names their hash
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> publish(@HeaderParam("Authorization") String authorization, byte[] batch);
}
