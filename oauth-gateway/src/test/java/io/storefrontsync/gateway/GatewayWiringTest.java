package io.storefrontsync.gateway;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.storefrontsync.gateway.support.WorkerReceiver;
import io.quarkus.test.junit.QuarkusTest;
import io.storefrontsync.sandbox.testing.SandboxWorldResource;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

@QuarkusTest
@WithTestResource(value = SandboxWorldResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = WorkerReceiver.class, scope = TestResourceScope.MATCHING_RESOURCES)
class GatewayWiringTest {

    /** Health, metrics and the OpenAPI document are on the management interface (a free port in tests). */
    @ConfigProperty(name = "quarkus.management.test-port")
    int managementPort;

    @Inject
    Pool pool;

    @Test
    void shouldBeReadyWithTheDatabase() {
        given().port(managementPort).when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", is("UP"))
                .body("checks.name", hasItem("Reactive PostgreSQL connections health check"));
    }

    @Test
    void shouldBeLive() {
        given().port(managementPort).when().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
    }

    @Test
    void shouldServeHealthMetricsAndApiDocsOnTheManagementPortOnly() {
        for (String path : List.of("/q/metrics", "/q/openapi", "/q/swagger-ui", "/q/health/ready", "/q/health")) {
            given().redirects().follow(false).when().get(path).then().statusCode(404);
        }
        given().port(managementPort).when().get("/q/metrics")
                .then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
        given().port(managementPort).queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200).body(containsString("/shopify/{shop}/login"))
                // served by a Vert.x route, documented by META-INF/openapi.yaml merged into the generated document
                .body(containsString("\"/shopify/webhook\"")).body(containsString("Receive a Shopify webhook"));
    }

    @Test
    void shouldMigrateItsOwnSchema() {
        List<String> tables = new ArrayList<>();
        for (Row row : pool.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'gateway' ORDER BY 1")
                .execute().await().atMost(Duration.ofSeconds(10))) {
            tables.add(row.getString(0));
        }
        assertThat(tables).contains("users", "shopify_connections", "facebook_pages", "facebook_deletion_requests", "oauth_states",
                "webhook_receipts", "outbox", "flyway_schema_history");
    }
}
