package io.storefrontsync.sandbox.facebook;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The Page node ({@code GET /{v}/{page-id}?fields=...}) and its {@code subscribed_apps} edge.
 *
 * <p>Access follows the Page reference: the Page's own token or a user token of someone who manages the Page
 * reads it; an app token or another Page's token lacks the permission (code 10), and an id that is no Page here
 * is "Unsupported get request" (100/33).
 */
final class PageHandler {

    static final List<String> TASKS = List.of("ADVERTISE", "ANALYZE", "CREATE_CONTENT", "MESSAGING", "MODERATE",
            "MANAGE");

    private final FacebookWorld world;
    private final GraphAuth auth;
    private final String appId;
    private final String appName;

    PageHandler(FacebookWorld world, GraphAuth auth, String appId, String appName) {
        this.world = world;
        this.auth = auth;
        this.appId = appId;
        this.appName = appName;
    }

    JsonObject read(RoutingContext ctx, String pageId) {
        FacebookPage page = world.page(pageId).orElseThrow(() -> GraphErrors.unsupportedGet(pageId));
        AccessToken token = auth.require(ctx);
        requireReadAccess(token, page);
        return render(page, ctx.request().getParam("fields"), token);
    }

    /** Renders the requested fields of a Page, rejecting any name the Page node does not have. */
    JsonObject render(FacebookPage page, String fieldsParam, AccessToken token) {
        List<FieldSelection> fields = fieldsParam == null || fieldsParam.isBlank()
                ? PageFields.DEFAULT_FIELDS.stream().map(f -> new FieldSelection(f, null)).toList()
                : FieldSelection.parse(fieldsParam);
        for (FieldSelection field : fields) {
            if (!PageFields.isNodeField(field.name())) {
                throw GraphErrors.nonexistingField(field.name(), "Page");
            }
        }
        JsonObject all = page.toGraphJson();
        JsonObject out = new JsonObject();
        for (FieldSelection field : fields) {
            switch (field.name()) {
                case "picture" -> out.put("picture", new JsonObject().put("data", picture(page, field)));
                case "access_token" -> out.put("access_token", world.pageToken(page.id(),
                        token.kind() == AccessToken.Kind.USER ? token.userId() : world.user().id()).value());
                default -> {
                    Object value = all.getValue(field.name());
                    if (value != null) {
                        out.put(field.name(), field.hasSubfields() ? project(value, field.subfields()) : value);
                    }
                }
            }
        }
        // Graph always returns the id, whether asked for or not.
        out.put("id", page.id());
        return out;
    }

    private static JsonObject picture(FacebookPage page, FieldSelection field) {
        JsonObject source = page.pictureJson();
        if (!field.hasSubfields()) {
            return source;
        }
        JsonObject selected = new JsonObject();
        for (FieldSelection sub : field.subfields()) {
            if (!PageFields.PICTURE_FIELDS.contains(sub.name())) {
                throw GraphErrors.nonexistingField(sub.name(), "ProfilePictureSource");
            }
            selected.put(sub.name(), source.getValue(sub.name()));
        }
        return selected;
    }

    /** Sub-selection on a struct or list of structs, e.g. {@code category_list{name}}. */
    private static Object project(Object value, List<FieldSelection> subfields) {
        if (value instanceof JsonObject object) {
            JsonObject out = new JsonObject();
            subfields.forEach(f -> {
                if (object.containsKey(f.name())) {
                    out.put(f.name(), object.getValue(f.name()));
                }
            });
            return out;
        }
        if (value instanceof JsonArray array) {
            JsonArray out = new JsonArray();
            array.forEach(item -> out.add(project(item, subfields)));
            return out;
        }
        return value;
    }

    private void requireReadAccess(AccessToken token, FacebookPage page) {
        boolean ownPageToken = token.kind() == AccessToken.Kind.PAGE && page.id().equals(token.pageId());
        boolean manager = token.kind() == AccessToken.Kind.USER && !world.tasks(token.userId(), page.id()).isEmpty();
        if (!ownPageToken && !manager) {
            throw new GraphErrors.GraphException(400, "OAuthException", 10, null, false,
                    "(#10) This endpoint requires the 'pages_read_engagement' permission or the 'Page Public Content"
                            + " Access' feature or the 'Page Public Metadata Access' feature.");
        }
    }

    // --- subscribed_apps --------------------------------------------------------------------

    JsonObject subscribedApps(RoutingContext ctx, String pageId) {
        world.page(pageId).orElseThrow(() -> GraphErrors.unsupportedGet(pageId));
        AccessToken token = auth.require(ctx);
        if (token.kind() != AccessToken.Kind.PAGE || !pageId.equals(token.pageId())) {
            throw GraphErrors.pageTokenRequired();
        }
        return switch (ctx.request().method().name()) {
            case "POST" -> subscribe(ctx, pageId);
            case "DELETE" -> {
                world.unsubscribePage(pageId);
                yield new JsonObject().put("success", true);
            }
            default -> {
                JsonArray data = new JsonArray();
                world.pageSubscription(pageId).ifPresent(fields -> data.add(new JsonObject()
                        .put("link", "https://sandbox.invalid/apps/" + appId)
                        .put("name", appName)
                        .put("id", appId)
                        .put("subscribed_fields", new JsonArray(List.copyOf(fields)))));
                yield new JsonObject().put("data", data);
            }
        };
    }

    private JsonObject subscribe(RoutingContext ctx, String pageId) {
        String raw = ctx.request().getParam("subscribed_fields");
        if (raw == null || raw.isBlank()) {
            throw GraphErrors.missingParameter("subscribed_fields");
        }
        List<String> fields = parseList(raw);
        for (int i = 0; i < fields.size(); i++) {
            if (!PageFields.WEBHOOK_FIELDS.contains(fields.get(i))) {
                throw GraphErrors.invalidParameter("Param subscribed_fields[" + i + "] must be one of {"
                        + String.join(", ", PageFields.WEBHOOK_FIELDS.stream().sorted().toList()) + "} - got \""
                        + fields.get(i) + "\"");
            }
        }
        // Graph replaces the Page's list for this app with what was posted.
        world.unsubscribePage(pageId);
        world.subscribePage(pageId, fields);
        return new JsonObject().put("success", true);
    }

    /** Graph takes list parameters as {@code a,b} or as a JSON array {@code ["a","b"]}. */
    static List<String> parseList(String raw) {
        String trimmed = raw.trim();
        List<String> values = new ArrayList<>();
        if (trimmed.startsWith("[")) {
            try {
                new JsonArray(trimmed).forEach(v -> values.add(String.valueOf(v).trim()));
            } catch (RuntimeException e) {
                throw GraphErrors.invalidParameter("Invalid JSON for list parameter: " + raw);
            }
        } else {
            for (String part : trimmed.split(",")) {
                if (!part.isBlank()) {
                    values.add(part.trim());
                }
            }
        }
        Set<String> unique = new LinkedHashSet<>(values);
        return List.copyOf(unique);
    }
}
