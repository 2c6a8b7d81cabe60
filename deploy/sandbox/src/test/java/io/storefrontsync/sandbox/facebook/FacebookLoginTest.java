package io.storefrontsync.sandbox.facebook;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FacebookLoginTest extends SimulatorTestSupport {

    @Test
    void dialogRedirectsBackWithCodeAndState() {
        Reply dialog = get("/v26.0/dialog/oauth?client_id=" + APP_ID + "&redirect_uri=" + enc(REDIRECT_URI)
                + "&state=" + enc("st/ate+1") + "&scope=pages_show_list&response_type=code");

        assertThat(dialog.status()).isEqualTo(302);
        URI location = URI.create(dialog.header("location"));
        assertThat(location.toString()).startsWith(REDIRECT_URI + "?");
        Map<String, String> params = query(location);
        assertThat(params.get("state")).isEqualTo("st/ate+1");
        assertThat(params.get("code")).isNotBlank();
    }

    @Test
    void dialogRejectsUnknownClientId() {
        Reply dialog = get("/v26.0/dialog/oauth?client_id=999&redirect_uri=" + enc(REDIRECT_URI) + "&state=x");

        assertThat(dialog.status()).isEqualTo(400);
        assertThat(dialog.header("location")).isNull();
    }

    @Test
    void codeExchangesForShortLivedThenLongLivedToken() {
        String code = authorizationCode("a");
        Reply shortLived = postForm("/v26.0/oauth/access_token", Map.of("client_id", APP_ID,
                "client_secret", APP_SECRET, "redirect_uri", REDIRECT_URI, "code", code));

        assertThat(shortLived.status()).isEqualTo(200);
        assertThat(shortLived.json().getString("token_type")).isEqualTo("bearer");
        assertThat(shortLived.json().getLong("expires_in")).isBetween(3600L, 2 * 3600L);

        Reply longLived = get("/v26.0/oauth/access_token?grant_type=fb_exchange_token&client_id=" + APP_ID
                + "&client_secret=" + APP_SECRET + "&fb_exchange_token="
                + enc(shortLived.json().getString("access_token")));

        assertThat(longLived.status()).isEqualTo(200);
        assertThat(longLived.json().getString("access_token"))
                .isNotEqualTo(shortLived.json().getString("access_token"));
        assertThat(longLived.json().getLong("expires_in")).isGreaterThan(50L * 24 * 3600);
        Reply me = get("/v26.0/me?access_token=" + enc(longLived.json().getString("access_token")));
        assertThat(me.json().getString("id")).isEqualTo(simUser().getString("id"));
    }

    @Test
    void codeIsSingleUse() {
        String code = authorizationCode("b");
        String exchange = "/v26.0/oauth/access_token?client_id=" + APP_ID + "&client_secret=" + APP_SECRET
                + "&redirect_uri=" + enc(REDIRECT_URI) + "&code=" + enc(code);
        assertThat(get(exchange).status()).isEqualTo(200);

        Reply again = get(exchange);

        assertThat(again.status()).isEqualTo(400);
        assertThat(again.error().getString("type")).isEqualTo("OAuthException");
        assertThat(again.error().getInteger("code")).isEqualTo(100);
        assertThat(again.error().getInteger("error_subcode")).isEqualTo(36009);
        assertThat(again.error().getString("fbtrace_id")).isNotBlank();
    }

    @Test
    void codeExchangeNeedsTheDialogRedirectUriAndTheRightSecret() {
        String code = authorizationCode("c");
        Reply otherRedirect = get("/v26.0/oauth/access_token?client_id=" + APP_ID + "&client_secret=" + APP_SECRET
                + "&redirect_uri=" + enc("http://127.0.0.1:8080/other") + "&code=" + enc(code));
        Reply badSecret = get("/v26.0/oauth/access_token?client_id=" + APP_ID + "&client_secret=nope"
                + "&redirect_uri=" + enc(REDIRECT_URI) + "&code=" + enc(code));

        assertThat(otherRedirect.error().getInteger("error_subcode")).isEqualTo(36008);
        assertThat(badSecret.status()).isEqualTo(400);
        assertThat(badSecret.error().getString("message")).isEqualTo("Error validating client secret.");
    }

    @Test
    void unknownVersionFormatIsAGraphError() {
        Reply reply = get("/v26/me?access_token=x");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error().getString("type")).isEqualTo("OAuthException");
    }

    @Test
    void armedDenialRedirectsWithUserDeniedOnce() {
        postJson("/_sim/faults", new io.vertx.core.json.JsonObject().put("kind", "login_denied"));
        Reply denied = get("/v26.0/dialog/oauth?client_id=" + APP_ID + "&redirect_uri=" + enc(REDIRECT_URI)
                + "&state=d");

        Map<String, String> params = query(URI.create(denied.header("location")));
        assertThat(params).containsEntry("error", "access_denied").containsEntry("error_reason", "user_denied")
                .containsEntry("state", "d").doesNotContainKey("code");
        assertThat(authorizationCode("after")).isNotBlank();
    }

    @Test
    void removingTheAppRevokesUserAndPageTokens() {
        String userToken = longLivedUserToken();
        String pageId = firstPageId();
        String pageToken = pageToken(userToken, pageId);

        Reply removed = delete("/v26.0/me/permissions?access_token=" + enc(userToken));

        assertThat(removed.json().getBoolean("success")).isTrue();
        Reply page = get("/v26.0/" + pageId + "?fields=name&access_token=" + enc(pageToken));
        assertThat(page.error().getInteger("code")).isEqualTo(190);
        assertThat(page.error().getInteger("error_subcode")).isEqualTo(460);
        assertThat(get("/v26.0/me?access_token=" + enc(userToken)).error().getInteger("code")).isEqualTo(190);
    }
    @Test
    void accountsListEachPageWithTheUsersTasksAndTheAnalystOnlyHasAnalyzeAndAdvertise() {
        String owner = longLivedUserToken();
        for (Object page : get("/v26.0/me/accounts?fields=id,name,access_token,tasks&access_token=" + enc(owner))
                .json().getJsonArray("data")) {
            assertThat(((JsonObject) page).getJsonArray("tasks").getList()).contains("MANAGE", "ANALYZE");
        }
        JsonObject analyst = simUser().getJsonObject("analyst");
        assertThat(analyst.getString("id")).isNotEqualTo(simUser().getString("id"));

        Reply armed = postJson("/_sim/next-login", new JsonObject().put("user_id", analyst.getString("id")));
        assertThat(armed.status()).isEqualTo(200);
        String analystToken = longLivedUserToken();

        assertThat(get("/v26.0/me?access_token=" + enc(analystToken)).json().getString("id"))
                .isEqualTo(analyst.getString("id"));
        var pages = get("/v26.0/me/accounts?fields=id,access_token,tasks&access_token=" + enc(analystToken))
                .json().getJsonArray("data");
        assertThat(pages).hasSize(1);
        JsonObject only = pages.getJsonObject(0);
        assertThat(only.getString("id")).isEqualTo(firstPageId());
        assertThat(only.getJsonArray("tasks").getList()).containsExactly("ANALYZE", "ADVERTISE");
        assertThat(only.getString("access_token")).isNotEqualTo(pageToken(owner, firstPageId()));
        // The next login is the owner's again.
        assertThat(get("/v26.0/me?access_token=" + enc(longLivedUserToken())).json().getString("id"))
                .isEqualTo(simUser().getString("id"));
        assertThat(postJson("/_sim/next-login", new JsonObject().put("user_id", "1")).status()).isEqualTo(404);
    }
}
