package io.storefrontsync.sandbox.shopify;

import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQLError;
import graphql.language.Document;
import graphql.language.OperationDefinition;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import graphql.validation.ValidationError;
import graphql.validation.Validator;
import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code POST /admin/api/{version}/graphql.json}, in Shopify's order: version, token, (armed
 * faults), parse, validate against the real schema, price, take the cost from the bucket, execute
 * against the fixture, refund what was not used. Runs on the event loop: execution is in-memory
 * (a 250-product page with variants and inventory takes a few milliseconds).
 */
final class AdminGraphQLHandler {

    private final Vertx vertx;
    private final ShopifySimulator.Config config;
    private final AdminSchema schema;
    private final QueryCostCalculator costs;
    private final TokenStore tokens;
    private final FaultInjector faults;
    private final SimClock clock;
    private final BulkOperationRunner bulk;
    private final Validator validator = new Validator();

    AdminGraphQLHandler(Vertx vertx, ShopifySimulator.Config config, AdminSchema schema, TokenStore tokens,
                        FaultInjector faults, SimClock clock, BulkOperationRunner bulk) {
        this.vertx = vertx;
        this.config = config;
        this.schema = schema;
        this.costs = new QueryCostCalculator(schema.schema());
        this.tokens = tokens;
        this.faults = faults;
        this.clock = clock;
        this.bulk = bulk;
    }

    void handle(RoutingContext ctx, SimulatedShop shop, String version) {
        ctx.response().putHeader("X-Request-Id", UUID.randomUUID().toString());
        String deprecated = faults.deprecatedReason();
        if (deprecated != null) {
            ctx.response().putHeader("X-Shopify-API-Deprecated-Reason", deprecated);
        }
        if (!config.apiVersions().contains(version)) {
            ShopifySimulator.notFound(ctx);
            return;
        }
        String token = ctx.request().getHeader("X-Shopify-Access-Token");
        if (tokens.validAccessToken(token, shop.domain(), clock.now()) == null) {
            shop.unauthorized++;
            reply(ctx, 401, Map.of("errors", ShopifyErrors.INVALID_TOKEN));
            return;
        }
        FaultInjector.Fault fault = faults.next(shop.domain());
        if (fault != null) {
            shop.faultsServed++;
            switch (fault.kind()) {
                case TOO_MANY_REQUESTS -> {
                    ctx.response().putHeader("Retry-After", fault.retryAfterSeconds() + ".0");
                    reply(ctx, 429, Map.of("errors", "Exceeded 2 calls per second for api client. "
                            + "Reduce request rates to resume uninterrupted service."));
                    return;
                }
                case INTERNAL_ERROR -> {
                    reply(ctx, 500, Map.of("errors", "Internal Server Error"));
                    return;
                }
                case UNAVAILABLE -> {
                    reply(ctx, 503, Map.of("errors", "Service Unavailable"));
                    return;
                }
                case SLOW -> {
                    vertx.setTimer(Math.max(1, fault.delayMillis()), id -> execute(ctx, shop, version));
                    return;
                }
                case TOKEN_EXPIRED -> {
                    tokens.expire(token, clock.now());
                    shop.unauthorized++;
                    reply(ctx, 401, Map.of("errors", ShopifyErrors.INVALID_TOKEN));
                    return;
                }
                case THROTTLED -> {
                    // As if other requests of the app had just spent the bucket: the cost check refuses
                    // this one with Shopify's THROTTLED error and a throttleStatus to wait by.
                    shop.bucket().drain();
                }
            }
        }
        long latency = faults.latencyMillis();
        if (latency > 0) {
            vertx.setTimer(latency, id -> execute(ctx, shop, version));
            return;
        }
        execute(ctx, shop, version);
    }

    private void execute(RoutingContext ctx, SimulatedShop shop, String version) {
        shop.graphqlRequests++;
        ctx.response().putHeader("X-Shopify-API-Version", version);
        Request request = readRequest(ctx);
        if (request == null || request.query == null || request.query.isBlank()) {
            reply(ctx, 400, Map.of("errors", Map.of("query", "Required parameter missing or invalid")));
            return;
        }
        Document document;
        try {
            document = Parser.parse(request.query);
        } catch (InvalidSyntaxException e) {
            shop.invalidQueries++;
            replyErrors(ctx, shop, List.of(ShopifyErrors.fromSyntax(e)), 0);
            return;
        }
        OperationDefinition operation = QueryCostCalculator.selectOperation(document, request.operationName);
        String pathRoot = operation == null ? "query" : QueryCostCalculator.operationPathRoot(operation);
        List<ValidationError> validationErrors = validator.validateDocument(schema.schema(), document, Locale.ENGLISH);
        if (!validationErrors.isEmpty()) {
            shop.invalidQueries++;
            List<Map<String, Object>> errors = new ArrayList<>();
            validationErrors.forEach(e -> errors.add(ShopifyErrors.fromValidation(e, pathRoot)));
            replyErrors(ctx, shop, errors, 0);
            return;
        }
        shop.countOperation(operation == null ? null : operation.getName());
        // Priced only once valid: the walk relies on every field and type condition existing.
        QueryCostCalculator.Requested requested = costs.requested(document, request.operationName, request.variables);
        if (!requested.errors().isEmpty()) {
            shop.invalidQueries++;
            replyErrors(ctx, shop, requested.errors(), requested.cost());
            return;
        }
        int cost = requested.cost();
        // A query dearer than the whole bucket could never run: refuse it like one over the limit
        // instead of throttling it forever (matters for tests that shrink the bucket).
        int maxCost = Math.min(config.maxQueryCost(), shop.bucket().maximum());
        if (cost > maxCost) {
            shop.maxCostRefusals++;
            replyErrors(ctx, shop, List.of(ShopifyErrors.maxCostExceeded(cost, maxCost)), cost);
            return;
        }
        if (!shop.bucket().tryTake(cost)) {
            shop.throttledResponses++;
            replyErrors(ctx, shop, List.of(ShopifyErrors.throttled()), cost);
            return;
        }
        shop.totalRequestedCost += cost;
        AtomicInteger actual = new AtomicInteger();
        Map<Object, Object> context = new HashMap<>();
        context.put(AdminSchema.DOCUMENT_KEY, document);
        String host = ctx.request().getHeader("Host");
        String baseUrl = host == null ? null : ctx.request().scheme() + "://" + host;
        context.put(StoreFetchers.REQUEST_KEY, new StoreFetchers.AdminRequest(shop.store(), version, clock.now(), shop,
                bulk, baseUrl));
        context.put(QueryCostCalculator.ACTUAL_COST_KEY, actual);
        ExecutionInput input = ExecutionInput.newExecutionInput()
                .query(request.query)
                .operationName(request.operationName)
                .variables(request.variables == null ? Map.of() : request.variables)
                .root(shop.store().root())
                .graphQLContext(context)
                .locale(Locale.ENGLISH)
                .build();
        ExecutionResult result = schema.graphQL().execute(input);
        int actualCost = Math.min(cost, actual.get());
        shop.bucket().refund(cost - actualCost);
        shop.totalActualCost += actualCost;

        Map<String, Object> body = new LinkedHashMap<>();
        if (!result.getErrors().isEmpty()) {
            List<Map<String, Object>> errors = new ArrayList<>();
            for (GraphQLError error : result.getErrors()) {
                errors.add(ShopifyErrors.fromExecution(error));
            }
            body.put("errors", errors);
        }
        if (result.isDataPresent()) {
            body.put("data", result.getData());
        }
        body.put("extensions", Map.of("cost", cost(shop, cost, actualCost)));
        reply(ctx, 200, body);
    }

    private void replyErrors(RoutingContext ctx, SimulatedShop shop, List<Map<String, Object>> errors, int requested) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("errors", errors);
        body.put("extensions", Map.of("cost", cost(shop, requested, null)));
        reply(ctx, 200, body);
    }

    /** {@code extensions.cost} as Shopify writes it (maximum and rate as floats). */
    private static Map<String, Object> cost(SimulatedShop shop, int requested, Integer actual) {
        Map<String, Object> throttle = new LinkedHashMap<>();
        throttle.put("maximumAvailable", (double) shop.bucket().maximum());
        throttle.put("currentlyAvailable", shop.bucket().currentlyAvailable());
        throttle.put("restoreRate", (double) shop.bucket().restoreRate());
        Map<String, Object> cost = new LinkedHashMap<>();
        cost.put("requestedQueryCost", requested);
        cost.put("actualQueryCost", actual);
        cost.put("throttleStatus", throttle);
        return cost;
    }

    private record Request(String query, String operationName, Map<String, Object> variables) {
    }

    private static Request readRequest(RoutingContext ctx) {
        String contentType = ctx.request().getHeader("Content-Type");
        String raw = ctx.body().asString();
        if (raw == null) {
            return null;
        }
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/graphql")) {
            return new Request(raw, null, null);
        }
        try {
            JsonObject json = new JsonObject(raw);
            Object variables = json.getValue("variables");
            Map<String, Object> vars = variables instanceof JsonObject v ? v.getMap() : null;
            return new Request(json.getString("query"), json.getString("operationName"), vars);
        } catch (RuntimeException e) {
            return null;
        }
    }

    static void reply(RoutingContext ctx, int status, Object body) {
        ctx.response().setStatusCode(status)
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .end(Json.encode(body));
    }
}
