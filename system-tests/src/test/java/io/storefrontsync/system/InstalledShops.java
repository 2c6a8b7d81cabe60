package io.storefrontsync.system;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Simulated shops installed through the real OAuth flow — the one place the system tests install a
 * shop they do not test the install of, and know its Spaces keys — and the question the tests keep
 * asking: does each shop's {@code shop_products.json} in Spaces hold exactly the simulator's store?
 */
final class InstalledShops {

    private final SystemClient client;
    /** Full domain → what the install's callback answered (the user uuid, webhook and sync results). */
    private final Map<String, SystemClient.Install> installs = new LinkedHashMap<>();

    private InstalledShops(SystemClient client) {
        this.client = client;
    }

    /** {@code prefix-01.myshopify.com} … {@code prefix-NN.myshopify.com}, as {@code SIM_SHOPIFY_SHOPS} takes them. */
    static List<String> names(String prefix, int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> String.format("%s-%02d.myshopify.com", prefix, i)).toList();
    }

    static String simulatorSetting(List<String> shops) {
        return String.join(",", shops);
    }

    /** Installs every shop, one after the other, as a merchant's browser would. */
    static InstalledShops install(SystemClient client, List<String> shops) throws Exception {
        InstalledShops installed = new InstalledShops(client);
        for (String shop : shops) {
            SystemClient.Install install = client.install(shop.replace(".myshopify.com", ""));
            assertThat(install.status()).as("install of %s: %s", shop, install.body()).isEqualTo(200);
            assertThat(install.json().path("webhook_result").path("status").asText()).as(install.body()).isEqualTo("success");
            installed.installs.put(shop, install);
        }
        return installed;
    }

    List<String> shops() {
        return new ArrayList<>(installs.keySet());
    }

    /** The callback's answer for {@code shop}'s install. */
    SystemClient.Install answer(String shop) {
        return installs.get(shop);
    }

    String user(String shop) {
        return installs.get(shop).userId();
    }

    String productsKey(String shop) {
        return "users/" + user(shop) + "/shopify/" + shop + "/shop_products.json";
    }

    String metadataKey(String shop) {
        return "users/" + user(shop) + "/shopify/" + shop + "/shop_metadata.json";
    }

    /** What differs between the shop's products object in Spaces and the simulator's store (empty: equal). */
    List<String> differences(String shop) {
        try {
            return StoreComparison.differences(client.simulatorProducts(shop), client.object(productsKey(shop)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Shops whose object does not match the store yet, with their first difference. */
    Map<String, String> mismatched(List<String> shops) {
        Map<String, String> mismatched = new LinkedHashMap<>();
        for (String shop : shops) {
            List<String> differences = differences(shop);
            if (!differences.isEmpty()) {
                mismatched.put(shop, differences.get(0) + (differences.size() > 1 ? " (+" + (differences.size() - 1) + ")" : ""));
            }
        }
        return mismatched;
    }

    void awaitInSpaces(List<String> shops, Duration timeout) throws InterruptedException {
        try {
            SystemClient.await("every shop's products in Spaces to match its store", timeout,
                    () -> mismatched(shops).isEmpty());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; still different: " + mismatched(shops), e);
        }
    }

    /** The simulator's product count, for checks that a catalog in Spaces is whole. */
    int storeSize(String shop) throws Exception {
        return client.simulatorProducts(shop).size();
    }

    /** A {@link SpacesWatcher.Check}: the products object lists exactly {@code expected} products. */
    static SpacesWatcher.Check wholeCatalog(int expected) {
        return json -> {
            JsonNode products = json.path("products");
            return products.isArray() && products.size() == expected ? Optional.empty()
                    : Optional.of("a catalog of " + products.size() + " products, the store has " + expected);
        };
    }

    static String describe(Map<String, String> mismatched) {
        return mismatched.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining("; "));
    }
}
