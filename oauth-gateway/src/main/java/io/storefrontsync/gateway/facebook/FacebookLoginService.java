package io.storefrontsync.gateway.facebook;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.signature.Hmac;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.gateway.error.ApiException;
import io.storefrontsync.gateway.facebook.FacebookGraph.ManagedPage;
import io.storefrontsync.gateway.oauth.OAuthStateService;
import io.storefrontsync.gateway.session.SessionCookies;
import io.storefrontsync.gateway.shopify.StepResult;
import io.storefrontsync.gateway.webhook.OutboxPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.UriBuilder;
import org.jboss.logging.Logger;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Facebook Login for Pages (server-side authorization-code flow). The merchant is known from the session cookie
 * set by the Shopify install; the signed single-use state carries their uuid through the dialog and is bound to
 * the browser by a signed cookie, as in the Shopify flow. Then: code → short-lived user token → long-lived user
 * token → the user's id and all their Pages → Page tokens stored encrypted with one event each → each Page
 * subscribed to the app's webhooks. No token leaves this class except towards Graph and the cipher.
 */
@ApplicationScoped
public class FacebookLoginService {

    private static final Logger LOG = Logger.getLogger(FacebookLoginService.class);

    public record LoginRedirect(URI location, NewCookie stateCookie) {
    }

    public record PageAnswer(String id, String name, String category,
                             @JsonProperty("webhook_result") StepResult webhookResult,
                             @JsonProperty("sync_result") StepResult syncResult) {
    }

    /** A Page of the Facebook user that was not connected, and why; never a token. */
    public record SkippedPage(String id, String name, String reason, String message) {
    }

    public record LoginAnswer(@JsonProperty("user_uuid") String userUuid, List<PageAnswer> pages,
                              List<SkippedPage> skipped) {
    }

    /** The query Facebook redirects back with; {@code error} set when the user declined. */
    public record Callback(String code, String state, String error, String errorReason) {
    }

    private record Connected(UserId user, List<ManagedPage> pages, List<SkippedPage> skipped) {
    }

    private final FacebookConfig config;
    private final FacebookGraph graph;
    private final OAuthStateService states;
    private final SessionCookies cookies;
    private final FacebookPageService pages;
    private final PageSubscriber subscriber;
    private final OutboxPublisher publisher;

    public FacebookLoginService(FacebookConfig config, FacebookGraph graph, OAuthStateService states,
                                SessionCookies cookies, FacebookPageService pages, PageSubscriber subscriber,
                                OutboxPublisher publisher) {
        this.config = config;
        this.graph = graph;
        this.states = states;
        this.cookies = cookies;
        this.pages = pages;
        this.subscriber = subscriber;
        this.publisher = publisher;
    }

    public Uni<LoginRedirect> begin(String sessionCookie) {
        UserId user = cookies.readSession(sessionCookie).orElseThrow(() -> new ApiException(401, "no_session",
                "no valid session: install the app on your Shopify store first (/shopify/{shop}/login), "
                        + "then connect Facebook Pages from the same browser"));
        return states.issueForUser(user, cookies.stateTtl())
                .onItem().ifNull().failWith(() -> new ApiException(401, "no_session",
                        "the session's user no longer exists: install the app on your Shopify store again"))
                .map(state -> new LoginRedirect(
                        UriBuilder.fromUri(config.dialogUrl()).path(config.graphVersion()).path("dialog/oauth")
                                .queryParam("client_id", config.appId())
                                .queryParam("redirect_uri", config.redirectUri())
                                .queryParam("state", state.nonce())
                                .queryParam("scope", String.join(",", config.scopes()))
                                .queryParam("response_type", "code")
                                .build(),
                        cookies.facebookState(state.nonce(), state.expiresAt().toInstant())));
    }

    public Uni<LoginAnswer> complete(Callback callback, String stateCookie) {
        return Uni.createFrom().item(() -> checkCallback(callback, stateCookie))
                .chain(states::consumeForUser)
                .map(user -> user.orElseThrow(() -> new ApiException(403, "invalid_state",
                        "state was already used or has expired: start again from /facebook/login")))
                .chain(user -> connect(user, callback.code()))
                .invoke(publisher::trigger)
                .chain(this::subscribeEach);
    }

    private String checkCallback(Callback callback, String stateCookie) {
        if (callback.error() != null) {
            if ("access_denied".equals(callback.error())) {
                throw new ApiException(403, "access_denied", "Facebook Login was cancelled or the permissions were "
                        + "declined; no Page was connected. Start again from /facebook/login to connect your Pages");
            }
            throw new ApiException(400, "facebook_login_failed", "Facebook Login answered with an error; "
                    + "no Page was connected. Start again from /facebook/login");
        }
        if (callback.code() == null || callback.code().isBlank()) {
            throw new ApiException(400, "missing_code", "code is missing");
        }
        if (callback.state() == null || callback.state().isBlank()) {
            throw new ApiException(403, "invalid_state", "state is missing");
        }
        String nonce = cookies.readFacebookState(stateCookie).orElseThrow(() -> new ApiException(403, "invalid_state",
                "state cookie is missing, expired or not ours: start again from /facebook/login in this browser"));
        if (!Hmac.constantTimeEquals(nonce.getBytes(StandardCharsets.UTF_8),
                callback.state().getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(403, "invalid_state", "state does not belong to this browser");
        }
        return nonce;
    }

    private Uni<Connected> connect(UserId user, String code) {
        return graph.exchangeCode(code)
                .onFailure(FacebookLoginService::isRefusal).transform(e -> codeRefused((GraphApiException) e))
                .chain(graph::longLivedUserToken)
                .chain(userToken -> graph.userId(userToken)
                        .chain(facebookUserId -> graph.managedPages(userToken)
                                .map(listed -> connectable(user, listed))
                                .call(connected -> pages.saveConnectedPages(user, facebookUserId, connected.pages()))
                                .invoke(connected -> LOG.infof("facebook user %s connected %d pages for user %s "
                                        + "(%d skipped without MANAGE)", facebookUserId, connected.pages().size(), user,
                                        connected.skipped().size()))))
                .onFailure(GraphApiException.class).transform(e -> graphFailed((GraphApiException) e))
                .onFailure(ProcessingException.class).transform(e -> {
                    LOG.warnf("Facebook Login could not reach Graph: %s", e.getClass().getSimpleName());
                    return new ApiException(502, "facebook_unreachable", "Facebook could not be reached; try again");
                });
    }

    private Uni<LoginAnswer> subscribeEach(Connected connected) {
        return Multi.createFrom().iterable(connected.pages())
                .onItem().transformToUniAndConcatenate(page -> subscriber.subscribe(page)
                        .map(webhookResult -> new PageAnswer(page.id().value(), page.name(), page.category(),
                                webhookResult, StepResult.success())))
                .collect().asList()
                .map(answers -> new LoginAnswer(connected.user().toString(), answers, connected.skipped()));
    }

    /**
     * Only Pages where the user holds MANAGE are connected: /me/accounts also lists Pages where they are an
     * analyst or advertiser, and connecting one of those would hand its data (and, if another merchant connected
     * it, the Page itself) to someone the Page's owner never made a manager.
     */
    private static Connected connectable(UserId user, List<ManagedPage> listed) {
        List<ManagedPage> manageable = listed.stream().filter(ManagedPage::canManage).toList();
        List<SkippedPage> skipped = listed.stream().filter(page -> !page.canManage())
                .map(page -> new SkippedPage(page.id().value(), page.name(), "missing_manage_task",
                        "your role on this Page has the tasks " + page.tasks() + " but not MANAGE; "
                                + "ask a person who manages the Page to connect it"))
                .toList();
        return new Connected(user, manageable, skipped);
    }

    /** A 4xx Graph error on the code exchange that is not a rate limit: the code itself was refused. */
    private static boolean isRefusal(Throwable e) {
        return e instanceof GraphApiException graphError && !graphError.isRateLimit() && graphError.status() < 500;
    }

    private static ApiException codeRefused(GraphApiException e) {
        LOG.warnf("Facebook refused the login code: %s", e.describe());
        return new ApiException(400, "code_exchange_failed",
                "Facebook refused the authorization code (" + e.describe() + "): start again from /facebook/login");
    }

    private static Throwable graphFailed(GraphApiException e) {
        LOG.warnf("Facebook Login failed at Graph: %s", e.describe());
        if (e.isInvalidToken()) {
            return new ApiException(401, "facebook_token_invalid",
                    "Facebook rejected the access token (" + e.describe() + "): log in again from /facebook/login");
        }
        if (e.isRateLimit()) {
            return new ApiException(503, "facebook_rate_limited",
                    "Facebook is rate limiting this app (" + e.describe() + "): try again in a few minutes");
        }
        return new ApiException(502, "facebook_error", "Facebook could not complete the login (" + e.describe() + ")");
    }
}
