package io.storefrontsync.sandbox.shopify;

import graphql.GraphqlErrorException;
import graphql.language.FieldDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.NonNullType;
import graphql.language.TypeName;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fields whose answer depends on their arguments rather than on the fixture map alone, the
 * two webhook mutations and the bulk operation fields (run by {@link BulkOperationRunner}).
 * Everything else goes through {@link FixtureWiringFactory#fetchFromMap}.
 */
final class StoreFetchers {

    /** GraphQL context key: the {@link AdminRequest} being executed. */
    static final String REQUEST_KEY = "sim.request";

    /** One {@code key:value} term of Shopify's search syntax (also read by {@code bulkOperations(query:)}). */
    static final Pattern QUERY_TERM = Pattern.compile("(\\w+):(>=|<=|>|<)?('([^']*)'|\"([^\"]*)\"|(\\S+))");

    private StoreFetchers() {
    }

    /**
     * Context of one Admin API call: the shop's data, the API version, the simulated now, the shop
     * itself and the bulk runner (for its bulk operations), and the base URL the client reached the
     * simulator by (signed bulk result URLs point there).
     */
    record AdminRequest(FixtureStore store, String apiVersion, Instant now, SimulatedShop shop,
                        BulkOperationRunner bulk, String baseUrl) {
    }

    static DataFetcher<?> find(String parentType, FieldDefinition field) {
        String name = field.getName();
        if ("Mutation".equals(parentType)) {
            return switch (name) {
                case "webhookSubscriptionCreate" -> StoreFetchers::webhookSubscriptionCreate;
                case "webhookSubscriptionDelete" -> StoreFetchers::webhookSubscriptionDelete;
                case "bulkOperationRunQuery" -> env -> request(env).bulk().runQuery(request(env), env.getArgument("query"),
                        Boolean.TRUE.equals(env.getArgument("groupObjects")));
                case "bulkOperationCancel" -> env -> request(env).bulk().cancel(request(env), env.getArgument("id"));
                default -> env -> {
                    throw GraphqlErrorException.newErrorException()
                            .message("The Shopify simulator does not implement the mutation '" + name + "'.")
                            .build();
                };
            };
        }
        if ("QueryRoot".equals(parentType)) {
            if ("node".equals(name)) {
                return env -> node(request(env), env.getArgument("id"));
            }
            if ("nodes".equals(name)) {
                return env -> {
                    List<String> ids = env.getArgument("ids");
                    List<Object> out = new ArrayList<>();
                    ids.forEach(id -> out.add(node(request(env), id)));
                    return out;
                };
            }
            switch (name) {
                case "bulkOperation" -> {
                    return env -> request(env).bulk().byId(request(env), env.getArgument("id"));
                }
                case "bulkOperations" -> {
                    return env -> request(env).bulk().connection(request(env), env);
                }
                case "currentBulkOperation" -> {
                    return env -> request(env).bulk().current(request(env), env.getArgument("type"));
                }
                default -> {
                }
            }
            if (hasRequiredIdArgument(field)) {
                return StoreFetchers::lookupById;
            }
        }
        if ("metafield".equals(name) && field.getInputValueDefinitions().stream().anyMatch(a -> a.getName().equals("key"))) {
            return StoreFetchers::metafieldByKey;
        }
        if ("InventoryLevel".equals(parentType) && "quantities".equals(name)) {
            return StoreFetchers::quantities;
        }
        if ("InventoryItem".equals(parentType) && "inventoryLevel".equals(name)) {
            return StoreFetchers::inventoryLevelAt;
        }
        return null;
    }

    static AdminRequest request(DataFetchingEnvironment env) {
        return env.getGraphQlContext().get(REQUEST_KEY);
    }

    /** A fixture object by id, or one of the shop's bulk operations (which change while they run). */
    private static Map<String, Object> node(AdminRequest request, String id) {
        if (id != null && id.startsWith(BulkOperation.GID_PREFIX)) {
            return request.bulk().byId(request, id);
        }
        return request.store().byId(id);
    }

    private static boolean hasRequiredIdArgument(FieldDefinition field) {
        for (InputValueDefinition argument : field.getInputValueDefinitions()) {
            if (argument.getName().equals("id") && argument.getType() instanceof NonNullType nonNull
                    && nonNull.getType() instanceof TypeName typeName && typeName.getName().equals("ID")) {
                return true;
            }
        }
        return false;
    }

    /** {@code product(id:)}, {@code collection(id:)}, …: the node, if it has the field's type. */
    private static Object lookupById(DataFetchingEnvironment env) {
        Map<String, Object> node = request(env).store().byId(env.getArgument("id"));
        GraphQLType type = GraphQLTypeUtil.unwrapAll(env.getFieldType());
        if (node == null || (type instanceof GraphQLObjectType object && !object.getName().equals(node.get("__typename")))) {
            return null;
        }
        return node;
    }

    private static Object metafieldByKey(DataFetchingEnvironment env) {
        if (!(env.getSource() instanceof Map<?, ?> source) || !(source.get("metafields") instanceof List<?> metafields)) {
            return null;
        }
        String key = env.getArgument("key");
        String namespace = env.getArgument("namespace");
        if (namespace == null && key.contains(".")) {
            namespace = key.substring(0, key.lastIndexOf('.'));
            key = key.substring(key.lastIndexOf('.') + 1);
        }
        for (Object candidate : metafields) {
            Map<?, ?> metafield = (Map<?, ?>) candidate;
            if (key.equals(metafield.get("key")) && (namespace == null || namespace.equals(metafield.get("namespace")))) {
                return metafield;
            }
        }
        return null;
    }

    private static Object quantities(DataFetchingEnvironment env) {
        Map<?, ?> level = env.getSource();
        Map<?, ?> byName = (Map<?, ?>) level.get("quantitiesByName");
        List<String> names = env.getArgument("names");
        List<Map<String, Object>> out = new ArrayList<>();
        for (String name : names) {
            Object quantity = byName == null ? null : byName.get(name);
            if (quantity == null) {
                throw GraphqlErrorException.newErrorException()
                        .message("Invalid quantity name: '" + name + "'.")
                        .build();
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("__typename", "InventoryQuantity");
            entry.put("id", "gid://shopify/InventoryQuantity/" + FixtureIds.numeric((String) level.get("id"))
                    + "?name=" + name);
            entry.put("name", name);
            entry.put("quantity", quantity);
            entry.put("updatedAt", level.get("updatedAt"));
            out.add(entry);
        }
        return out;
    }

    private static Object inventoryLevelAt(DataFetchingEnvironment env) {
        Map<?, ?> item = env.getSource();
        String locationId = env.getArgument("locationId");
        for (Object candidate : (List<?>) item.get("inventoryLevels")) {
            Map<?, ?> level = (Map<?, ?>) candidate;
            if (locationId.equals(((Map<?, ?>) level.get("location")).get("id"))) {
                return level;
            }
        }
        return null;
    }

    // ---- connection arguments the fixture honours ----------------------------------------------

    static List<?> filterForConnection(String field, List<?> items, DataFetchingEnvironment env) {
        return switch (field) {
            case "metafields" -> filterMetafields(items, env.getArgument("namespace"), env.getArgument("keys"));
            case "products" -> env.containsArgument("query") && env.getArgument("query") != null
                    ? filterProducts(items, env.getArgument("query")) : items;
            case "webhookSubscriptions" -> filterSubscriptions(items, env);
            default -> items;
        };
    }

    private static List<?> filterMetafields(List<?> items, String namespace, List<String> keys) {
        if (namespace == null && keys == null) {
            return items;
        }
        List<Object> out = new ArrayList<>();
        for (Object item : items) {
            Map<?, ?> metafield = (Map<?, ?>) item;
            String ns = (String) metafield.get("namespace");
            String fullKey = ns + "." + metafield.get("key");
            if ((namespace == null || namespace.equals(ns)) && (keys == null || keys.contains(fullKey))) {
                out.add(item);
            }
        }
        return out;
    }

    /**
     * A small part of Shopify's search syntax: {@code status:}, {@code vendor:},
     * {@code product_type:}, {@code tag:}, {@code title:} and {@code updated_at:}/{@code created_at:}
     * with {@code > >= < <=}, joined by AND. Other terms are ignored (they match everything).
     */
    private static List<?> filterProducts(List<?> items, String query) {
        List<Object> out = new ArrayList<>();
        Matcher matcher = QUERY_TERM.matcher(query);
        List<String[]> terms = new ArrayList<>();
        while (matcher.find()) {
            String value = matcher.group(4) != null ? matcher.group(4)
                    : matcher.group(5) != null ? matcher.group(5) : matcher.group(6);
            terms.add(new String[] {matcher.group(1), matcher.group(2) == null ? "" : matcher.group(2), value});
        }
        for (Object item : items) {
            Map<?, ?> product = (Map<?, ?>) item;
            if (terms.stream().allMatch(term -> matches(product, term[0], term[1], term[2]))) {
                out.add(item);
            }
        }
        return out;
    }

    private static boolean matches(Map<?, ?> product, String key, String op, String value) {
        return switch (key) {
            case "status" -> value.equalsIgnoreCase((String) product.get("status"));
            case "vendor" -> value.equalsIgnoreCase((String) product.get("vendor"));
            case "product_type" -> value.equalsIgnoreCase((String) product.get("productType"));
            case "tag" -> ((List<?>) product.get("tags")).contains(value);
            case "title" -> value.endsWith("*")
                    ? ((String) product.get("title")).toLowerCase(Locale.ROOT)
                        .startsWith(value.substring(0, value.length() - 1).toLowerCase(Locale.ROOT))
                    : value.equalsIgnoreCase((String) product.get("title"));
            case "updated_at", "created_at" -> compareTime(
                    (String) product.get(key.equals("updated_at") ? "updatedAt" : "createdAt"), op, value);
            default -> true;
        };
    }

    private static boolean compareTime(String actual, String op, String bound) {
        Instant left;
        try {
            left = Instant.parse(actual);
        } catch (RuntimeException e) {
            return true;
        }
        return compareTime(left, op, bound);
    }

    /**
     * A search-syntax time filter ({@code created_at:>=2026-01-01}): a date or an instant compared with
     * {@code op}; a bound that does not parse filters nothing out.
     */
    static boolean compareTime(Instant actual, String op, String bound) {
        Instant right;
        try {
            right = bound.length() == 10 ? Instant.parse(bound + "T00:00:00Z") : Instant.parse(bound);
        } catch (RuntimeException e) {
            return true;
        }
        int c = actual.compareTo(right);
        return switch (op) {
            case ">" -> c > 0;
            case ">=" -> c >= 0;
            case "<" -> c < 0;
            case "<=" -> c <= 0;
            default -> c == 0;
        };
    }

    private static List<?> filterSubscriptions(List<?> items, DataFetchingEnvironment env) {
        List<String> topics = env.getArgument("topics");
        String uri = env.getArgument("uri") != null ? env.getArgument("uri") : env.getArgument("callbackUrl");
        if (topics == null && uri == null) {
            return items;
        }
        List<Object> out = new ArrayList<>();
        for (Object item : items) {
            Map<?, ?> subscription = (Map<?, ?>) item;
            if ((topics == null || topics.contains(subscription.get("topic")))
                    && (uri == null || uri.equals(subscription.get("uri")))) {
                out.add(item);
            }
        }
        return out;
    }

    // ---- mutations ------------------------------------------------------------------------------

    private static Object webhookSubscriptionCreate(DataFetchingEnvironment env) {
        AdminRequest request = request(env);
        String topic = env.getArgument("topic");
        Map<String, Object> input = env.getArgument("webhookSubscription");
        String uri = input.get("uri") != null ? (String) input.get("uri") : (String) input.get("callbackUrl");
        List<Map<String, Object>> userErrors = new ArrayList<>();
        Map<String, Object> payload = new LinkedHashMap<>();
        if (uri == null || uri.isBlank()) {
            userErrors.add(userError(List.of("webhookSubscription", "uri"), "Address can't be blank"));
        } else if (!uri.matches("(?i)(https?://|pubsub://|arn:aws:events:).+")) {
            userErrors.add(userError(List.of("webhookSubscription", "uri"), "Address is invalid"));
        } else {
            boolean taken = request.store().webhookSubscriptions().stream()
                    .anyMatch(s -> topic.equals(s.get("topic")) && uri.equals(s.get("uri")));
            if (taken) {
                userErrors.add(userError(List.of("webhookSubscription", "callbackUrl"),
                        "Address for this topic has already been taken"));
            }
        }
        payload.put("webhookSubscription", userErrors.isEmpty()
                ? request.store().addSubscription(topic, uri, (String) input.get("format"), request.apiVersion(), request.now())
                : null);
        payload.put("userErrors", userErrors);
        return payload;
    }

    private static Object webhookSubscriptionDelete(DataFetchingEnvironment env) {
        String id = env.getArgument("id");
        Map<String, Object> payload = new LinkedHashMap<>();
        if (request(env).store().removeSubscription(id)) {
            payload.put("deletedWebhookSubscriptionId", id);
            payload.put("userErrors", List.of());
        } else {
            payload.put("deletedWebhookSubscriptionId", null);
            payload.put("userErrors", List.of(userError(List.of("id"), "Webhook subscription does not exist")));
        }
        return payload;
    }

    private static Map<String, Object> userError(List<String> field, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("field", field);
        error.put("message", message);
        return error;
    }
}
