package io.storefrontsync.sandbox.shopify;

import graphql.GraphQLContext;
import graphql.GraphqlErrorException;
import graphql.execution.CoercedVariables;
import graphql.language.ArrayValue;
import graphql.language.BooleanValue;
import graphql.language.EnumValue;
import graphql.language.FloatValue;
import graphql.language.IntValue;
import graphql.language.NullValue;
import graphql.language.ObjectValue;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.language.VariableReference;
import graphql.schema.Coercing;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLInterfaceType;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import graphql.schema.GraphQLUnionType;
import graphql.schema.TypeResolver;
import graphql.schema.idl.FieldWiringEnvironment;
import graphql.schema.idl.InterfaceWiringEnvironment;
import graphql.schema.idl.ScalarInfo;
import graphql.schema.idl.ScalarWiringEnvironment;
import graphql.schema.idl.UnionWiringEnvironment;
import graphql.schema.idl.WiringFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Wires all 3,500 types of the Admin schema to the fixture store without naming them one by one:
 * fixture objects are plain maps keyed by GraphQL field name (plus {@code __typename}), so one
 * default fetcher serves every field. A field the fixture has no value for still executes: it
 * answers null when nullable, else a placeholder of its type ("" / 0 / false / [] / {} / first enum
 * value), so any valid query runs. The few fields whose result depends on arguments (lookups by
 * id, {@code quantities(names:)}, {@code metafield(key:)}, the webhook mutations) have their own
 * fetchers in {@link StoreFetchers}.
 */
final class FixtureWiringFactory implements WiringFactory {

    @Override
    public boolean providesScalar(ScalarWiringEnvironment environment) {
        return !ScalarInfo.isGraphqlSpecifiedScalar(environment.getScalarTypeDefinition().getName());
    }

    @Override
    public GraphQLScalarType getScalar(ScalarWiringEnvironment environment) {
        String name = environment.getScalarTypeDefinition().getName();
        return GraphQLScalarType.newScalar()
                .name(name)
                .description("Shopify " + name + ", passed through unchanged by the simulator")
                .coercing(PassThroughCoercing.INSTANCE)
                .build();
    }

    @Override
    public boolean providesTypeResolver(InterfaceWiringEnvironment environment) {
        return true;
    }

    @Override
    public TypeResolver getTypeResolver(InterfaceWiringEnvironment environment) {
        return FixtureWiringFactory::resolveType;
    }

    @Override
    public boolean providesTypeResolver(UnionWiringEnvironment environment) {
        return true;
    }

    @Override
    public TypeResolver getTypeResolver(UnionWiringEnvironment environment) {
        return FixtureWiringFactory::resolveType;
    }

    @Override
    public boolean providesDataFetcher(FieldWiringEnvironment environment) {
        return StoreFetchers.find(environment.getParentType().getName(),
                environment.getFieldDefinition()) != null;
    }

    @Override
    public DataFetcher<?> getDataFetcher(FieldWiringEnvironment environment) {
        return StoreFetchers.find(environment.getParentType().getName(), environment.getFieldDefinition());
    }

    @Override
    public DataFetcher<?> getDefaultDataFetcher(FieldWiringEnvironment environment) {
        return FixtureWiringFactory::fetchFromMap;
    }

    private static GraphQLObjectType resolveType(graphql.TypeResolutionEnvironment env) {
        Object source = env.getObject();
        if (source instanceof Map<?, ?> map && map.get("__typename") instanceof String typeName) {
            GraphQLObjectType type = env.getSchema().getObjectType(typeName);
            if (type != null) {
                return type;
            }
        }
        // A placeholder object has no type name: any implementation will do.
        GraphQLType abstractType = GraphQLTypeUtil.unwrapAll(env.getFieldType());
        if (abstractType instanceof GraphQLUnionType union) {
            return (GraphQLObjectType) union.getTypes().get(0);
        }
        return env.getSchema().getImplementations((GraphQLInterfaceType) abstractType).get(0);
    }

    static Object fetchFromMap(DataFetchingEnvironment env) {
        String name = env.getFieldDefinition().getName();
        BulkQuery.Window bulk = BulkQuery.Window.of(env);
        if (bulk != null && bulk.isTopLevel(env)) {
            // The next window of a bulk query: the top-level list was read once, by the first window.
            Map<String, Object> page = bulk.knownTopLevelPage();
            if (page != null) {
                return page;
            }
        }
        Object value = null;
        if (env.getSource() instanceof Map<?, ?> source) {
            value = source.get(name);
        }
        if (bulk != null && isConnection(env.getFieldType()) && (value instanceof List<?> || value instanceof Supplier<?>)) {
            return bulk.page(name, value, env);
        }
        if (value instanceof Supplier<?> supplier) {
            value = supplier.get();
        }
        if (value instanceof List<?> list && isConnection(env.getFieldType())) {
            return Connections.page(StoreFetchers.filterForConnection(name, list, env), env);
        }
        return value != null ? value : placeholder(env.getFieldType());
    }

    static boolean isConnection(GraphQLType type) {
        GraphQLType raw = GraphQLTypeUtil.unwrapAll(type);
        return raw instanceof GraphQLObjectType object
                && object.getName().endsWith("Connection")
                && object.getFieldDefinition("pageInfo") != null;
    }

    /** The value a non-null field gets when the fixture does not know it; null when nullable. */
    static Object placeholder(GraphQLType type) {
        if (!(type instanceof GraphQLNonNull nonNull)) {
            return null;
        }
        GraphQLType inner = nonNull.getWrappedType();
        if (inner instanceof GraphQLList) {
            return List.of();
        }
        if (inner instanceof GraphQLEnumType enumType) {
            return enumType.getValues().get(0).getName();
        }
        if (inner instanceof GraphQLScalarType scalar) {
            return switch (scalar.getName()) {
                case "Int" -> 0;
                case "Float" -> 0.0;
                case "Boolean" -> false;
                case "ID" -> "gid://shopify/Placeholder/0";
                case "DateTime" -> "1970-01-01T00:00:00Z";
                case "Date" -> "1970-01-01";
                case "Money", "Decimal" -> "0.0";
                case "UnsignedInt64", "BigInt" -> "0";
                case "JSON" -> Map.of();
                default -> "";
            };
        }
        if (inner instanceof GraphQLObjectType object && isConnection(object)) {
            return Connections.empty();
        }
        return new HashMap<String, Object>();
    }

    /** Custom Shopify scalars travel as the JSON value the client sent or the fixture holds. */
    @SuppressWarnings("deprecation")
    static final class PassThroughCoercing implements Coercing<Object, Object> {
        static final PassThroughCoercing INSTANCE = new PassThroughCoercing();

        @Override
        public Object serialize(Object value) {
            return value;
        }

        @Override
        public Object serialize(Object value, GraphQLContext context, Locale locale) {
            return value;
        }

        @Override
        public Object parseValue(Object value) {
            return value;
        }

        @Override
        public Object parseValue(Object value, GraphQLContext context, Locale locale) {
            return value;
        }

        @Override
        public Object parseLiteral(Object input) {
            return literal((Value<?>) input, Map.of());
        }

        @Override
        public Object parseLiteral(Object input, Map<String, Object> variables) {
            return literal((Value<?>) input, variables);
        }

        @Override
        public Object parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context, Locale locale) {
            return literal(input, variables.toMap());
        }

        private static Object literal(Value<?> value, Map<String, Object> variables) {
            if (value instanceof StringValue s) {
                return s.getValue();
            }
            if (value instanceof IntValue i) {
                return i.getValue();
            }
            if (value instanceof FloatValue f) {
                return f.getValue();
            }
            if (value instanceof BooleanValue b) {
                return b.isValue();
            }
            if (value instanceof EnumValue e) {
                return e.getName();
            }
            if (value instanceof NullValue) {
                return null;
            }
            if (value instanceof VariableReference v) {
                return variables.get(v.getName());
            }
            if (value instanceof ArrayValue a) {
                List<Object> out = new ArrayList<>();
                a.getValues().forEach(item -> out.add(literal(item, variables)));
                return out;
            }
            if (value instanceof ObjectValue o) {
                Map<String, Object> out = new LinkedHashMap<>();
                o.getObjectFields().forEach(f -> out.put(f.getName(), literal(f.getValue(), variables)));
                return out;
            }
            throw GraphqlErrorException.newErrorException().message("Unsupported literal " + value).build();
        }
    }
}
