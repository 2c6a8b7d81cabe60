package io.storefrontsync.gateway.facebook;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.validation.NumericIds;
import io.storefrontsync.common.validation.PageId;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Facebook Login for Pages against Graph ({@code FACEBOOK_GRAPH_URL}/{@code FACEBOOK_GRAPH_VERSION}): code
 * exchange, long-lived user token, the user's id and every Page they manage, Page webhook subscriptions.
 * Tokens go in the Authorization header only; nothing here logs.
 */
@ApplicationScoped
public class FacebookGraph {

    private static final Pattern VERSION = Pattern.compile("v[0-9]{1,3}\\.[0-9]{1,2}");
    /** {@code tasks}: the user's role on each Page, which decides whether they may connect it. */
    private static final String ACCOUNT_FIELDS = "id,name,category,access_token,tasks";
    /** The task of a Page's full managers (Meta's Page roles); the others only read, post, moderate or advertise. */
    public static final String MANAGE = "MANAGE";
    /** Far more Pages than anyone manages; stops a paging loop that never ends. */
    private static final int MAX_ACCOUNT_PAGES = 200;

    /**
     * A Page of {@code /me/accounts} with the user's tasks on it. Only a Page the user can {@link #canManage()
     * manage} keeps its Page token (null otherwise: it is never connected, so the token is not held at all).
     * {@link #toString()} never shows the token.
     */
    public record ManagedPage(PageId id, String name, String category, List<String> tasks, String pageToken) {

        public ManagedPage {
            tasks = List.copyOf(tasks);
        }

        /**
         * Whether the user holds the MANAGE task: anyone with a lesser role (an agency with ANALYZE or ADVERTISE)
         * also gets the Page in /me/accounts, and connecting it would move the Page away from its merchant.
         */
        public boolean canManage() {
            return tasks.contains(MANAGE);
        }

        @Override
        public String toString() {
            return "ManagedPage[id=" + id + ", name=" + name + ", category=" + category + ", tasks=" + tasks
                    + ", pageToken=<redacted>]";
        }
    }

    private final FacebookConfig config;
    private final GraphApi api;

    public FacebookGraph(FacebookConfig config) {
        if (!VERSION.matcher(config.graphVersion()).matches()) {
            throw new IllegalArgumentException("FACEBOOK_GRAPH_VERSION must look like v26.0, got '"
                    + config.graphVersion() + "'");
        }
        this.config = config;
        this.api = QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(config.graphUrl()))
                .connectTimeout(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .followRedirects(false)
                .build(GraphApi.class);
    }

    public Uni<String> exchangeCode(String code) {
        return api.exchangeCode(config.graphVersion(), config.appId(), config.appSecret(), config.redirectUri(), code)
                .map(FacebookGraph::requireToken);
    }

    public Uni<String> longLivedUserToken(String shortLivedToken) {
        return api.exchangeForLongLived(config.graphVersion(), "fb_exchange_token", config.appId(), config.appSecret(),
                shortLivedToken).map(FacebookGraph::requireToken);
    }

    /** The app-scoped id of the user the token belongs to. */
    public Uni<String> userId(String userToken) {
        return api.me(config.graphVersion(), GraphApi.bearer(userToken), "id").map(me -> {
            String id = me.path("id").asText("");
            if (!NumericIds.isPositiveLong(id)) {
                throw new GraphApiException(200, -1, null, null, "/me answered without a valid user id");
            }
            return id;
        });
    }

    /**
     * Every Page of {@code /me/accounts} with the user's tasks, following the {@code after} cursor while Graph says
     * there is a next page. Pages the user cannot manage are listed too, without their token.
     */
    public Uni<List<ManagedPage>> managedPages(String userToken) {
        return accountsFrom(userToken, null, new ArrayList<>(), 1);
    }

    private Uni<List<ManagedPage>> accountsFrom(String userToken, String after, List<ManagedPage> pages, int round) {
        return api.accounts(config.graphVersion(), GraphApi.bearer(userToken), ACCOUNT_FIELDS,
                        config.accountsPageSize(), after)
                .chain(answer -> {
                    answer.path("data").forEach(item -> pages.add(managedPage(item)));
                    String next = nextCursor(answer);
                    if (next == null || round >= MAX_ACCOUNT_PAGES) {
                        return Uni.createFrom().item(pages);
                    }
                    return accountsFrom(userToken, next, pages, round + 1);
                });
    }

    /** Graph sets {@code paging.next} only when there is more; the cursor is followed, not the URL (it holds the token). */
    private static String nextCursor(JsonNode answer) {
        JsonNode paging = answer.path("paging");
        String after = paging.path("cursors").path("after").asText(null);
        return paging.hasNonNull("next") && after != null && !answer.path("data").isEmpty() ? after : null;
    }

    private static ManagedPage managedPage(JsonNode item) {
        List<String> tasks = new ArrayList<>();
        item.path("tasks").forEach(task -> {
            if (task.isTextual()) {
                tasks.add(task.asText());
            }
        });
        PageId id = PageId.parse(item.path("id").asText(""));
        String name = item.path("name").asText(null);
        String category = item.path("category").asText(null);
        if (!tasks.contains(MANAGE)) {
            return new ManagedPage(id, name, category, tasks, null);
        }
        String token = item.path("access_token").asText("");
        if (token.isEmpty()) {
            throw new GraphApiException(200, -1, null, null,
                    "a Page in /me/accounts came without a Page token: was pages_show_list granted?");
        }
        return new ManagedPage(id, name, category, tasks, token);
    }

    /** The fields this app is subscribed to on the Page, empty when it is not subscribed. */
    public Uni<List<String>> subscribedFields(ManagedPage page) {
        return api.subscribedApps(config.graphVersion(), page.id().value(), GraphApi.bearer(page.pageToken()))
                .map(answer -> {
                    List<String> fields = new ArrayList<>();
                    for (JsonNode app : answer.path("data")) {
                        if (config.appId().equals(app.path("id").asText())) {
                            app.path("subscribed_fields").forEach(f -> fields.add(f.asText()));
                        }
                    }
                    return fields;
                });
    }

    public Uni<Void> subscribe(ManagedPage page, List<String> fields) {
        return api.subscribeApp(config.graphVersion(), page.id().value(), GraphApi.bearer(page.pageToken()),
                        String.join(",", fields))
                .map(answer -> {
                    if (!answer.path("success").asBoolean(false)) {
                        throw new GraphApiException(200, -1, null, null, "subscribed_apps did not answer success");
                    }
                    return answer;
                })
                .replaceWithVoid();
    }

    private static String requireToken(GraphTokenResponse response) {
        if (response == null || response.accessToken() == null || response.accessToken().isBlank()) {
            throw new GraphApiException(200, -1, null, null, "Graph answered without an access token");
        }
        return response.accessToken();
    }

    /**
     * Points the app's {@code page} webhooks at {@code FACEBOOK_WEBHOOK_ADDRESS} with the configured fields
     * (what the App Dashboard's Webhooks page does). Graph calls our {@code GET /facebook/webhook} to verify
     * it before answering, so the gateway must already be reachable at that address.
     */
    public Uni<JsonNode> subscribeAppToPageWebhooks() {
        return api.subscribeAppWebhooks(config.graphVersion(), config.appId(), appToken(), "page",
                config.webhookAddress(), String.join(",", config.subscribedFields()), config.verifyToken());
    }

    /** The app's current webhook subscriptions (object, callback, fields, active). */
    public Uni<JsonNode> appWebhookSubscriptions() {
        return api.appWebhooks(config.graphVersion(), config.appId(), appToken());
    }

    /** The app access token {@code app-id|app-secret}, only ever sent in the Authorization header. */
    private String appToken() {
        return GraphApi.bearer(config.appId() + "|" + config.appSecret());
    }
}
