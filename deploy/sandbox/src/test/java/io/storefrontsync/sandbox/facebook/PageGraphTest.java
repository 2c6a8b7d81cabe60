package io.storefrontsync.sandbox.facebook;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PageGraphTest extends SimulatorTestSupport {

    private String userToken;

    @BeforeAll
    void login() {
        userToken = longLivedUserToken();
    }

    @Test
    void accountsPagesThroughEveryPageOnceWithLimitOne() {
        List<String> seen = new ArrayList<>();
        Reply reply = get("/v26.0/me/accounts?limit=1&access_token=" + enc(userToken));
        while (true) {
            assertThat(reply.status()).isEqualTo(200);
            JsonObject body = reply.json();
            JsonArray data = body.getJsonArray("data");
            assertThat(data).hasSize(1);
            JsonObject page = data.getJsonObject(0);
            assertThat(page.fieldNames()).contains("id", "name", "category", "category_list", "access_token",
                    "tasks");
            seen.add(page.getString("id"));
            assertThat(body.getJsonObject("paging").getJsonObject("cursors").getString("after")).isNotBlank();
            String next = body.getJsonObject("paging").getString("next");
            if (next == null) {
                break;
            }
            reply = getAbsolute(next);
        }
        assertThat(seen).containsExactlyElementsOf(simUser().getJsonArray("pages").stream()
                .map(Object::toString).toList());
    }

    @Test
    void accountsAcceptBearerHeaderAndAfterCursor() throws Exception {
        Reply first = send("/v26.0/me/accounts?limit=1");
        String after = first.json().getJsonObject("paging").getJsonObject("cursors").getString("after");

        Reply second = send("/v26.0/me/accounts?limit=1&after=" + enc(after));

        assertThat(second.json().getJsonArray("data").getJsonObject(0).getString("id"))
                .isNotEqualTo(first.json().getJsonArray("data").getJsonObject(0).getString("id"));
        assertThat(second.json().getJsonObject("paging").containsKey("next")).isFalse();
    }

    private Reply send(String path) throws Exception {
        var response = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + path))
                .header("Authorization", "Bearer " + userToken).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), java.util.Map.of(), response.body());
    }

    @Test
    void pageTokenReadsValidFieldsAndExpandsPicture() {
        String pageId = firstPageId();
        String token = pageToken(userToken, pageId);

        Reply reply = get("/v26.0/" + pageId + "?fields=" + enc("id,name,about,description,category,category_list,"
                + "website,link,emails,phone,location,fan_count,followers_count,verification_status,username,"
                + "picture{url}") + "&access_token=" + enc(token));

        assertThat(reply.status()).isEqualTo(200);
        JsonObject page = reply.json();
        assertThat(page.getString("id")).isEqualTo(pageId);
        assertThat(page.getJsonArray("emails")).isNotEmpty();
        assertThat(page.getJsonObject("location").fieldNames()).contains("street", "city", "zip", "country",
                "latitude", "longitude");
        assertThat(page.getJsonObject("picture").getJsonObject("data").fieldNames()).containsExactly("url");
        assertThat(page.getJsonArray("category_list").getJsonObject(0).fieldNames()).contains("id", "name");
        assertThat(reply.header("X-Business-Use-Case-Usage")).contains(pageId).contains("call_count");
        assertThat(reply.header("X-Page-Usage")).contains("total_cputime").contains("total_time");
    }

    @Test
    void managerUserTokenReadsThePageTooAndGetsAppUsage() {
        Reply reply = get("/v26.0/" + firstPageId() + "?fields=name,fan_count&access_token=" + enc(userToken));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().getLong("fan_count")).isPositive();
        JsonObject usage = new JsonObject(reply.header("X-App-Usage"));
        assertThat(usage.fieldNames()).containsExactlyInAnyOrder("call_count", "total_cputime", "total_time");
    }

    @Test
    void fieldsThatAreNotOnAPageAreRejectedLikeGraph() {
        String pageId = firstPageId();
        String token = pageToken(userToken, pageId);
        for (String field : List.of("email", "created_time")) {
            Reply reply = get("/v26.0/" + pageId + "?fields=name," + field + "&access_token=" + enc(token));

            assertThat(reply.status()).isEqualTo(400);
            assertThat(reply.error().getInteger("code")).isEqualTo(100);
            assertThat(reply.error().getString("type")).isEqualTo("OAuthException");
            assertThat(reply.error().getString("message"))
                    .isEqualTo("(#100) Tried accessing nonexisting field (" + field + ") on node type (Page)");
        }
    }

    @Test
    void unknownTokenAndUnknownObjectAnswerGraphErrors() {
        Reply badToken = get("/v26.0/" + firstPageId() + "?fields=name&access_token=EAAnot-a-token");
        Reply unknownPage = get("/v26.0/999999999999?fields=name&access_token=" + enc(userToken));

        assertThat(badToken.status()).isEqualTo(400);
        assertThat(badToken.error().getInteger("code")).isEqualTo(190);
        assertThat(unknownPage.error().getInteger("code")).isEqualTo(100);
        assertThat(unknownPage.error().getInteger("error_subcode")).isEqualTo(33);
    }
}
