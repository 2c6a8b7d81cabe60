package io.storefrontsync.sandbox.shopify;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fleet of simulated shops (issue #15's 2,000-shop poll) is generated on demand: a configured shop costs a name
 * until a request touches it, and its data is derived from its domain, place and the seed, so generating it later
 * (or again after a reset) gives the same store.
 */
class OnDemandShopsTest {

    private static final int SHOPS = 5_000;
    private static SimulatorFixture sim;

    @BeforeAll
    static void start() throws Exception {
        List<String> fleet = new ArrayList<>();
        for (int i = 1; i <= SHOPS; i++) {
            fleet.add(String.format("fleet-%04d", i));
        }
        sim = new SimulatorFixture(SimulatorFixture.smallStore(7).withShops(fleet));
    }

    @AfterAll
    static void stop() throws Exception {
        sim.close();
    }

    @Test
    void shouldGenerateAShopOnlyWhenARequestTouchesIt() throws Exception {
        sim.postJson(sim.base() + "/_sim/reset", new JsonObject());
        JsonObject listed = new JsonObject(sim.get(sim.base() + "/_sim/shops").body());
        assertThat(listed.getJsonArray("shops")).hasSize(SHOPS);
        assertThat(listed.getJsonArray("shops").getString(41)).isEqualTo("fleet-0042.myshopify.com");
        assertThat(listed.getInteger("materialised")).isZero();
        assertThat(sim.simulator.materialisedShops()).isZero();

        assertThat(count("fleet-0042")).isEqualTo(7);
        assertThat(sim.simulator.materialisedShops()).isEqualTo(1);
        assertThat(count("fleet-0042.myshopify.com")).isEqualTo(7);
        assertThat(sim.simulator.materialisedShops()).as("the same shop, kept once generated").isEqualTo(1);

        // The OAuth consent touches the shop too; an unknown shop is a 404 and generates nothing.
        HttpResponse<String> consent = sim.get(sim.base() + "/fleet-4999/admin/oauth/authorize?client_id="
                + SimulatorFixture.KEY + "&scope=read_products&redirect_uri=http://127.0.0.1/cb&state=s");
        assertThat(consent.statusCode()).as(consent.body()).isEqualTo(302);
        assertThat(sim.get(sim.base() + "/_sim/shops/fleet-5001/products/count").statusCode()).isEqualTo(404);
        assertThat(new JsonObject(sim.get(sim.base() + "/_sim/shops").body()).getInteger("materialised")).isEqualTo(2);
    }

    @Test
    void shouldDeriveTheSameStoreFromTheShopsPlaceWhenGeneratedAgain() throws Exception {
        sim.postJson(sim.base() + "/_sim/reset", new JsonObject());
        JsonArray first = products("fleet-0042");
        JsonArray neighbour = products("fleet-0043");
        assertThat(first).hasSize(7);
        assertThat(first.getJsonObject(0).getString("id")).as("ids derive from the shop's place in the list")
                .isNotEqualTo(neighbour.getJsonObject(0).getString("id"));

        sim.postJson(sim.base() + "/_sim/reset", new JsonObject());
        assertThat(sim.simulator.materialisedShops()).isZero();
        assertThat(products("fleet-0042")).isEqualTo(first);
        assertThat(sim.simulator.materialisedShops()).isEqualTo(1);
    }

    @Test
    void shouldAddEmptyShopsWithoutGeneratingThem() throws Exception {
        sim.postJson(sim.base() + "/_sim/reset", new JsonObject());
        HttpResponse<String> added = sim.postJson(sim.base() + "/_sim/shops",
                new JsonObject().put("prefix", "extra-").put("count", 500));
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        assertThat(sim.simulator.materialisedShops()).isZero();
        assertThat(count("extra-499")).isZero();
        assertThat(sim.simulator.materialisedShops()).isEqualTo(1);
        assertThat(new JsonObject(sim.get(sim.base() + "/_sim/shops").body()).getJsonArray("shops"))
                .hasSize(SHOPS + 500);
    }

    private static int count(String shop) throws Exception {
        HttpResponse<String> response = sim.get(sim.base() + "/_sim/shops/" + shop + "/products/count");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new JsonObject(response.body()).getInteger("count");
    }

    private static JsonArray products(String shop) throws Exception {
        HttpResponse<String> response = sim.get(sim.base() + "/_sim/shops/" + shop + "/products");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new JsonObject(response.body()).getJsonArray("products");
    }
}
