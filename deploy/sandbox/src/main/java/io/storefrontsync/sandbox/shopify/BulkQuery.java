package io.storefrontsync.sandbox.shopify;

import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLCompositeType;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import graphql.schema.GraphQLUnmodifiedType;
import graphql.validation.ValidationError;
import graphql.validation.Validator;
import io.vertx.core.json.Json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The query of a {@code bulkOperationRunQuery}: parsed, validated against the Admin schema and
 * against Shopify's bulk rules, and the {@link Shape} that turns an executed page of it into JSONL
 * lines the way Shopify writes them (each node of a nested connection on its own line with
 * {@code __parentId}, nested objects inline, no {@code edges}/{@code cursor}/{@code pageInfo}).
 *
 * <p>The rule messages are the ones Shopify answers (as recorded by clients that compared them);
 * they are checked in Shopify's order and accumulated like Shopify does. The query runs through
 * the same schema and fetchers as a paginated request, so a bulk result holds exactly what pages
 * of the same query return for the same store; only {@code first}/{@code last}/{@code after}/
 * {@code before} are ignored, as Shopify ignores them in bulk.
 */
final class BulkQuery {

    static final int MAX_CONNECTIONS = 5;
    static final int MAX_NESTING = 2;

    private final String text;
    private final Document document;
    private final String rootKey;
    private final Connection root;

    private BulkQuery(String text, Document document, String rootKey, Connection root) {
        this.text = text;
        this.document = document;
        this.rootKey = rootKey;
        this.root = root;
    }

    /** Either a runnable query or the messages of its {@code userErrors} (code {@code INVALID}). */
    record Parsed(BulkQuery query, List<String> errors) {
    }

    static Parsed parse(String text, GraphQLSchema schema) {
        if (text == null || text.isBlank()) {
            return invalid("Invalid bulk query: syntax error, unexpected end of file");
        }
        Document document;
        try {
            document = Parser.parse(text);
        } catch (InvalidSyntaxException e) {
            String token = e.getOffendingToken();
            return invalid(token == null || token.equals("<EOF>")
                    ? "Invalid bulk query: syntax error, unexpected end of file"
                    : "Invalid bulk query: syntax error, unexpected \"" + token + "\""
                        + (e.getLocation() == null ? "" : " at [" + e.getLocation().getLine() + ", "
                        + e.getLocation().getColumn() + "]"));
        }
        List<OperationDefinition> operations = document.getDefinitionsOfType(OperationDefinition.class);
        if (operations.size() != 1) {
            // Wording not confirmed against Shopify: a bulk query has one operation and no operation name to pick by.
            return invalid("Invalid bulk query: a bulk query must contain exactly one operation");
        }
        OperationDefinition operation = operations.get(0);
        if (operation.getOperation() != OperationDefinition.Operation.QUERY) {
            return invalid("Invalid operation type. Only `query` operations are supported.");
        }
        List<ValidationError> validation = new Validator().validateDocument(schema, document, Locale.ENGLISH);
        if (!validation.isEmpty()) {
            List<String> errors = new ArrayList<>();
            for (ValidationError error : validation) {
                errors.add("Invalid bulk query: " + ShopifyErrors.fromValidation(error, "query").get("message"));
            }
            return new Parsed(null, errors);
        }
        Map<String, FragmentDefinition> fragments = new HashMap<>();
        document.getDefinitionsOfType(FragmentDefinition.class).forEach(f -> fragments.put(f.getName(), f));
        Analysis analysis = new Analysis(schema, fragments);
        Shape top = new Shape();
        List<Field> topFields = new ArrayList<>();
        analysis.collectTopLevel(operation.getSelectionSet(), topFields);
        for (Field field : topFields) {
            if (field.getName().equals("node") || field.getName().equals("nodes")) {
                analysis.topLevelNode.add(field.getName());
            }
        }
        analysis.walk(operation.getSelectionSet(), schema.getQueryType(), top);

        List<String> errors = new ArrayList<>();
        if (!analysis.nodesConnections.isEmpty()) {
            String first = analysis.nodesConnections.iterator().next();
            errors.add("All connection fields in a bulk query must select their contents using 'edges' > 'node', e.g: '"
                    + first + " { edges { node {'. Selecting via 'nodes' is not supported. Invalid connection fields: '"
                    + String.join("', '", analysis.nodesConnections) + "'.");
        }
        for (String name : analysis.topLevelNode) {
            errors.add("Bulk queries cannot contain a top level `" + name + "` field.");
        }
        if (analysis.maxNesting > MAX_NESTING) {
            errors.add("Bulk queries cannot contain connections with a nesting depth greater than " + MAX_NESTING + ".");
        }
        if (analysis.connections > MAX_CONNECTIONS) {
            errors.add("Bulk queries cannot contain more than " + MAX_CONNECTIONS + " connections.");
        }
        if (!analysis.withoutParentId.isEmpty()) {
            errors.add("The parent 'node' field for a nested connection must select the 'id' field without an alias "
                    + "and must be of 'ID' return type. Connection fields without 'id': "
                    + String.join(", ", analysis.withoutParentId) + ".");
        }
        if (analysis.connectionInList) {
            errors.add("Queries that contain a connection field within a list field are not currently supported.");
        }
        if (analysis.connections == 0 && (errors.isEmpty() || (!analysis.topLevelNode.isEmpty() && errors.size() == 1))) {
            errors.add("Bulk queries must contain at least one connection.");
        }
        if (!errors.isEmpty()) {
            return new Parsed(null, errors);
        }
        // Shopify's documented form is one top-level connection; the simulator runs only that form.
        if (topFields.size() != 1 || !top.connections.containsKey(topFields.get(0).getResultKey())) {
            return invalid("The Shopify simulator runs bulk queries whose only top-level field is a connection (got: "
                    + String.join(", ", topFields.stream().map(Field::getName).toList()) + ").");
        }
        String rootKey = topFields.get(0).getResultKey();
        return new Parsed(new BulkQuery(text, document, rootKey, top.connections.get(rootKey)), List.of());
    }

    private static Parsed invalid(String message) {
        return new Parsed(null, List.of(message));
    }

    String text() {
        return text;
    }

    /** Parsed and validated once, then executed page after page (the schema's document provider reuses it). */
    Document document() {
        return document;
    }

    // ---- the shape of a result -------------------------------------------------------------------

    /** Which result keys of an object are connections (their nodes become lines) and which are nested objects. */
    static final class Shape {
        final Map<String, Shape> objects = new LinkedHashMap<>();
        final Map<String, Connection> connections = new LinkedHashMap<>();
    }

    /** A connection in the result: where its nodes are ({@code edges} › {@code node}, aliases resolved). */
    static final class Connection {
        final String field;
        String edgesKey;
        String nodeKey;
        final Shape node = new Shape();

        Connection(String field) {
            this.field = field;
        }
    }

    /** Walks the selections once: counts and checks what Shopify's bulk rules look at, and builds the shape. */
    private static final class Analysis {
        private final GraphQLSchema schema;
        private final Map<String, FragmentDefinition> fragments;
        int connections;
        int maxNesting;
        boolean connectionInList;
        final Set<String> topLevelNode = new LinkedHashSet<>();
        final Set<String> nodesConnections = new LinkedHashSet<>();
        final Set<String> withoutParentId = new LinkedHashSet<>();

        Analysis(GraphQLSchema schema, Map<String, FragmentDefinition> fragments) {
            this.schema = schema;
            this.fragments = fragments;
        }

        /** The enclosing connection node, if any: its name, and whether it selects an unaliased id. */
        private static final class NodeScope {
            final String connection;
            boolean hasId;
            boolean hasNestedConnection;

            NodeScope(String connection) {
                this.connection = connection;
            }
        }

        private record Context(int nesting, boolean inList, NodeScope scope, boolean nodeLevel) {
        }

        void collectTopLevel(SelectionSet set, List<Field> out) {
            for (Selection<?> selection : set.getSelections()) {
                if (selection instanceof Field field) {
                    if (!field.getName().startsWith("__")) {
                        out.add(field);
                    }
                } else if (selection instanceof InlineFragment inline) {
                    collectTopLevel(inline.getSelectionSet(), out);
                } else if (selection instanceof FragmentSpread spread && fragments.containsKey(spread.getName())) {
                    collectTopLevel(fragments.get(spread.getName()).getSelectionSet(), out);
                }
            }
        }

        void walk(SelectionSet set, GraphQLCompositeType type, Shape into) {
            selections(set, type, into, new Context(0, false, null, false));
        }

        private void selections(SelectionSet set, GraphQLCompositeType type, Shape into, Context context) {
            if (set == null) {
                return;
            }
            for (Selection<?> selection : set.getSelections()) {
                if (selection instanceof Field field) {
                    field(field, type, into, context);
                } else if (selection instanceof InlineFragment inline) {
                    GraphQLCompositeType condition = inline.getTypeCondition() == null ? type
                            : (GraphQLCompositeType) schema.getType(inline.getTypeCondition().getName());
                    selections(inline.getSelectionSet(), condition, into, context);
                } else if (selection instanceof FragmentSpread spread && fragments.containsKey(spread.getName())) {
                    FragmentDefinition fragment = fragments.get(spread.getName());
                    selections(fragment.getSelectionSet(),
                            (GraphQLCompositeType) schema.getType(fragment.getTypeCondition().getName()), into, context);
                }
            }
        }

        private void field(Field field, GraphQLCompositeType type, Shape into, Context context) {
            if (field.getName().startsWith("__") || !(type instanceof GraphQLFieldsContainer container)) {
                return;
            }
            GraphQLFieldDefinition definition = container.getFieldDefinition(field.getName());
            if (definition == null) {
                return; // validation has reported it
            }
            GraphQLUnmodifiedType raw = GraphQLTypeUtil.unwrapAll(definition.getType());
            if (!(raw instanceof GraphQLCompositeType composite)) {
                if (context.nodeLevel() && field.getName().equals("id") && field.getAlias() == null
                        && raw.getName().equals("ID")) {
                    context.scope().hasId = true;
                }
                return;
            }
            if (FixtureWiringFactory.isConnection(raw)) {
                connection(field, (GraphQLObjectType) raw, into, context);
                return;
            }
            Shape child = into.objects.computeIfAbsent(field.getResultKey(), k -> new Shape());
            selections(field.getSelectionSet(), composite, child,
                    new Context(context.nesting(), context.inList() || isList(definition.getType()), context.scope(), false));
        }

        private void connection(Field field, GraphQLObjectType type, Shape into, Context context) {
            connections++;
            int nesting = context.nesting() + 1;
            maxNesting = Math.max(maxNesting, nesting);
            if (context.inList()) {
                connectionInList = true;
            }
            if (context.scope() != null) {
                context.scope().hasNestedConnection = true;
            }
            Connection connection = into.connections.computeIfAbsent(field.getResultKey(), k -> new Connection(field.getName()));
            GraphQLObjectType edgeType = (GraphQLObjectType) GraphQLTypeUtil.unwrapAll(type.getFieldDefinition("edges").getType());
            GraphQLCompositeType nodeType = (GraphQLCompositeType) GraphQLTypeUtil.unwrapAll(edgeType.getFieldDefinition("node").getType());
            for (Field child : flatten(field.getSelectionSet())) {
                if (child.getName().equals("edges")) {
                    connection.edgesKey = connection.edgesKey == null ? child.getResultKey() : connection.edgesKey;
                    for (Field edgeField : flatten(child.getSelectionSet())) {
                        if (edgeField.getName().equals("node")) {
                            connection.nodeKey = connection.nodeKey == null ? edgeField.getResultKey() : connection.nodeKey;
                            node(field.getName(), edgeField.getSelectionSet(), nodeType, connection.node, nesting);
                        }
                    }
                } else if (child.getName().equals("nodes")) {
                    nodesConnections.add(field.getName());
                    node(field.getName(), child.getSelectionSet(), nodeType, new Shape(), nesting);
                }
            }
        }

        private void node(String connectionName, SelectionSet set, GraphQLCompositeType nodeType, Shape shape, int nesting) {
            NodeScope scope = new NodeScope(connectionName);
            selections(set, nodeType, shape, new Context(nesting, false, scope, true));
            if (scope.hasNestedConnection && !scope.hasId) {
                withoutParentId.add(scope.connection);
            }
        }

        /** The fields of a selection set with its fragments inlined (a connection's or an edge's own fields). */
        private List<Field> flatten(SelectionSet set) {
            List<Field> out = new ArrayList<>();
            if (set == null) {
                return out;
            }
            for (Selection<?> selection : set.getSelections()) {
                if (selection instanceof Field field) {
                    out.add(field);
                } else if (selection instanceof InlineFragment inline) {
                    out.addAll(flatten(inline.getSelectionSet()));
                } else if (selection instanceof FragmentSpread spread && fragments.containsKey(spread.getName())) {
                    out.addAll(flatten(fragments.get(spread.getName()).getSelectionSet()));
                }
            }
            return out;
        }

        private static boolean isList(GraphQLType type) {
            GraphQLType inner = type instanceof GraphQLNonNull nonNull ? nonNull.getWrappedType() : type;
            return inner instanceof GraphQLList;
        }
    }

    // ---- executing page after page -----------------------------------------------------------------

    /**
     * GraphQL context entry that switches connection fetching to bulk mode for one execution: the
     * top-level connection yields the window {@code [from, to)} of its items (computed once per
     * operation, then reused, so a 100,000-product store is filtered once, not once per window),
     * every nested connection yields all its items ({@code first}/{@code after} ignored).
     */
    static final class Window {
        static final String KEY = "sim.bulkWindow";

        private List<?> roots;
        private int from;
        private int to;

        void range(int from, int to) {
            this.from = from;
            this.to = to;
        }

        /** Nothing more to read after this execution. */
        void readWhole() {
            roots = List.of();
        }

        /** How many top-level objects the query selects; -1 before the first window ran. */
        int rootCount() {
            return roots == null ? -1 : roots.size();
        }

        static Window of(DataFetchingEnvironment env) {
            return env.getGraphQlContext().get(KEY);
        }

        boolean isTopLevel(DataFetchingEnvironment env) {
            return env.getExecutionStepInfo().getPath().getLevel() == 1;
        }

        /** The top-level page once the roots are known, without evaluating the field again; null before. */
        Map<String, Object> knownTopLevelPage() {
            return roots == null ? null : Connections.page(roots.subList(Math.min(from, roots.size()),
                    Math.min(to, roots.size())), null, null, null, null, false);
        }

        Map<String, Object> page(String field, Object value, DataFetchingEnvironment env) {
            List<?> items = (List<?>) (value instanceof Supplier<?> supplier ? supplier.get() : value);
            List<?> filtered = StoreFetchers.filterForConnection(field, items, env);
            boolean reverse = Boolean.TRUE.equals(env.getArgument("reverse"));
            if (!isTopLevel(env)) {
                return Connections.page(filtered, null, null, null, null, reverse);
            }
            List<Object> snapshot = new ArrayList<>(filtered);
            if (reverse) {
                Collections.reverse(snapshot);
            }
            roots = snapshot;
            return knownTopLevelPage();
        }
    }

    /** One JSONL line: its JSON, the index of its parent's line in the same window (-1 for a top-level object). */
    record Line(String json, int parent) {
    }

    /**
     * The lines of one executed window, each parent followed by its descendants (the grouped order):
     * every node of a connection becomes one line; nested connections are cut out of their parent
     * (and out of nested objects of their parent) and their nodes follow as lines carrying
     * {@code __parentId}, the id of the nearest enclosing connection node.
     */
    @SuppressWarnings("unchecked")
    List<Line> lines(Map<String, Object> data) {
        List<Line> out = new ArrayList<>();
        Object connection = data == null ? null : data.get(rootKey);
        for (Map<String, Object> node : nodes(connection, root)) {
            emit(node, root.node, null, -1, out);
        }
        return out;
    }

    private record Pending(Object value, Connection connection) {
    }

    private void emit(Map<String, Object> node, Shape shape, String parentId, int parentIndex, List<Line> out) {
        List<Pending> pending = new ArrayList<>();
        Map<String, Object> line = strip(node, shape, pending);
        if (parentId != null) {
            line.put("__parentId", parentId);
        }
        int index = out.size();
        out.add(new Line(Json.encode(line), parentIndex));
        Object id = node.get("id");
        for (Pending child : pending) {
            for (Map<String, Object> childNode : nodes(child.value(), child.connection())) {
                emit(childNode, child.connection().node, id instanceof String s ? s : null, index, out);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> strip(Map<String, Object> source, Shape shape, List<Pending> pending) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : source.entrySet()) {
            Connection connection = shape.connections.get(entry.getKey());
            if (connection != null) {
                pending.add(new Pending(entry.getValue(), connection));
                continue;
            }
            Shape object = shape.objects.get(entry.getKey());
            Object value = entry.getValue();
            if (object != null && value instanceof Map<?, ?> map) {
                out.put(entry.getKey(), strip((Map<String, Object>) map, object, pending));
            } else if (object != null && value instanceof List<?> list) {
                List<Object> items = new ArrayList<>(list.size());
                for (Object item : list) {
                    items.add(item instanceof Map<?, ?> map ? strip((Map<String, Object>) map, object, pending) : item);
                }
                out.put(entry.getKey(), items);
            } else {
                out.put(entry.getKey(), value);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> nodes(Object connectionValue, Connection connection) {
        if (!(connectionValue instanceof Map<?, ?> map) || connection.edgesKey == null || connection.nodeKey == null
                || !(map.get(connection.edgesKey) instanceof List<?> edges)) {
            return List.of();
        }
        List<Map<String, Object>> out = new ArrayList<>(edges.size());
        for (Object edge : edges) {
            if (edge instanceof Map<?, ?> e && e.get(connection.nodeKey) instanceof Map<?, ?> node) {
                out.add((Map<String, Object>) node);
            }
        }
        return out;
    }

    /**
     * Shopify's ungrouped order ({@code groupObjects: false}): a child line still comes after its
     * parent's line, but anywhere after it within the window, so children of one product may come
     * after the next products and their children, and siblings in no particular order. Seeded, so
     * the same query on the same store always writes the same file; {@code lines} comes in grouped
     * order.
     */
    static List<Line> interleave(List<Line> lines, long seed) {
        int roots = 0;
        for (Line line : lines) {
            if (line.parent() < 0) {
                roots++;
            }
        }
        Random random = new Random(seed);
        double[] keys = new double[lines.size()];
        int rootOrdinal = 0;
        for (int i = 0; i < lines.size(); i++) {
            int parent = lines.get(i).parent();
            keys[i] = parent < 0 ? rootOrdinal++ : keys[parent] + random.nextDouble() * (roots - keys[parent]);
        }
        List<Integer> order = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            order.add(i);
        }
        order.sort((a, b) -> Double.compare(keys[a], keys[b])); // stable: ties keep grouped order
        List<Line> out = new ArrayList<>(lines.size());
        for (int index : order) {
            out.add(lines.get(index));
        }
        return out;
    }
}
