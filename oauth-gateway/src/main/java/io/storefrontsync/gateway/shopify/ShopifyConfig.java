package io.storefrontsync.gateway.shopify;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The Shopify app's settings (environment names in application.properties). */
@ConfigMapping(prefix = "gateway.shopify")
public interface ShopifyConfig {

    /** {@code SHOPIFY_API_KEY}, the app's client id. */
    String apiKey();

    /** {@code SHOPIFY_API_SECRET}: signs OAuth redirects and webhooks, authenticates the code exchange. */
    String apiSecret();

    /** {@code SHOPIFY_SCOPES}, comma separated. */
    String scopes();

    /** {@code SHOPIFY_REDIRECT_URI}: this gateway's {@code /shopify/callback}. */
    String redirectUri();

    /** {@code SHOPIFY_WEBHOOK_ADDRESS}: this gateway's {@code /shopify/webhook}. */
    String webhookAddress();

    /**
     * {@code SHOPIFY_API_VERSION}; empty when the variable is set to "" (an {@code Optional}, so that
     * {@code config.StartupChecks} can refuse it naming the variable rather than Quarkus naming the property).
     */
    @WithName("api-version")
    Optional<String> apiVersionSetting();

    /** {@code SHOPIFY_API_VERSION}, checked at start. */
    default String apiVersion() {
        return apiVersionSetting().orElseThrow();
    }

    /**
     * {@code SHOPIFY_ADMIN_URL_TEMPLATE}: {@code {shop}} is replaced by the validated full domain;
     * empty means {@code https://{shop}}.
     */
    Optional<String> adminUrlTemplate();

    /** Webhook topics registered at install (GraphQL {@code WebhookSubscriptionTopic} values). */
    List<String> webhookTopics();

    /** Refresh access tokens that expire within this window. */
    @WithDefault("10m")
    Duration refreshAhead();

    /** How often the token refresher looks for tokens about to expire; each pass refreshes all that are due. */
    @WithDefault("1m")
    Duration refreshEvery();

    /** Refreshes one instance runs at once. */
    @WithDefault("8")
    int refreshConcurrency();

    /**
     * How long one refresh keeps retrying 429, 5xx, timeouts and connection errors before the shop
     * waits for a later pass. A row's lease is this plus
     * {@link #requestTimeout()} plus a margin, so no other instance can claim it while a request is in flight.
     */
    @WithDefault("60s")
    Duration refreshRetryBudget();

    /** Timeout of each call to a shop's admin (token exchange, GraphQL). */
    @WithDefault("10s")
    Duration requestTimeout();
}
