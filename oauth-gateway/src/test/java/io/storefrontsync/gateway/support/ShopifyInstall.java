package io.storefrontsync.gateway.support;

import io.restassured.http.Cookie;
import io.restassured.response.Response;
import io.storefrontsync.gateway.session.SessionCookies;
import io.storefrontsync.sandbox.DemoShop;

import java.net.URI;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A merchant with a session, made the real way: the install of the simulator's demo shop through its
 * OAuth. The one place the gateway's tests install a shop they do not test the install of.
 */
public final class ShopifyInstall {

    /** The installed user and the session cookie the callback set. */
    public record Installed(String userUuid, Cookie session) {
    }

    private ShopifyInstall() {
    }

    public static Installed demoShop() {
        Response login = given().redirects().follow(false).get("/shopify/" + DemoShop.NAME + "/login");
        assertThat(login.statusCode()).isEqualTo(302);
        Response approve = given().redirects().follow(false).urlEncodingEnabled(false).get(login.header("Location"));
        assertThat(approve.statusCode()).isEqualTo(302);
        Response callback = given().redirects().follow(false).urlEncodingEnabled(false)
                .cookie(login.detailedCookie(SessionCookies.SHOPIFY_STATE))
                .get("/shopify/callback?" + URI.create(approve.header("Location")).getRawQuery());
        assertThat(callback.statusCode()).as(callback.asString()).isEqualTo(200);
        return new Installed(callback.jsonPath().getString("user_uuid"), callback.detailedCookie(SessionCookies.SESSION));
    }
}
