package io.storefrontsync.gateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.crypto.TokenAad;
import io.storefrontsync.common.crypto.TokenCipher;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.gateway.error.ApiException;
import io.storefrontsync.gateway.shopify.ShopifyAdminClients;
import io.storefrontsync.gateway.shopify.ShopifyConfig;
import io.storefrontsync.gateway.shopify.ShopifyConnections;
import io.storefrontsync.gateway.shopify.StepResult;
import io.storefrontsync.gateway.shopify.WebhookRegistrar;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Operators' view of a shop's webhook subscriptions, through the shop's own Admin GraphQL API with
 * its stored token: list them, register the configured topics again (idempotent), or remove them all.
 */
@ApplicationScoped
public class ShopWebhooksAdmin {

    private static final Logger LOG = Logger.getLogger(ShopWebhooksAdmin.class);

    static final String LIST = """
            query AdminListWebhooks { webhookSubscriptions(first: 250) {
              edges { node { id topic uri format createdAt updatedAt } } } }""";
    static final String DELETE = """
            mutation AdminDeleteWebhook($id: ID!) {
              webhookSubscriptionDelete(id: $id) { deletedWebhookSubscriptionId userErrors { field message } }
            }""";

    private final ShopifyAdminClients clients;
    private final ShopifyConfig config;
    private final WebhookRegistrar registrar;
    private final TokenCipher cipher;
    private final Pool pool;
    private final ShopifyConnections connections;

    public ShopWebhooksAdmin(ShopifyAdminClients clients, ShopifyConfig config, WebhookRegistrar registrar,
                             TokenCipher cipher, Pool pool, ShopifyConnections connections) {
        this.clients = clients;
        this.config = config;
        this.registrar = registrar;
        this.cipher = cipher;
        this.pool = pool;
        this.connections = connections;
    }

    public record Subscription(String id, String topic, String uri, String format, String createdAt, String updatedAt) {
    }

    public record Subscriptions(String shop, List<Subscription> subscriptions) {
    }

    public record Removal(String shop, List<String> deleted, List<String> errors) {
    }

    public Uni<Subscriptions> list(ShopDomain shop) {
        return accessToken(shop).chain(token -> fetch(shop, token))
                .map(subscriptions -> new Subscriptions(shop.value(), subscriptions));
    }

    public Uni<StepResult> reregister(ShopDomain shop) {
        return accessToken(shop).chain(token -> registrar.register(shop, token));
    }

    public Uni<Removal> removeAll(ShopDomain shop) {
        return accessToken(shop).chain(token -> fetch(shop, token)
                .onItem().transformToMulti(subscriptions -> Multi.createFrom().iterable(subscriptions))
                .onItem().transformToUniAndConcatenate(subscription -> delete(shop, token, subscription))
                .collect().asList()
                .map(outcomes -> {
                    List<String> deleted = new ArrayList<>();
                    List<String> errors = new ArrayList<>();
                    outcomes.forEach(o -> (o.error() == null ? deleted : errors).add(o.error() == null ? o.id() : o.error()));
                    LOG.infof("removed %d webhook subscriptions of %s (%d errors)", deleted.size(), shop, errors.size());
                    return new Removal(shop.value(), deleted, errors);
                }));
    }

    private Uni<List<Subscription>> fetch(ShopDomain shop, String token) {
        return clients.forShop(shop).graphql(config.apiVersion(), token, Map.of("query", LIST))
                .map(response -> {
                    failOnErrors(response);
                    List<Subscription> subscriptions = new ArrayList<>();
                    for (JsonNode edge : response.path("data").path("webhookSubscriptions").path("edges")) {
                        JsonNode n = edge.path("node");
                        subscriptions.add(new Subscription(n.path("id").asText(), n.path("topic").asText(),
                                n.path("uri").asText(null), n.path("format").asText(null),
                                n.path("createdAt").asText(null), n.path("updatedAt").asText(null)));
                    }
                    return subscriptions;
                });
    }

    private record DeleteOutcome(String id, String error) {
    }

    private Uni<DeleteOutcome> delete(ShopDomain shop, String token, Subscription subscription) {
        return clients.forShop(shop).graphql(config.apiVersion(), token,
                        Map.of("query", DELETE, "variables", Map.of("id", subscription.id())))
                .map(response -> {
                    JsonNode errors = response.path("errors");
                    JsonNode userErrors = response.path("data").path("webhookSubscriptionDelete").path("userErrors");
                    if (errors.isArray() && !errors.isEmpty()) {
                        return new DeleteOutcome(subscription.id(), subscription.id() + ": " + errors.get(0).path("message").asText());
                    }
                    if (userErrors.isArray() && !userErrors.isEmpty()) {
                        return new DeleteOutcome(subscription.id(), subscription.id() + ": " + userErrors.get(0).path("message").asText());
                    }
                    return new DeleteOutcome(subscription.id(), null);
                });
    }

    /** The shop's current access token; 404 when the shop has no active connection. */
    Uni<String> accessToken(ShopDomain shop) {
        return connections.find(pool, shop)
                .map(found -> {
                    if (found.isEmpty() || !found.get().isActive() || found.get().accessTokenEnc() == null) {
                        throw new ApiException(404, "not_found", "no active Shopify connection for " + shop.value());
                    }
                    return cipher.decrypt(found.get().accessTokenEnc(), TokenAad.shopifyAccessToken(shop));
                });
    }

    private static void failOnErrors(JsonNode response) {
        JsonNode errors = response.path("errors");
        if (errors.isArray() && !errors.isEmpty()) {
            throw new ApiException(502, "upstream_error", "Shopify answered: " + errors.get(0).path("message").asText());
        }
    }
}
