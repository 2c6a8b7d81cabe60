/**
 * The Shopify simulator: {@link io.storefrontsync.sandbox.shopify.ShopifySimulator} and the roles
 * behind it.
 *
 * <h2>What it imitates</h2>
 * <ul>
 *   <li><b>OAuth</b> ({@code ShopifyOAuthHandler}, {@code TokenStore}): authorize auto-approves and
 *       redirects with {@code code, hmac, host, shop, state, timestamp}; the token endpoint takes JSON,
 *       form or query parameters; codes are single use and live 5 minutes; {@code expiring=1} gives
 *       a 1-hour access token and a 90-day rotating refresh token. A request without
 *       {@code expiring=1} is refused (new public apps must use expiring tokens since 2026-04-01)
 *       unless {@code allowNonExpiringTokens}. The refresh token just used stays valid until its
 *       replacement is used (Shopify, 2026-08-28), unless {@code strictRefreshRotation}.</li>
 *   <li><b>Admin GraphQL</b> ({@code AdminGraphQLHandler}, {@code AdminSchema}): every query is
 *       parsed and validated against the real 2026-07 schema; errors come back with HTTP 200 in
 *       graphql-ruby's shape (message, locations, path starting with the operation, extensions.code
 *       such as {@code undefinedField}). Any valid query executes: fields the fixture does not hold
 *       answer null when nullable, else a placeholder ({@code FixtureWiringFactory}).
 *       Implemented with real data: {@code shop}, {@code products} (+ {@code query:} subset
 *       {@code status/vendor/product_type/tag/title/updated_at/created_at}), {@code product(id)},
 *       variants, inventory items and levels with {@code quantities(names:)}, product metafields
 *       ({@code namespace}/{@code keys} filters, {@code metafield(namespace,key)}), {@code locations},
 *       {@code collections} (custom and smart) and their products, {@code discountNodes} (and the
 *       deprecated {@code codeDiscountNodes}/{@code automaticDiscountNodes}), {@code *Count} roots,
 *       {@code node}/{@code nodes}, {@code webhookSubscriptions} and the mutations
 *       {@code webhookSubscriptionCreate}/{@code webhookSubscriptionDelete}. Other mutations answer
 *       an error.</li>
 *   <li><b>Cost and throttling</b> ({@code QueryCostCalculator}, {@code LeakyBucket}): Shopify's
 *       documented rules, requested cost taken before execution, difference refunded after,
 *       {@code extensions.cost} on every response, {@code THROTTLED} and {@code MAX_COST_EXCEEDED}
 *       errors, {@code first}/{@code last} required and at most 250.</li>
 *   <li><b>Webhooks</b> ({@code WebhookDispatcher}, {@code WebhookPayloads}): REST-shaped bodies,
 *       the {@code X-Shopify-*} headers, base64 HMAC of the raw body, retries with backoff.</li>
 *   <li><b>Control API</b> ({@code ControlApiHandler}) under {@code /_sim/}: events, faults
 *       (429, 500, 503, slow answers, and {@code throttled}: an emptied bucket), state and counters,
 *       clock, reset.</li>
 * </ul>
 *
 * <h2>Known differences from Shopify</h2>
 * <ul>
 *   <li>{@code sortKey} is ignored (always id order; {@code reverse} works); {@code query:} knows
 *       only the terms above, others match everything; {@code savedSearchId} is ignored.</li>
 *   <li>Scopes are recorded but not enforced; {@code grant_options[]=per-user} (online tokens) gets
 *       an offline token; {@code redirect_uri} is not checked against an allow-list.</li>
 *   <li>A list of objects that is not a connection costs 1 however long; mutations cost 10 flat;
 *       {@code @skip}/{@code @include} do not lower the requested cost; a query dearer than the bucket
 *       is refused as MAX_COST_EXCEEDED.</li>
 *   <li>The exact wording of the page-size error ({@code first} above 250) is not confirmed
 *       against Shopify; the code is {@code ARGUMENT_OUT_OF_RANGE}.</li>
 *   <li>All API versions in the config share the 2026-07 schema. No REST Admin API, no bulk
 *       operations, no Storefront API, no resource-based throttles, no webhook filters or
 *       {@code includeFields}, only JSON webhooks to http(s) endpoints (Pub/Sub and EventBridge
 *       subscriptions are stored but never delivered).</li>
 *   <li>Webhook retries are compressed (default 4 attempts from 500 ms) instead of Shopify's 8
 *       over 4 hours, and Shopify never removes a failing subscription here.</li>
 * </ul>
 */
package io.storefrontsync.sandbox.shopify;
