package io.storefrontsync.gateway.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.storefrontsync.common.validation.ShopDomain;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Subscribes a shop to the configured webhook topics through Admin GraphQL, idempotently: the
 * existing subscriptions are read first and only missing (topic, uri) pairs are created.
 */
@ApplicationScoped
public class WebhookRegistrar {

    private static final Logger LOG = Logger.getLogger(WebhookRegistrar.class);

    static final String EXISTING = """
            query ExistingWebhooks { webhookSubscriptions(first: 250) { edges { node { id topic uri } } } }""";
    static final String CREATE = """
            mutation CreateWebhook($topic: WebhookSubscriptionTopic!, $subscription: WebhookSubscriptionInput!) {
              webhookSubscriptionCreate(topic: $topic, webhookSubscription: $subscription) {
                webhookSubscription { id topic uri }
                userErrors { field message }
              }
            }""";

    private final ShopifyAdminClients clients;
    private final ShopifyConfig config;

    public WebhookRegistrar(ShopifyAdminClients clients, ShopifyConfig config) {
        this.clients = clients;
        this.config = config;
    }

    /** Never fails: problems come back as a failed {@link StepResult} (the install itself succeeded). */
    public Uni<StepResult> register(ShopDomain shop, String accessToken) {
        ShopifyAdminApi api = clients.forShop(shop);
        return api.graphql(config.apiVersion(), accessToken, Map.of("query", EXISTING))
                .map(this::existingTopics)
                .chain(existing -> createMissing(api, accessToken, existing))
                .map(errors -> errors.isEmpty() ? StepResult.success() : StepResult.failed(String.join("; ", errors)))
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("webhook registration for %s failed: %s", shop, failure.getMessage());
                    return StepResult.failed("webhook registration failed: " + failure.getClass().getSimpleName());
                });
    }

    private Set<String> existingTopics(JsonNode response) {
        throwOnErrors(response);
        Set<String> topics = new HashSet<>();
        for (JsonNode edge : response.path("data").path("webhookSubscriptions").path("edges")) {
            JsonNode node = edge.path("node");
            if (config.webhookAddress().equals(node.path("uri").asText())) {
                topics.add(node.path("topic").asText());
            }
        }
        return topics;
    }

    private Uni<List<String>> createMissing(ShopifyAdminApi api, String accessToken, Set<String> existing) {
        List<String> missing = config.webhookTopics().stream().filter(t -> !existing.contains(t)).toList();
        return Multi.createFrom().iterable(missing)
                .onItem().transformToUniAndConcatenate(topic -> create(api, accessToken, topic))
                .collect().asList()
                .map(results -> {
                    List<String> errors = new ArrayList<>();
                    results.forEach(errors::addAll);
                    return errors;
                });
    }

    private Uni<List<String>> create(ShopifyAdminApi api, String accessToken, String topic) {
        Map<String, Object> variables = Map.of("topic", topic,
                "subscription", Map.of("uri", config.webhookAddress(), "format", "JSON"));
        return api.graphql(config.apiVersion(), accessToken, Map.of("query", CREATE, "variables", variables))
                .map(response -> {
                    List<String> errors = new ArrayList<>();
                    response.path("errors").forEach(e -> errors.add(topic + ": " + e.path("message").asText()));
                    response.path("data").path("webhookSubscriptionCreate").path("userErrors")
                            .forEach(e -> errors.add(topic + ": " + e.path("message").asText()));
                    return errors;
                });
    }

    private static void throwOnErrors(JsonNode response) {
        JsonNode errors = response.path("errors");
        if (errors.isArray() && !errors.isEmpty()) {
            throw new IllegalStateException("GraphQL error: " + errors.get(0).path("message").asText());
        }
    }
}
