package io.storefrontsync.sandbox.facebook;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * The User side of the graph: {@code /me} and {@code /me/accounts} (the Pages the user can act on, each with its
 * Page token and tasks), paged with opaque cursors exactly like Graph's cursor-based pagination
 * (https://developers.facebook.com/docs/graph-api/results/).
 */
final class UserHandler {

    /** User node fields this simulator knows (a subset of the User reference; no profile data is simulated). */
    private static final Set<String> USER_FIELDS = Set.of("id", "name", "first_name", "last_name", "middle_name",
            "name_format", "short_name", "picture", "email");
    /** What {@code /me/accounts} returns when {@code fields} is absent. */
    private static final String DEFAULT_ACCOUNT_FIELDS = "access_token,category,category_list,name,id,tasks";
    private static final int DEFAULT_LIMIT = 25;

    private final FacebookWorld world;
    private final GraphAuth auth;
    private final PageHandler pages;

    UserHandler(FacebookWorld world, GraphAuth auth, PageHandler pages) {
        this.world = world;
        this.auth = auth;
        this.pages = pages;
    }

    JsonObject me(RoutingContext ctx) {
        AccessToken token = GraphAuth.rawToken(ctx).map(auth::validate)
                .orElseThrow(GraphErrors::activeTokenRequired);
        return switch (token.kind()) {
            case APP -> throw GraphErrors.activeTokenRequired();
            // With a Page token, "me" is the Page.
            case PAGE -> pages.render(world.page(token.pageId()).orElseThrow(), ctx.request().getParam("fields"),
                    token);
            case USER -> renderUser(world.user(token.userId()).orElseThrow(), ctx.request().getParam("fields"));
        };
    }

    JsonObject user(RoutingContext ctx) {
        AccessToken token = auth.require(ctx);
        if (token.kind() != AccessToken.Kind.USER) {
            throw GraphErrors.unsupportedGet(world.user().id());
        }
        return renderUser(world.user(token.userId()).orElseThrow(), ctx.request().getParam("fields"));
    }

    private JsonObject renderUser(FacebookWorld.User user, String fieldsParam) {
        List<FieldSelection> fields = fieldsParam == null || fieldsParam.isBlank()
                ? List.of(new FieldSelection("name", null), new FieldSelection("id", null))
                : FieldSelection.parse(fieldsParam);
        String[] names = user.name().split(" ", 2);
        JsonObject all = new JsonObject().put("id", user.id()).put("name", user.name())
                .put("first_name", names[0]).put("last_name", names.length > 1 ? names[1] : "")
                .put("short_name", names[0]).put("name_format", "{first} {last}");
        JsonObject out = new JsonObject();
        for (FieldSelection field : fields) {
            if (!USER_FIELDS.contains(field.name())) {
                throw GraphErrors.nonexistingField(field.name(), "User");
            }
            if (all.containsKey(field.name())) {
                out.put(field.name(), all.getValue(field.name()));
            }
        }
        return out.put("id", user.id());
    }

    /** {@code DELETE /{v}/me/permissions}: the user removes the app; all their tokens die with it. */
    JsonObject deauthorize(RoutingContext ctx) {
        AccessToken token = auth.require(ctx);
        if (token.kind() != AccessToken.Kind.USER) {
            throw GraphErrors.activeTokenRequired();
        }
        world.revokeUserTokens(token.userId());
        return new JsonObject().put("success", true);
    }

    /** {@code GET /{v}/me/accounts} and {@code GET /{v}/{user-id}/accounts}. */
    JsonObject accounts(RoutingContext ctx) {
        AccessToken token = auth.require(ctx);
        if (token.kind() == AccessToken.Kind.PAGE) {
            throw GraphErrors.nonexistingField("accounts", "Page");
        }
        if (token.kind() != AccessToken.Kind.USER) {
            throw GraphErrors.activeTokenRequired();
        }
        String fieldsParam = ctx.request().getParam("fields");
        String fields = fieldsParam == null || fieldsParam.isBlank() ? DEFAULT_ACCOUNT_FIELDS : fieldsParam;
        FieldSelection.parse(fields); // syntax errors first, as Graph reports them
        List<String> parts = splitTopLevel(fields);
        boolean withTasks = parts.stream().anyMatch(p -> fieldName(p).equals("tasks"));
        // "tasks" belongs to the accounts edge, not the Page node, so it is taken out before Page validation.
        String pageFields = String.join(",", parts.stream().filter(p -> !fieldName(p).equals("tasks"))
                .map(String::trim).toList());

        int limit = parseLimit(ctx.request().getParam("limit"));
        List<FacebookPage> all = world.pagesOf(token.userId());
        int start = 0;
        String after = ctx.request().getParam("after");
        String before = ctx.request().getParam("before");
        if (after != null) {
            start = indexOf(all, decodeCursor(after)) + 1;
        } else if (before != null) {
            start = Math.max(0, indexOf(all, decodeCursor(before)) - limit);
        }
        int end = Math.min(all.size(), start + limit);
        List<FacebookPage> slice = all.subList(Math.min(start, end), end);

        JsonArray data = new JsonArray();
        for (FacebookPage page : slice) {
            JsonObject item = pages.render(page, pageFields.isEmpty() ? "id" : pageFields, token);
            if (withTasks) {
                item.put("tasks", new JsonArray(world.tasks(token.userId(), page.id())));
            }
            data.add(item);
        }
        JsonObject result = new JsonObject().put("data", data);
        if (!slice.isEmpty()) {
            JsonObject paging = new JsonObject().put("cursors", new JsonObject()
                    .put("before", encodeCursor(slice.get(0).id()))
                    .put("after", encodeCursor(slice.get(slice.size() - 1).id())));
            String base = baseUrl(ctx) + "/" + ctx.pathParam("version") + "/" + token.userId() + "/accounts?"
                    + (fieldsParam == null ? "" : "fields=" + encode(fieldsParam) + "&")
                    + "access_token=" + encode(token.value()) + "&limit=" + limit;
            if (start > 0) {
                paging.put("previous", base + "&before=" + encodeCursor(slice.get(0).id()));
            }
            if (end < all.size()) {
                paging.put("next", base + "&after=" + encodeCursor(slice.get(slice.size() - 1).id()));
            }
            result.put("paging", paging);
        }
        return result;
    }

    private static String fieldName(String part) {
        return part.split("[{.]", 2)[0].trim();
    }

    private static List<String> splitTopLevel(String fields) {
        List<String> parts = new java.util.ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < fields.length(); i++) {
            char c = fields.charAt(i);
            if (c == '{' || c == '(') {
                depth++;
            } else if (c == '}' || c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(fields.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(fields.substring(start));
        return parts;
    }

    private static int parseLimit(String raw) {
        if (raw == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(raw.trim());
            if (limit < 1) {
                throw GraphErrors.invalidParameter("Param limit must be a positive integer");
            }
            return Math.min(limit, 100);
        } catch (NumberFormatException e) {
            throw GraphErrors.invalidParameter("Param limit must be an integer");
        }
    }

    private static int indexOf(List<FacebookPage> pages, String id) {
        for (int i = 0; i < pages.size(); i++) {
            if (pages.get(i).id().equals(id)) {
                return i;
            }
        }
        throw GraphErrors.invalidParameter("Invalid cursor");
    }

    static String encodeCursor(String id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("page:" + id).getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeCursor(String cursor) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (decoded.startsWith("page:")) {
                return decoded.substring(5);
            }
        } catch (IllegalArgumentException e) {
            // fall through to Graph's answer for a malformed cursor
        }
        throw GraphErrors.invalidParameter("Invalid cursor");
    }

    private static String baseUrl(RoutingContext ctx) {
        String host = ctx.request().getHeader("Host");
        return ctx.request().scheme() + "://" + (host != null ? host : ctx.request().authority().toString());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
