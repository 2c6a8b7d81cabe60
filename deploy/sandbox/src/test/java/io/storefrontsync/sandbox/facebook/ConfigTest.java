package io.storefrontsync.sandbox.facebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {

    @Test
    void fromEnvFallsBackToSandboxDefaults() {
        FacebookSimulator.Config config = FacebookSimulator.Config.fromEnv(name -> null);

        assertThat(config.appId()).isEqualTo("sandbox-app-id");
        assertThat(config.appSecret()).isEqualTo("sandbox-app-secret");
        assertThat(config.webhookCallbackUrl()).isNull();
        assertThat(config.webhookVerifyToken()).isEqualTo("sandbox-verify-token");
        assertThat(config.pageCount()).isEqualTo(2);
    }

    @Test
    void fromEnvReadsTheServicesVariablesAndNamesABadOne() {
        Map<String, String> env = Map.of("FACEBOOK_APP_ID", "42", "FACEBOOK_APP_SECRET", "s",
                "FACEBOOK_WEBHOOK_ADDRESS", "http://127.0.0.1:8080/facebook/webhook", "SIM_FACEBOOK_PAGE_COUNT", "3");

        FacebookSimulator.Config config = FacebookSimulator.Config.fromEnv(env::get);

        assertThat(config.appId()).isEqualTo("42");
        assertThat(config.webhookCallbackUrl()).isEqualTo("http://127.0.0.1:8080/facebook/webhook");
        assertThat(config.pageCount()).isEqualTo(3);
        assertThatThrownBy(() -> FacebookSimulator.Config.fromEnv(Map.of("SIM_FACEBOOK_SEED", "x")::get))
                .hasMessageContaining("SIM_FACEBOOK_SEED");
    }
}
