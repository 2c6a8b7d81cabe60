package io.storefrontsync.system;

import io.storefrontsync.sandbox.testing.EndToEndSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

/** The packaged services start against the sandbox world as run.sh starts them, and survive a crash. */
class SystemLifecycleIT {

    private static EndToEndSystem system;

    @BeforeAll
    static void start() {
        system = EndToEndSystem.start("SystemLifecycleIT", Map.of());
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void bothServicesShouldBeReadyAgainstTheSandboxWorld() {
        given().get(system.gateway().managementUrl() + "/q/health/ready").then().statusCode(200).body("status", is("UP"));
        given().get(system.worker().managementUrl() + "/q/health/ready").then().statusCode(200).body("status", is("UP"));
    }

    @Test
    void aKilledWorkerShouldComeBackReadyOnTheSameDatabase() {
        system.worker().kill();
        assertThat(system.worker().isAlive()).isFalse();

        system.worker().start();

        given().get(system.worker().managementUrl() + "/q/health/ready").then().statusCode(200).body("status", is("UP"));
    }
}
