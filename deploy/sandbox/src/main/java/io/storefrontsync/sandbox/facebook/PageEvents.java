package io.storefrontsync.sandbox.facebook;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What a control event does to a Page, and the {@code value} its webhook change carries. Each edit is
 * deterministic from the Page's current state, so a replayed scenario produces the same documents.
 */
final class PageEvents {

    private PageEvents() {
    }

    static Object apply(FacebookWorld world, String pageId, String field) {
        FacebookPage page = world.page(pageId).orElseThrow();
        int n = world.nextRevision(pageId);
        FacebookPage changed;
        Object value;
        switch (field) {
            case "name" -> {
                String base = page.name().replaceAll(" \\(rev \\d+\\)$", "");
                changed = page.withName(base + " (rev " + n + ")");
                value = changed.name();
            }
            case "description" -> {
                changed = page.withDescription("Revision " + n + ": " + page.description()
                        .replaceAll("^Revision \\d+: ", ""));
                value = changed.description();
            }
            case "category" -> {
                List<FacebookPage.Category> all = FacebookWorld.CATEGORIES;
                changed = page.withCategory(all.get((all.indexOf(page.category()) + 1) % all.size()));
                value = changed.category().name();
            }
            case "website" -> {
                changed = page.withContact("https://" + page.username() + ".example.com/r" + n + "/", page.emails(),
                        page.phone());
                value = changed.website();
            }
            case "phone" -> {
                changed = page.withContact(page.website(), page.emails(),
                        "+1 555-" + String.format("%03d-%04d", 100 + n % 900, 1000 + n % 9000));
                value = changed.phone();
            }
            case "email" -> {
                changed = page.withContact(page.website(), List.of("team" + n + "@" + page.username() + ".example.com"),
                        page.phone());
                value = changed.emails().get(0);
            }
            case "location" -> {
                FacebookPage.Location l = page.location();
                changed = page.withLocation(new FacebookPage.Location((100 + n) + " Market St", l.city(), l.state(),
                        l.zip(), l.country(), l.latitude(), l.longitude()));
                value = changed.toGraphJson().getJsonObject("location");
            }
            case "hours" -> {
                changed = page.withDetails(page.pictureUrl(), page.priceRange(), String.format("%02d:00", 7 + n % 4),
                        page.hoursClose(), page.mission(), page.companyOverview(), page.generalInfo());
                value = changed.toGraphJson().getJsonObject("hours");
            }
            case "picture" -> {
                changed = page.withDetails(page.pictureUrl().replaceAll("(_r\\d+)?\\.jpg$", "_r" + n + ".jpg"),
                        page.priceRange(), page.hoursOpen(), page.hoursClose(), page.mission(),
                        page.companyOverview(), page.generalInfo());
                value = new JsonObject().put("url", changed.pictureUrl());
            }
            case "price_range" -> {
                changed = page.withDetails(page.pictureUrl(), "$".repeat(1 + n % 4), page.hoursOpen(),
                        page.hoursClose(), page.mission(), page.companyOverview(), page.generalInfo());
                value = changed.priceRange();
            }
            case "mission", "company_overview", "general_info" -> {
                String text = "Revision " + n + " of our " + field.replace('_', ' ') + ".";
                changed = page.withDetails(page.pictureUrl(), page.priceRange(), page.hoursOpen(), page.hoursClose(),
                        field.equals("mission") ? text : page.mission(),
                        field.equals("company_overview") ? text : page.companyOverview(),
                        field.equals("general_info") ? text : page.generalInfo());
                value = text;
            }
            case "feed" -> {
                changed = page.withNewPost();
                // The feed change shape of the Page Webhooks reference: item/verb/post_id/from/message.
                value = new JsonObject()
                        .put("item", "status")
                        .put("verb", "add")
                        .put("post_id", page.id() + "_" + (100_000_000L + changed.postCount()))
                        .put("published", 1)
                        .put("created_time", world.now().getEpochSecond())
                        .put("message", "New arrivals, post " + changed.postCount())
                        .put("from", new JsonObject().put("id", page.id()).put("name", page.name()));
            }
            default -> throw new IllegalArgumentException("unsupported event field " + field);
        }
        world.replacePage(changed);
        return value;
    }
}
