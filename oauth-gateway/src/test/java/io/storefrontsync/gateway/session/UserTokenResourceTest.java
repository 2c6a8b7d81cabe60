package io.storefrontsync.gateway.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.storefrontsync.common.auth.JwtKeys;
import io.storefrontsync.common.auth.ServiceAuth;
import io.storefrontsync.gateway.support.ShopifyInstall;
import io.storefrontsync.gateway.support.WorkerReceiver;
import io.storefrontsync.sandbox.testing.SandboxWorldResource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.util.Base64;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * {@code POST /session/token}: what the minted user JWT claims and that the gateway's key signed it (the worker's
 * acceptance of it, and its refusal for another uuid, is {@code UserTokenIT}'s, against the packaged worker).
 */
@QuarkusTest
@WithTestResource(value = SandboxWorldResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = WorkerReceiver.class, scope = TestResourceScope.MATCHING_RESOURCES)
class UserTokenResourceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ConfigProperty(name = "JWT_PUBLIC_KEY")
    String publicKey;

    @Test
    void aSignedInMerchantShouldGetAShortLivedUserTokenForTheWorkerOnly() throws Exception {
        ShopifyInstall.Installed installed = ShopifyInstall.demoShop();

        Response minted = given().cookie(installed.session()).when().post("/session/token");
        assertThat(minted.statusCode()).as(minted.asString()).isEqualTo(200);
        assertThat(minted.header("Cache-Control")).contains("no-store");
        String token = minted.jsonPath().getString("access_token");
        assertThat(minted.jsonPath().getString("token_type")).isEqualTo("Bearer");
        assertThat(minted.jsonPath().getLong("expires_in")).isEqualTo(900L);

        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initVerify(JwtKeys.publicKey(publicKey));
        rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(rs256.verify(Base64.getUrlDecoder().decode(parts[2]))).as("signed with JWT_PRIVATE_KEY").isTrue();

        JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertThat(header.path("alg").asText()).isEqualTo("RS256");
        assertThat(claims.path("iss").asText()).isEqualTo(ServiceAuth.ISSUER);
        assertThat(claims.path("sub").asText()).isEqualTo(installed.userUuid());
        assertThat(claims.path("aud").isArray() ? claims.path("aud").get(0).asText() : claims.path("aud").asText())
                .isEqualTo(ServiceAuth.AUDIENCE_WORKER);
        assertThat(claims.path("aud").isArray() ? claims.path("aud").size() : 1).isEqualTo(1);
        assertThat(claims.path("groups").toString()).isEqualTo("[\"" + ServiceAuth.ROLE_USER + "\"]");
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(900L);
        assertThat(claims.path("jti").asText()).isNotEmpty();

        // Audience sync-worker only: the gateway's own admin API does not take it.
        given().header("Authorization", "Bearer " + token).when().get("/admin/shops/demo-shop.myshopify.com/webhooks")
                .then().statusCode(401);
    }

    @Test
    void withoutAValidSessionThereIsNoToken() {
        given().when().post("/session/token")
                .then().statusCode(401).body("error", is("no_session"));
        given().cookie(SessionCookies.SESSION, "forged.value").when().post("/session/token")
                .then().statusCode(401).body("error", is("no_session"));
        given().cookie(SessionCookies.SESSION, "x").when().get("/session/token").then().statusCode(405);
    }
}
