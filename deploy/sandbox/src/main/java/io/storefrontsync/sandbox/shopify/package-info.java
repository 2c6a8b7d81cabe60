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
 *       {@code node}/{@code nodes}, {@code webhookSubscriptions}, the bulk operation fields below and
 *       the mutations {@code webhookSubscriptionCreate}/{@code webhookSubscriptionDelete},
 *       {@code bulkOperationRunQuery}/{@code bulkOperationCancel}. Other mutations answer an
 *       error.</li>
 *   <li><b>Bulk query operations</b> ({@code BulkQuery}, {@code BulkOperationRunner},
 *       {@code BulkOperation}, {@code BulkFaults}):
 *       <ul>
 *         <li>{@code bulkOperationRunQuery(query:, groupObjects:)} parses the inner query, validates it
 *             against the schema and Shopify's bulk rules, answering Shopify's {@code userErrors}
 *             (code {@code INVALID}): at least one connection, at most 5, nested at most 2 levels, no
 *             top-level {@code node}/{@code nodes}, connections read through {@code edges { node }},
 *             an unaliased {@code id} on the parent of a nested connection, no connection inside a
 *             list. {@code first}/{@code last}/{@code after}/{@code before} are ignored. At most 5
 *             query operations in progress per shop from API 2026-01 (1 before), beyond that
 *             {@code OPERATION_IN_PROGRESS} naming them. The mutation costs 10 like any mutation;
 *             the bulk read itself costs no points.</li>
 *         <li>{@code CREATED} → {@code RUNNING} → {@code COMPLETED} at {@code objectsPerSecond}
 *             ({@code SIM_SHOPIFY_BULK_OBJECTS_PER_SECOND}, default 20,000; 0 holds operations where
 *             they are), {@code objectCount}/{@code rootObjectCount} growing as lines are written;
 *             {@code bulkOperationCancel} → {@code CANCELING} → {@code CANCELED};
 *             {@code bulkOperation(id:)}, {@code node(id:)}, {@code bulkOperations(query:, first:,
 *             reverse:)} (newest first; {@code status:}, {@code operation_type:}, {@code id:},
 *             {@code created_at:}) and the deprecated {@code currentBulkOperation(type:)}.</li>
 *         <li>The JSONL is written window by window (25 top-level objects) to a temporary file by
 *             the same fetchers as paginated queries, so it holds what pages of the same query
 *             return: one object per line, each node of a nested connection on its own line with
 *             {@code __parentId} (the nearest enclosing connection node's id, last key), nested
 *             objects inline, no {@code edges}/{@code cursor}/{@code pageInfo}. With
 *             {@code groupObjects: false} (the default) a child comes after its parent but anywhere
 *             later in its window, after other parents and their children, siblings in no
 *             particular order (seeded: the same query on the same store writes the same file);
 *             with {@code groupObjects: true} each parent is followed by its descendants.</li>
 *         <li>{@code url} (and {@code partialDataUrl} after a failure that wrote lines) is a signed
 *             URL of the simulator itself, {@code /_sim/bulk/{n}.jsonl?expires=&signature=}, valid
 *             7 days by the simulator clock ({@code POST /_sim/clock}); after that the operation
 *             reads {@code EXPIRED} and the URL answers 403 {@code AccessDenied} XML as S3 does
 *             (also 403 {@code SignatureDoesNotMatch}, 404 {@code NoSuchKey}); single
 *             {@code Range: bytes=} requests get 206. An empty result completes with {@code url}
 *             and {@code fileSize} null.</li>
 *         <li>When an operation ends, {@code bulk_operations/finish} goes to the shop's
 *             {@code BULK_OPERATIONS_FINISH} subscriptions with the usual headers and HMAC: {@code
 *             admin_graphql_api_id, completed_at, created_at, error_code, status, type}, status and
 *             error code lower-case.</li>
 *         <li>{@code POST /_sim/bulk/faults} {@code {"shop"?, "kind", "count":1, "afterObjects":10,
 *             "bytes"?, "afterSeconds":0}} ({@code DELETE} clears): {@code internal_server_error},
 *             {@code timeout}, {@code access_denied} end the next operation {@code FAILED} with that
 *             code once {@code afterObjects} lines are written ({@code partialDataUrl} serves them);
 *             {@code expired} lets its URL expire {@code afterSeconds} after completion;
 *             {@code cut_download} closes the next download after {@code bytes} (default half the
 *             file, inside a line) while announcing the full {@code Content-Length};
 *             {@code no_webhook} never sends its finish webhook; {@code limit_reached} answers the
 *             next run with the {@code LIMIT_REACHED} user error. {@code POST /_sim/bulk/pace}
 *             {@code {"objectsPerSecond":N}} sets the pace; {@code GET /_sim/shops/{shop}/bulk}
 *             lists the shop's operations with their faults and webhook outcomes.</li>
 *       </ul></li>
 *   <li><b>Cost and throttling</b> ({@code QueryCostCalculator}, {@code LeakyBucket}): Shopify's
 *       documented rules, requested cost taken before execution, difference refunded after,
 *       {@code extensions.cost} on every response, {@code THROTTLED} and {@code MAX_COST_EXCEEDED}
 *       errors, {@code first}/{@code last} required and at most 250.</li>
 *   <li><b>Webhooks</b> ({@code WebhookDispatcher}, {@code WebhookPayloads}): REST-shaped bodies,
 *       the {@code X-Shopify-*} headers, base64 HMAC of the raw body, retries with backoff.</li>
 *   <li><b>Control API</b> ({@code ControlApiHandler}) under {@code /_sim/}: events, faults
 *       (429, 500, 503, slow answers, and {@code throttled}: an emptied bucket), state and counters,
 *       clock, reset (which also stops every bulk operation and deletes its file), and the bulk
 *       endpoints above.</li>
 *   <li><b>Store changes</b> ({@code StoreChanges}): {@code POST /_sim/shops/{shop}/events}
 *       {@code {"topic", "count"?, targets…}} changes the store for real and sends the topic's webhook,
 *       for {@code products/create|update|delete} (update: {@code "change":"title"|"price"|"both"},
 *       {@code "variantId"}, {@code "price"}), {@code inventory_levels/update|connect|disconnect}
 *       ({@code "inventoryItemId"}, {@code "locationId"}, {@code "delta"}, {@code "available"}),
 *       {@code collections/create|update|delete} ({@code "productIds"}; update: a custom collection's
 *       {@code "addProductId"}/{@code "removeProductId"}, else a new title), {@code discounts/create|update|delete},
 *       {@code shop/update}, {@code locations/create|update|delete}; {@code "id"} names the target, else
 *       the store's change counter picks one. A missing target answers 404, a change Shopify refuses
 *       409: adding to a smart collection (its rules choose its members, and Shopify sends no webhook
 *       when a rule change moves them), deleting a location that stocks inventory, connecting an item
 *       twice. A custom collection's membership change sends {@code collections/update} and leaves
 *       the product's {@code updated_at} alone. Payloads: Shopify's REST resources; the deletes carry
 *       {@code {id}} (products, locations), {@code {id, published_scope, admin_graphql_api_id}}
 *       (collections), {@code {admin_graphql_api_id, deleted_at}} (discounts); a disconnect
 *       {@code {inventory_item_id, location_id}}. {@code POST /_sim/shops/{shop}/smart-collection-members}
 *       {@code {"id", "addProductId"|"removeProductId"}} moves a smart collection's members as a rule
 *       change would, and sends nothing.</li>
 *   <li><b>Storms</b> ({@code Storm}): {@code POST /_sim/shops/{shop}/storm} {@code {"seed", "mutations",
 *       "duplicate", "reorderWindowMs", "dropRate", "dropKinds"?, "kinds"?}} applies a seeded random
 *       sequence of the changes above at once, then delivers every webhook {@code duplicate} times (same
 *       event and webhook id), each copy after a random delay within the window, and drops a share of
 *       them; it answers when every copy was delivered or failed, listing each change (kind, targets,
 *       event id, dropped). The same seed on the same store makes the same changes.</li>
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
 *   <li>Bulk operations: only queries ({@code bulkOperationRunMutation} answers the usual
 *       error); only one top-level field, a connection (Shopify also takes e.g. a
 *       {@code product(id:)} root); no scopes, so {@code ACCESS_DENIED} only when armed;
 *       {@code sortKey} of {@code bulkOperations} ignored (always creation order);
 *       {@code completedAt} null unless {@code COMPLETED}; {@code groupObjects} defaults to false
 *       on every version (2026-07's default; older versions defaulted to true);
 *       {@code LIMIT_REACHED} only when armed (Shopify does not document when it answers it
 *       rather than {@code OPERATION_IN_PROGRESS}); the wording of the simulator's own refusals
 *       (several operations, a non-connection root) is not Shopify's. The pace applies to each
 *       operation on its own; Shopify's real speed varies with its load.</li>
 *   <li>All API versions in the config share the 2026-07 schema. No REST Admin API, no bulk
 *       mutations, no Storefront API, no resource-based throttles, no webhook filters or
 *       {@code includeFields}, only JSON webhooks to http(s) endpoints (Pub/Sub and EventBridge
 *       subscriptions are stored but never delivered).</li>
 *   <li>Webhook retries are compressed (default 4 attempts from 500 ms) instead of Shopify's 8
 *       over 4 hours, and Shopify never removes a failing subscription here.</li>
 * </ul>
 */
package io.storefrontsync.sandbox.shopify;
