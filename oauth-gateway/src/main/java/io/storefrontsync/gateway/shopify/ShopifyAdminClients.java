package io.storefrontsync.gateway.shopify;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.storefrontsync.common.validation.ShopDomain;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * REST clients for shop admins, keyed by shop. The base URL comes only from
 * {@code SHOPIFY_ADMIN_URL_TEMPLATE} with a {@link ShopDomain} substituted, so the client secret and
 * tokens can only ever go to a {@code *.myshopify.com} host (or the configured simulator).
 */
@ApplicationScoped
public class ShopifyAdminClients {

    private static final String DEFAULT_TEMPLATE = "https://{shop}";

    private final ShopifyConfig config;
    private final Map<String, ShopifyAdminApi> clients = new ConcurrentHashMap<>();

    public ShopifyAdminClients(ShopifyConfig config) {
        this.config = config;
    }

    public ShopifyAdminApi forShop(ShopDomain shop) {
        // Re-validated here, right before any request, whatever the caller checked before.
        ShopDomain checked = new ShopDomain(shop.value());
        return clients.computeIfAbsent(checked.value(), domain -> QuarkusRestClientBuilder.newBuilder()
                .baseUri(adminBase(checked))
                .connectTimeout(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .followRedirects(false)
                .build(ShopifyAdminApi.class));
    }

    public URI adminBase(ShopDomain shop) {
        String template = config.adminUrlTemplate().filter(t -> !t.isBlank()).orElse(DEFAULT_TEMPLATE);
        return URI.create(template.replace("{shop}", shop.value()));
    }
}
