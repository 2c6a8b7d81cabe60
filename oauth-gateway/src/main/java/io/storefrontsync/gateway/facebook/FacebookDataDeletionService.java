package io.storefrontsync.gateway.facebook;

import io.storefrontsync.common.event.EventKind;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.signature.MetaSignedRequest;
import io.storefrontsync.common.validation.NumericIds;
import io.storefrontsync.common.validation.PageId;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.gateway.config.GatewayConfig;
import io.storefrontsync.gateway.error.ApiException;
import io.storefrontsync.gateway.webhook.Outbox;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Meta's data deletion callback: a verified {@code signed_request} names a Facebook user; every Page that user
 * connected loses its row and encrypted Page token here, and a {@code page/deleted} event per Page makes the worker
 * delete {@code users/<uuid>/facebook/<page_id>/}. All of it, and the request record, in one transaction.
 */
@ApplicationScoped
public class FacebookDataDeletionService {

    private static final Logger LOG = Logger.getLogger(FacebookDataDeletionService.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_-]{16,64}");

    public record DeletionAnswer(String url, @JsonProperty("confirmation_code") String confirmationCode) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DeletionStatus(@JsonProperty("confirmation_code") String confirmationCode, String status,
                                 @JsonProperty("requested_at") OffsetDateTime requestedAt,
                                 @JsonProperty("completed_at") OffsetDateTime completedAt,
                                 @JsonProperty("pages_deleted") int pagesDeleted,
                                 @JsonProperty("page_tokens_deleted") int pageTokensDeleted,
                                 @JsonProperty("stored_page_data") String storedPageData) {
    }

    private final FacebookConfig config;
    private final Pool pool;
    private final FacebookPages pages;
    private final FacebookDeletionRequests requests;
    private final Outbox outbox;
    private final String publicUrl;

    public FacebookDataDeletionService(FacebookConfig config, GatewayConfig gateway, Pool pool, FacebookPages pages,
                                       FacebookDeletionRequests requests, Outbox outbox) {
        this.config = config;
        this.pool = pool;
        this.pages = pages;
        this.requests = requests;
        this.outbox = outbox;
        String url = gateway.publicUrl();
        this.publicUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** The Facebook user id of a genuine signed request; 401 for a bad signature (the mapper), 400 without a user. */
    public String verifiedUser(String signedRequest) {
        JsonNode payload = MetaSignedRequest.parse(signedRequest, config.appSecret());
        String user = payload.path("user_id").isValueNode() ? payload.path("user_id").asText() : "";
        if (!NumericIds.isPositiveLong(user)) {
            throw new ApiException(400, "invalid_signed_request", "signed_request carries no valid user_id");
        }
        return user;
    }

    public Uni<DeletionAnswer> delete(String facebookUserId) {
        OffsetDateTime requestedAt = OffsetDateTime.now(ZoneOffset.UTC);
        String code = newCode();
        return pool.withTransaction(conn -> pages.deleteConnectedBy(conn, facebookUserId)
                        .call(deleted -> enqueueDeletions(conn, deleted))
                        .map(deleted -> new FacebookDeletionRequest(code, facebookUserId, FacebookDeletionRequest.COMPLETED,
                                deleted.size(), (int) deleted.stream().filter(page -> page.pageTokenEnc() != null).count(),
                                deleted.size(), requestedAt, OffsetDateTime.now(ZoneOffset.UTC)))
                        .call(request -> requests.insert(conn, request)))
                .invoke(request -> LOG.infof("data deletion %s for facebook user %s: %d pages deleted",
                        request.confirmationCode(), facebookUserId, request.pagesDeleted()))
                .map(request -> new DeletionAnswer(statusUrl(code), code));
    }

    /** One {@code page/deleted} per Page, in Page id order: the worker deletes {@code users/<uuid>/facebook/<page_id>/}. */
    private Uni<Void> enqueueDeletions(SqlConnection conn, List<FacebookPageConnection> deleted) {
        return Multi.createFrom().iterable(deleted)
                .onItem().transformToUniAndConcatenate(page -> outbox.enqueue(conn, FacebookPageService.event(
                        EventKind.PAGE_DELETED, new PageId(page.pageId()), new UserId(page.userId()))))
                .collect().last()
                .replaceWithVoid();
    }

    /** Empty for a code that is malformed or unknown. */
    public Uni<DeletionStatus> status(String code) {
        if (code == null || !CODE.matcher(code).matches()) {
            return Uni.createFrom().nullItem();
        }
        return requests.find(pool, code)
                .map(found -> found.map(request -> new DeletionStatus(request.confirmationCode(), request.status(),
                        request.requestedAt(), request.completedAt(), request.pagesDeleted(), request.tokensDeleted(),
                        request.eventsQueued() == 0 ? "none stored"
                                : "deletion queued for the sync worker (" + request.eventsQueued() + " page folders)"))
                        .orElse(null));
    }

    private String statusUrl(String code) {
        return publicUrl + "/facebook/data-deletion/" + code;
    }

    private static String newCode() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
