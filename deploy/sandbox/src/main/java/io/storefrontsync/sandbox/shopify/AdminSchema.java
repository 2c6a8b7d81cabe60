package io.storefrontsync.sandbox.shopify;

import com.fasterxml.jackson.databind.ObjectMapper;
import graphql.GraphQL;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.introspection.IntrospectionResultToSchema;
import graphql.language.Document;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPInputStream;

/**
 * The real Shopify Admin schema (introspection result of API 2026-07) made executable against the
 * fixture store. Building it takes seconds (3,500 types), so it is built once per simulator, off the
 * event loop, and shared by every shop and request.
 */
final class AdminSchema {

    static final String RESOURCE = "/shopify/admin-2026-07.introspection.json.gz";

    /** Key in the GraphQL context under which the handler puts the already validated document. */
    static final String DOCUMENT_KEY = "sim.document";

    private final GraphQLSchema schema;
    private final GraphQL graphQL;
    private final long buildMillis;

    private AdminSchema(GraphQLSchema schema, long buildMillis) {
        this.schema = schema;
        this.buildMillis = buildMillis;
        // The handler parses and validates itself (it must price the query before running it), so
        // execution reuses that document instead of parsing and validating a second time.
        this.graphQL = GraphQL.newGraphQL(schema)
                .preparsedDocumentProvider((input, parseAndValidate) -> {
                    Document document = input.getGraphQLContext().get(DOCUMENT_KEY);
                    return CompletableFuture.completedFuture(document != null
                            ? new PreparsedDocumentEntry(document)
                            : parseAndValidate.apply(input));
                })
                .instrumentation(QueryCostCalculator.actualCostInstrumentation())
                .build();
    }

    private static AdminSchema shared;

    /**
     * The schema, built on first use and then shared: it is immutable, and tests start many
     * simulators in one JVM. Blocking on first call: run it on a worker thread.
     */
    static synchronized AdminSchema shared() {
        if (shared == null) {
            shared = load();
        }
        return shared;
    }

    /** Blocking: reads and converts 11 MB of JSON. Call from a worker thread. */
    @SuppressWarnings("unchecked")
    static AdminSchema load() {
        long started = System.nanoTime();
        Map<String, Object> introspection;
        try (InputStream raw = AdminSchema.class.getResourceAsStream(RESOURCE)) {
            if (raw == null) {
                throw new IllegalStateException("Shopify schema resource missing: " + RESOURCE);
            }
            introspection = new ObjectMapper().readValue(new GZIPInputStream(raw), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
        Map<String, Object> data = introspection.containsKey("data")
                ? (Map<String, Object>) introspection.get("data")
                : introspection;
        Document sdl = new IntrospectionResultToSchema().createSchemaDefinition(data);
        TypeDefinitionRegistry registry = new SchemaParser().buildRegistry(sdl);
        RuntimeWiring wiring = RuntimeWiring.newRuntimeWiring()
                .wiringFactory(new FixtureWiringFactory())
                .build();
        GraphQLSchema schema = new SchemaGenerator().makeExecutableSchema(registry, wiring);
        return new AdminSchema(schema, (System.nanoTime() - started) / 1_000_000);
    }

    GraphQLSchema schema() {
        return schema;
    }

    GraphQL graphQL() {
        return graphQL;
    }

    long buildMillis() {
        return buildMillis;
    }
}
