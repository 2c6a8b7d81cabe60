package io.storefrontsync.sandbox.shopify;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code bulkOperationRunQuery} refuses, with Shopify's {@code userErrors}, before any operation exists. */
class BulkQueryRulesTest {

    private static SimulatorFixture sim;
    private static BulkClient bulk;

    @BeforeAll
    static void start() throws Exception {
        sim = new SimulatorFixture(SimulatorFixture.smallStore(5));
        bulk = new BulkClient(sim, sim.install().getString("access_token"));
    }

    @AfterAll
    static void stop() throws Exception {
        sim.close();
    }

    /** The messages Shopify answers, each with {@code field: ["query"]} and code {@code INVALID}. */
    private static List<String> refused(String query) throws Exception {
        JsonObject payload = bulk.run(query, false);
        assertThat(payload.getValue("bulkOperation")).as(query).isNull();
        JsonArray errors = payload.getJsonArray("userErrors");
        assertThat(errors).as(query).isNotEmpty();
        for (int i = 0; i < errors.size(); i++) {
            assertThat(errors.getJsonObject(i).getString("code")).isEqualTo("INVALID");
            assertThat(errors.getJsonObject(i).getJsonArray("field")).containsExactly("query");
        }
        return errors.stream().map(e -> ((JsonObject) e).getString("message")).toList();
    }

    @Test
    void shouldRequireAtLeastOneConnection() throws Exception {
        assertThat(refused("{ shop { id name } }")).containsExactly("Bulk queries must contain at least one connection.");
    }

    @Test
    void shouldRefuseTopLevelNodeAlongWithTheMissingConnection() throws Exception {
        assertThat(refused("{ node(id: \"gid://shopify/Product/1\") { id } }")).containsExactly(
                "Bulk queries cannot contain a top level `node` field.",
                "Bulk queries must contain at least one connection.");
    }

    @Test
    void shouldRefuseConnectionsNestedThreeLevelsDeep() throws Exception {
        assertThat(refused("{ collections { edges { node { id products { edges { node { id "
                + "variants { edges { node { id } } } } } } } } } }"))
                .containsExactly("Bulk queries cannot contain connections with a nesting depth greater than 2.");
    }

    @Test
    void shouldRefuseMoreThanFiveConnections() throws Exception {
        assertThat(refused("{ products { edges { node { id variants { edges { node { id } } } "
                + "metafields { edges { node { id } } } collections { edges { node { id } } } "
                + "media { edges { node { id } } } sellingPlanGroups { edges { node { id } } } } } } }"))
                .containsExactly("Bulk queries cannot contain more than 5 connections.");
    }

    @Test
    void shouldRequireAnUnaliasedIdOnTheParentOfANestedConnection() throws Exception {
        String expected = "The parent 'node' field for a nested connection must select the 'id' field without an alias "
                + "and must be of 'ID' return type. Connection fields without 'id': products.";
        assertThat(refused("{ products { edges { node { title variants { edges { node { id } } } } } } }"))
                .containsExactly(expected);
        assertThat(refused("{ products { edges { node { gid: id variants { edges { node { id } } } } } } }"))
                .containsExactly(expected);
    }

    @Test
    void shouldRequireEdgesAndNodeRatherThanNodes() throws Exception {
        assertThat(refused("{ products { nodes { id title } } }")).containsExactly(
                "All connection fields in a bulk query must select their contents using 'edges' > 'node', e.g: "
                        + "'products { edges { node {'. Selecting via 'nodes' is not supported. "
                        + "Invalid connection fields: 'products'.");
    }

    @Test
    void shouldRefuseAConnectionInsideAList() throws Exception {
        assertThat(refused("{ orders { edges { node { id fulfillments { events { edges { node { id } } } } } } } }"))
                .containsExactly("Queries that contain a connection field within a list field are not currently supported.");
    }

    @Test
    void shouldRefuseMutationsSyntaxErrorsAndFieldsTheSchemaLacks() throws Exception {
        assertThat(refused("mutation { webhookSubscriptionDelete(id: \"gid://shopify/WebhookSubscription/1\") { userErrors { message } } }"))
                .containsExactly("Invalid operation type. Only `query` operations are supported.");
        assertThat(refused("")).containsExactly("Invalid bulk query: syntax error, unexpected end of file");
        assertThat(refused("{ products { edges { node { id }")).singleElement().asString()
                .startsWith("Invalid bulk query: syntax error");
        assertThat(refused("{ products { edges { node { id colour } } } }"))
                .containsExactly("Invalid bulk query: Field 'colour' doesn't exist on type 'Product'");
    }

    @Test
    void shouldChargeTheMutationLikeAnyOtherAndNotTheBulkRead() throws Exception {
        JsonObject response = bulk.runRaw(SimulatorFixture.VERSION,
                "{ products { edges { node { id variants { edges { node { id } } } } } } }", false);
        assertThat(response.getJsonObject("data").getJsonObject("bulkOperationRunQuery").getJsonArray("userErrors")).isEmpty();
        JsonObject cost = response.getJsonObject("extensions").getJsonObject("cost");
        assertThat(cost.getInteger("requestedQueryCost")).isEqualTo(QueryCostCalculator.MUTATION_COST);
        assertThat(cost.getInteger("actualQueryCost")).isEqualTo(QueryCostCalculator.MUTATION_COST);
    }
}
