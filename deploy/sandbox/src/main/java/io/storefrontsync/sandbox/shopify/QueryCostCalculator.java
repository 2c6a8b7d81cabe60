package io.storefrontsync.sandbox.shopify;

import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.IntValue;
import graphql.language.NullValue;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.SourceLocation;
import graphql.language.Value;
import graphql.language.VariableDefinition;
import graphql.language.VariableReference;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLCompositeType;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLInterfaceType;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import graphql.schema.GraphQLUnionType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Shopify's calculated query cost (shopify.dev, "GraphQL Admin API rate limits"): scalars and enums
 * 0, objects 1, connections 2 plus {@code first}/{@code last} times the cost of one node, interfaces
 * and unions the most expensive possibility, mutations 10. The requested cost comes from the query
 * before it runs; the actual cost counts what execution really returned (fewer edges than asked,
 * objects that came back null). Also enforces the connection rules Shopify checks statically: one
 * of {@code first}/{@code last} is required and neither may exceed 250.
 *
 * <p>Simplifications: a list of objects that is not a connection costs 1 like a single object; a
 * mutation costs 10 whatever its payload selects; {@code @skip}/{@code @include} are ignored.
 */
final class QueryCostCalculator {

    static final int MAX_PAGE_SIZE = 250;
    static final int MUTATION_COST = 10;
    static final String ACTUAL_COST_KEY = "sim.actualCost";

    private final GraphQLSchema schema;

    QueryCostCalculator(GraphQLSchema schema) {
        this.schema = schema;
    }

    record Requested(int cost, List<Map<String, Object>> errors) {
    }

    Requested requested(Document document, String operationName, Map<String, Object> variables) {
        OperationDefinition operation = selectOperation(document, operationName);
        if (operation == null) {
            return new Requested(0, List.of()); // execution reports the missing/ambiguous operation
        }
        Map<String, FragmentDefinition> fragments = new HashMap<>();
        for (FragmentDefinition fragment : document.getDefinitionsOfType(FragmentDefinition.class)) {
            fragments.put(fragment.getName(), fragment);
        }
        Map<String, Object> effectiveVariables = new HashMap<>();
        for (VariableDefinition definition : operation.getVariableDefinitions()) {
            if (definition.getDefaultValue() instanceof IntValue value) {
                effectiveVariables.put(definition.getName(), value.getValue().intValue());
            }
        }
        if (variables != null) {
            effectiveVariables.putAll(variables);
        }
        Walk walk = new Walk(fragments, effectiveVariables, operationPathRoot(operation));
        int cost;
        if (operation.getOperation() == OperationDefinition.Operation.MUTATION) {
            cost = MUTATION_COST * countFields(operation.getSelectionSet(), fragments);
        } else {
            GraphQLObjectType root = operation.getOperation() == OperationDefinition.Operation.SUBSCRIPTION
                    ? schema.getSubscriptionType() : schema.getQueryType();
            cost = walk.selectionCost(operation.getSelectionSet(), root, root, new ArrayList<>());
        }
        return new Requested(cost, walk.errors);
    }

    static OperationDefinition selectOperation(Document document, String operationName) {
        List<OperationDefinition> operations = document.getDefinitionsOfType(OperationDefinition.class);
        if (operationName == null || operationName.isEmpty()) {
            return operations.size() == 1 ? operations.get(0) : null;
        }
        return operations.stream().filter(o -> operationName.equals(o.getName())).findFirst().orElse(null);
    }

    /** Shopify error paths start with the operation, e.g. {@code ["query GetProducts", "products"]}. */
    static String operationPathRoot(OperationDefinition operation) {
        String type = operation.getOperation().name().toLowerCase();
        return operation.getName() == null ? type : type + " " + operation.getName();
    }

    private static int countFields(SelectionSet set, Map<String, FragmentDefinition> fragments) {
        int count = 0;
        for (Selection<?> selection : set.getSelections()) {
            if (selection instanceof Field field && !field.getName().startsWith("__")) {
                count++;
            } else if (selection instanceof InlineFragment inline) {
                count += countFields(inline.getSelectionSet(), fragments);
            } else if (selection instanceof FragmentSpread spread && fragments.containsKey(spread.getName())) {
                count += countFields(fragments.get(spread.getName()).getSelectionSet(), fragments);
            }
        }
        return count;
    }

    private final class Walk {
        private final Map<String, FragmentDefinition> fragments;
        private final Map<String, Object> variables;
        private final String pathRoot;
        private final List<Map<String, Object>> errors = new ArrayList<>();

        Walk(Map<String, FragmentDefinition> fragments, Map<String, Object> variables, String pathRoot) {
            this.fragments = fragments;
            this.variables = variables;
            this.pathRoot = pathRoot;
        }

        /** Cost of a selection set on {@code declared}; abstract types take their dearest member. */
        int selectionCost(SelectionSet set, GraphQLCompositeType declared, GraphQLCompositeType concrete,
                          List<String> path) {
            if (set == null) {
                return 0;
            }
            if (concrete instanceof GraphQLInterfaceType || concrete instanceof GraphQLUnionType) {
                if (!hasTypeConditions(set)) {
                    return selectionCost(set, declared, null, path);
                }
                int max = 0;
                List<GraphQLObjectType> candidates = concrete instanceof GraphQLUnionType union
                        ? union.getTypes().stream().map(t -> (GraphQLObjectType) t).toList()
                        : schema.getImplementations((GraphQLInterfaceType) concrete);
                for (GraphQLObjectType candidate : candidates) {
                    max = Math.max(max, selectionCost(set, declared, candidate, path));
                }
                return max;
            }
            int total = 0;
            for (Selection<?> selection : set.getSelections()) {
                if (selection instanceof Field field) {
                    total += fieldCost(field, declared, concrete, path);
                } else if (selection instanceof InlineFragment inline) {
                    GraphQLCompositeType condition = inline.getTypeCondition() == null ? declared
                            : (GraphQLCompositeType) schema.getType(inline.getTypeCondition().getName());
                    if (applies(condition, concrete)) {
                        total += selectionCost(inline.getSelectionSet(), condition, concrete, path);
                    }
                } else if (selection instanceof FragmentSpread spread && fragments.containsKey(spread.getName())) {
                    FragmentDefinition fragment = fragments.get(spread.getName());
                    GraphQLCompositeType condition = (GraphQLCompositeType) schema.getType(fragment.getTypeCondition().getName());
                    if (applies(condition, concrete)) {
                        total += selectionCost(fragment.getSelectionSet(), condition, concrete, path);
                    }
                }
            }
            return total;
        }

        private boolean hasTypeConditions(SelectionSet set) {
            return set.getSelections().stream().anyMatch(s -> s instanceof InlineFragment || s instanceof FragmentSpread);
        }

        private boolean applies(GraphQLCompositeType condition, GraphQLCompositeType concrete) {
            if (condition == null || concrete == null) {
                return concrete == null || condition == null;
            }
            if (condition.getName().equals(concrete.getName())) {
                return true;
            }
            return concrete instanceof GraphQLObjectType object
                    && (condition instanceof GraphQLInterfaceType || condition instanceof GraphQLUnionType)
                    && schema.isPossibleType(condition, object);
        }

        private int fieldCost(Field field, GraphQLCompositeType declared, GraphQLCompositeType concrete, List<String> path) {
            if (field.getName().startsWith("__") || !(declared instanceof GraphQLFieldsContainer container)) {
                return 0;
            }
            GraphQLFieldDefinition definition = container.getFieldDefinition(field.getName());
            if (definition == null) {
                return 0; // validation has already reported it
            }
            GraphQLType raw = GraphQLTypeUtil.unwrapAll(definition.getType());
            if (!(raw instanceof GraphQLCompositeType composite)) {
                return 0;
            }
            List<String> fieldPath = new ArrayList<>(path);
            fieldPath.add(field.getResultKey());
            if (FixtureWiringFactory.isConnection(raw)) {
                int pageSize = pageSize(field, fieldPath);
                GraphQLObjectType connection = (GraphQLObjectType) raw;
                int perNode = 0;
                for (Selection<?> selection : flatten(field.getSelectionSet())) {
                    if (!(selection instanceof Field child)) {
                        continue;
                    }
                    if (child.getName().equals("edges")) {
                        GraphQLObjectType edge = (GraphQLObjectType) GraphQLTypeUtil.unwrapAll(
                                connection.getFieldDefinition("edges").getType());
                        for (Selection<?> edgeSelection : flatten(child.getSelectionSet())) {
                            if (edgeSelection instanceof Field node && node.getName().equals("node")) {
                                GraphQLCompositeType nodeType = (GraphQLCompositeType) GraphQLTypeUtil.unwrapAll(
                                        edge.getFieldDefinition("node").getType());
                                perNode += 1 + selectionCost(node.getSelectionSet(), nodeType, nodeType,
                                        append(fieldPath, "edges", "node"));
                            }
                        }
                    } else if (child.getName().equals("nodes")) {
                        GraphQLCompositeType nodeType = (GraphQLCompositeType) GraphQLTypeUtil.unwrapAll(
                                connection.getFieldDefinition("nodes").getType());
                        perNode += 1 + selectionCost(child.getSelectionSet(), nodeType, nodeType,
                                append(fieldPath, "nodes"));
                    }
                }
                return 2 + pageSize * perNode;
            }
            return 1 + selectionCost(field.getSelectionSet(), composite, composite, fieldPath);
        }

        /** Fields of a selection set with fragments on the same type inlined (connections, edges). */
        private List<Selection<?>> flatten(SelectionSet set) {
            List<Selection<?>> out = new ArrayList<>();
            if (set == null) {
                return out;
            }
            for (Selection<?> selection : set.getSelections()) {
                if (selection instanceof InlineFragment inline) {
                    out.addAll(flatten(inline.getSelectionSet()));
                } else if (selection instanceof FragmentSpread spread && fragments.containsKey(spread.getName())) {
                    out.addAll(flatten(fragments.get(spread.getName()).getSelectionSet()));
                } else {
                    out.add(selection);
                }
            }
            return out;
        }

        private int pageSize(Field field, List<String> fieldPath) {
            Integer first = intArgument(field, "first");
            Integer last = intArgument(field, "last");
            if (first == null && last == null) {
                error(field, fieldPath, "you must provide one of first or last", "MISSING_PAGINATION_ARGUMENT");
                return 0;
            }
            int size = 0;
            for (String name : new String[] {"first", "last"}) {
                Integer value = name.equals("first") ? first : last;
                if (value == null) {
                    continue;
                }
                if (value > MAX_PAGE_SIZE) {
                    error(field, fieldPath, "The `" + name + "` argument on `" + field.getName()
                            + "` cannot be greater than " + MAX_PAGE_SIZE + " (received " + value + ").",
                            "ARGUMENT_OUT_OF_RANGE");
                }
                if (value < 0) {
                    error(field, fieldPath, "The `" + name + "` argument on `" + field.getName()
                            + "` cannot be negative.", "ARGUMENT_OUT_OF_RANGE");
                }
                size = Math.max(size, Math.max(0, value));
            }
            return size;
        }

        private Integer intArgument(Field field, String name) {
            var argument = field.getArguments().stream().filter(a -> a.getName().equals(name)).findFirst().orElse(null);
            if (argument == null) {
                return null;
            }
            Value<?> value = argument.getValue();
            if (value instanceof IntValue intValue) {
                return intValue.getValue().intValue();
            }
            if (value instanceof NullValue) {
                return null;
            }
            if (value instanceof VariableReference reference && variables.get(reference.getName()) instanceof Number n) {
                return n.intValue();
            }
            return null;
        }

        private void error(Field field, List<String> path, String message, String code) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("message", message);
            SourceLocation location = field.getSourceLocation();
            if (location != null) {
                error.put("locations", List.of(Map.of("line", location.getLine(), "column", location.getColumn())));
            }
            List<Object> fullPath = new ArrayList<>();
            fullPath.add(pathRoot);
            fullPath.addAll(path);
            error.put("path", fullPath);
            error.put("extensions", Map.of("code", code));
            errors.add(error);
        }

        private List<String> append(List<String> path, String... more) {
            List<String> out = new ArrayList<>(path);
            out.addAll(List.of(more));
            return out;
        }
    }

    // ---- actual cost, counted while executing -----------------------------------------------------

    /**
     * Counts the actual cost from what each field fetch returned: +2 per connection, +1 per node
     * delivered in {@code edges.node} or {@code nodes}, +1 per other non-null object, 10 per mutation.
     */
    static Instrumentation actualCostInstrumentation() {
        return new Instrumentation() {
            @Override
            public DataFetcher<?> instrumentDataFetcher(DataFetcher<?> dataFetcher,
                                                        InstrumentationFieldFetchParameters parameters,
                                                        InstrumentationState state) {
                return env -> {
                    Object value = dataFetcher.get(env);
                    AtomicInteger counter = env.getGraphQlContext().get(ACTUAL_COST_KEY);
                    if (counter != null) {
                        counter.addAndGet(actualCostOf(env, value));
                    }
                    return value;
                };
            }
        };
    }

    private static int actualCostOf(DataFetchingEnvironment env, Object value) {
        boolean mutation = env.getOperationDefinition().getOperation() == OperationDefinition.Operation.MUTATION;
        int depth = env.getExecutionStepInfo().getPath().getLevel();
        if (mutation) {
            return depth == 1 ? MUTATION_COST : 0;
        }
        if (value == null) {
            return 0;
        }
        GraphQLType raw = GraphQLTypeUtil.unwrapAll(env.getFieldType());
        if (!(raw instanceof GraphQLCompositeType)) {
            return 0;
        }
        if (FixtureWiringFactory.isConnection(raw)) {
            return 2;
        }
        GraphQLType parent = env.getParentType();
        String parentName = parent instanceof GraphQLObjectType object ? object.getName() : "";
        String field = env.getFieldDefinition().getName();
        if (parentName.endsWith("Connection") && parent instanceof GraphQLObjectType p && p.getFieldDefinition("pageInfo") != null) {
            return field.equals("nodes") && value instanceof List<?> list ? list.size() : 0;
        }
        return 1;
    }
}
