package io.storefrontsync.gateway.token;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Moving stored tokens to the current key of {@code TOKEN_ENCRYPTION_KEY}. */
@ConfigMapping(prefix = "gateway.token-keys")
public interface TokenKeysConfig {

    /** Rows read per statement by the re-encryption run. */
    @WithDefault("200")
    int batchSize();

    /** Delay after start of the first run (a rotation is a restart with a new key ring). */
    @WithDefault("10s")
    Duration reencryptDelay();

    /** Re-runs: they catch rows an older instance wrote under the previous key during a rolling deploy. */
    @WithDefault("1h")
    Duration reencryptEvery();

    /** How often the per-key token counts ({@code gateway_tokens_by_key}) are re-read. */
    @WithDefault("1m")
    Duration countEvery();
}
