package io.storefrontsync.gateway.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.validation.ShopDomain;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Shop admins. The base URL comes only from {@code SHOPIFY_ADMIN_URL_TEMPLATE} with a {@link ShopDomain}
 * substituted, so the client secret and tokens can only ever go to a {@code *.myshopify.com} host (or the
 * configured simulator).
 *
 * <p>One REST client serves every shop, its admin base given per call: one HTTP client and connection pool (pooled
 * per host), whatever the number of shops. A REST client per shop, kept for good, held an HTTP client, its pool and
 * its idle keep-alive connections for every shop the gateway ever called: heap and sockets grew with the fleet
 * (2,003 HTTP clients and about 1,000 sockets after 2,000 installs, issue #15).
 */
@ApplicationScoped
public class ShopifyAdminClients {

    private static final String DEFAULT_TEMPLATE = "https://{shop}";

    private final ShopifyConfig config;
    private volatile ShopifyAdminHttp http;

    public ShopifyAdminClients(ShopifyConfig config) {
        this.config = config;
    }

    public ShopifyAdminApi forShop(ShopDomain shop) {
        // Re-validated here, right before any request, whatever the caller checked before.
        return new ShopAdmin(http(), adminBase(new ShopDomain(shop.value())));
    }

    public URI adminBase(ShopDomain shop) {
        String template = config.adminUrlTemplate().filter(t -> !t.isBlank()).orElse(DEFAULT_TEMPLATE);
        return URI.create(template.replace("{shop}", shop.value()));
    }

    private ShopifyAdminHttp http() {
        ShopifyAdminHttp client = http;
        if (client == null) {
            synchronized (this) {
                client = http;
                if (client == null) {
                    // The base is only the builder's requirement: every call names its shop's admin (@Url).
                    client = QuarkusRestClientBuilder.newBuilder()
                            .baseUri(URI.create(DEFAULT_TEMPLATE.replace("{shop}", "admin.shopify.com")))
                            .connectTimeout(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                            .readTimeout(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                            .followRedirects(false)
                            .build(ShopifyAdminHttp.class);
                    http = client;
                }
            }
        }
        return client;
    }

    private record ShopAdmin(ShopifyAdminHttp http, URI admin) implements ShopifyAdminApi {

        @Override
        public Uni<AccessTokenResponse> exchangeCode(String clientId, String clientSecret, String code, String expiring) {
            return http.exchangeCode(admin, clientId, clientSecret, code, expiring);
        }

        @Override
        public Uni<AccessTokenResponse> refresh(String clientId, String clientSecret, String grantType,
                                                String refreshToken) {
            return http.refresh(admin, clientId, clientSecret, grantType, refreshToken);
        }

        @Override
        public Uni<JsonNode> graphql(String version, String accessToken, Map<String, Object> request) {
            return http.graphql(admin, version, accessToken, request);
        }
    }
}
