package io.storefrontsync.gateway.support;

import io.restassured.http.Cookie;
import io.restassured.response.Response;
import io.storefrontsync.gateway.session.SessionCookies;

import java.net.URI;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Facebook Login through the gateway and the simulator's dialog, as a browser with a session would do it. */
public final class FacebookLogin {

    /** The state cookie set by /facebook/login, and the query Facebook (the simulator) redirected back with. */
    public record Authorized(Cookie stateCookie, String callbackQuery) {
    }

    private FacebookLogin() {
    }

    public static Response login(Cookie session) {
        var request = given().redirects().follow(false);
        if (session != null) {
            request = request.cookie(session);
        }
        return request.get("/facebook/login");
    }

    /** /facebook/login, then the simulator's dialog (which approves at once) up to its redirect back to us. */
    public static Authorized authorize(Cookie session) {
        Response login = login(session);
        assertThat(login.statusCode()).as(login.asString()).isEqualTo(302);
        Response dialog = given().redirects().follow(false).urlEncodingEnabled(false).get(login.header("Location"));
        assertThat(dialog.statusCode()).as(dialog.asString()).isEqualTo(302);
        return new Authorized(login.detailedCookie(SessionCookies.FACEBOOK_STATE),
                URI.create(dialog.header("Location")).getRawQuery());
    }

    public static Response callback(Authorized authorized) {
        var request = given().redirects().follow(false).urlEncodingEnabled(false);
        if (authorized.stateCookie() != null) {
            request = request.cookie(authorized.stateCookie());
        }
        return request.get("/facebook/callback?" + authorized.callbackQuery());
    }

    /** The whole login; fails the test unless every Page was connected. */
    public static Response connectPages(Cookie session) {
        Response connected = callback(authorize(session));
        assertThat(connected.statusCode()).as(connected.asString()).isEqualTo(200);
        return connected;
    }
}
