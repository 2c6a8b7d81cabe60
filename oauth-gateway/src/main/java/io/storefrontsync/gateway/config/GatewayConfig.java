package io.storefrontsync.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * The gateway's own settings, those of no single integration: its public URL, its secrets, its cookies. Each
 * integration has its mapping under the same {@code gateway.} prefix ({@code ShopifyConfig}, {@code FacebookConfig},
 * {@code AdminConfig}, {@code OutboxConfig}, {@code WebhookConfig}, {@code TokenKeysConfig}).
 *
 * <p>A default lives in one place: a setting read from an environment variable has it in
 * {@code application.properties} ({@code ${COOKIES_SECURE:true}}), the others here ({@code @WithDefault}).
 */
@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

    /** {@code GATEWAY_URL}: this gateway's public base URL, for the links it hands out (data deletion status). */
    String publicUrl();

    /** {@code STATE_TOKEN_SECRET}: signs the session and OAuth state cookies and the Shopify install state. */
    String stateTokenSecret();

    /** {@code TOKEN_ENCRYPTION_KEY}: the key ring ({@code keyId:base64}, comma separated) sealing stored tokens. */
    String tokenEncryptionKey();

    Session session();

    OAuth oauth();

    Cookies cookies();

    interface Session {

        /** Lifetime of the session cookie set by a Shopify install (Facebook Login needs it). */
        @WithDefault("12h")
        Duration ttl();

        /**
         * Lifetime of the user JWTs {@code POST /session/token} mints for a signed-in merchant (role {@code user},
         * the worker's {@code /jobs}, {@code /connections} and {@code /resync} of their own uuid only): short, as
         * nothing can revoke one.
         */
        @WithDefault("15m")
        Duration userTokenLifetime();
    }

    interface OAuth {

        /** Lifetime of an OAuth state (Shopify install, Facebook Login) and of its browser cookie. */
        @WithDefault("10m")
        Duration stateTtl();
    }

    interface Cookies {

        /** {@code COOKIES_SECURE}: false only for plain-http local runs. */
        boolean secure();
    }
}
