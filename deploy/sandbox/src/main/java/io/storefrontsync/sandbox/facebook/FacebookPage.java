package io.storefrontsync.sandbox.facebook;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** One simulated Page with the data a store's sales bot would read. Immutable; events replace it. */
record FacebookPage(
        String id,
        String name,
        String username,
        Category category,
        List<Category> categoryList,
        String about,
        String description,
        String website,
        List<String> emails,
        String phone,
        Location location,
        long fanCount,
        long followersCount,
        String pictureUrl,
        String priceRange,
        String hoursOpen,
        String hoursClose,
        String mission,
        String companyOverview,
        String generalInfo,
        int postCount) {

    record Category(String id, String name) {
    }

    record Location(String street, String city, String state, String zip, String country, double latitude,
            double longitude) {
    }

    /** Every node field this Page has a value for, as Graph renders it. Fields without a value are absent. */
    JsonObject toGraphJson() {
        JsonObject json = new JsonObject()
                .put("id", id)
                .put("name", name)
                .put("username", username)
                .put("category", category.name())
                .put("category_list", new JsonArray(categoryList.stream()
                        .map(c -> new JsonObject().put("id", c.id()).put("name", c.name())).toList()))
                .put("about", about)
                .put("description", description)
                .put("website", website)
                .put("link", "https://www.facebook.com/" + username)
                .put("emails", new JsonArray(emails))
                .put("phone", phone)
                .put("location", new JsonObject()
                        .put("street", location.street()).put("city", location.city())
                        .put("state", location.state()).put("zip", location.zip())
                        .put("country", location.country())
                        .put("latitude", location.latitude()).put("longitude", location.longitude()))
                .put("single_line_address", location.street() + ", " + location.city() + ", " + location.state()
                        + " " + location.zip())
                .put("fan_count", fanCount)
                .put("followers_count", followersCount)
                .put("talking_about_count", Math.max(1, followersCount / 40))
                .put("were_here_count", 0)
                .put("verification_status", "not_verified")
                .put("is_verified", false)
                .put("is_published", true)
                .put("is_permanently_closed", false)
                .put("is_always_open", false)
                .put("has_transitioned_to_new_page_experience", true)
                .put("can_post", true)
                .put("can_checkin", true)
                .put("price_range", priceRange)
                .put("hours", new JsonObject()
                        .put("mon_1_open", hoursOpen).put("mon_1_close", hoursClose)
                        .put("tue_1_open", hoursOpen).put("tue_1_close", hoursClose)
                        .put("wed_1_open", hoursOpen).put("wed_1_close", hoursClose)
                        .put("thu_1_open", hoursOpen).put("thu_1_close", hoursClose)
                        .put("fri_1_open", hoursOpen).put("fri_1_close", hoursClose)
                        .put("sat_1_open", hoursOpen).put("sat_1_close", hoursClose))
                .put("temporary_status", "operating_as_usual");
        if (mission != null) {
            json.put("mission", mission);
        }
        if (companyOverview != null) {
            json.put("company_overview", companyOverview);
        }
        if (generalInfo != null) {
            json.put("general_info", generalInfo);
        }
        return json;
    }

    /** The ProfilePictureSource Graph nests under {@code picture.data}. */
    JsonObject pictureJson() {
        return new JsonObject()
                .put("height", 50)
                .put("is_silhouette", false)
                .put("url", pictureUrl)
                .put("width", 50);
    }

    FacebookPage withName(String value) {
        return new FacebookPage(id, value, username, category, categoryList, about, description, website, emails,
                phone, location, fanCount, followersCount, pictureUrl, priceRange, hoursOpen, hoursClose, mission,
                companyOverview, generalInfo, postCount);
    }

    FacebookPage withDescription(String value) {
        return new FacebookPage(id, name, username, category, categoryList, about, value, website, emails, phone,
                location, fanCount, followersCount, pictureUrl, priceRange, hoursOpen, hoursClose, mission,
                companyOverview, generalInfo, postCount);
    }

    FacebookPage withCategory(Category value) {
        return new FacebookPage(id, name, username, value, List.of(value), about, description, website, emails,
                phone, location, fanCount, followersCount, pictureUrl, priceRange, hoursOpen, hoursClose, mission,
                companyOverview, generalInfo, postCount);
    }

    FacebookPage withContact(String newWebsite, List<String> newEmails, String newPhone) {
        return new FacebookPage(id, name, username, category, categoryList, about, description, newWebsite,
                newEmails, newPhone, location, fanCount, followersCount, pictureUrl, priceRange, hoursOpen,
                hoursClose, mission, companyOverview, generalInfo, postCount);
    }

    FacebookPage withLocation(Location value) {
        return new FacebookPage(id, name, username, category, categoryList, about, description, website, emails,
                phone, value, fanCount, followersCount, pictureUrl, priceRange, hoursOpen, hoursClose, mission,
                companyOverview, generalInfo, postCount);
    }

    FacebookPage withDetails(String newPictureUrl, String newPriceRange, String newOpen, String newClose,
            String newMission, String newOverview, String newGeneralInfo) {
        return new FacebookPage(id, name, username, category, categoryList, about, description, website, emails,
                phone, location, fanCount, followersCount, newPictureUrl, newPriceRange, newOpen, newClose,
                newMission, newOverview, newGeneralInfo, postCount);
    }

    FacebookPage withNewPost() {
        return new FacebookPage(id, name, username, category, categoryList, about, description, website, emails,
                phone, location, fanCount, followersCount, pictureUrl, priceRange, hoursOpen, hoursClose, mission,
                companyOverview, generalInfo, postCount + 1);
    }
}
