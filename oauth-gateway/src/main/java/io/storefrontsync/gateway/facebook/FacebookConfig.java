package io.storefrontsync.gateway.facebook;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;

/** The Facebook app's settings (environment names in application.properties). */
@ConfigMapping(prefix = "gateway.facebook")
public interface FacebookConfig {

    /** {@code FACEBOOK_APP_ID}, the app's client id. */
    String appId();

    /** {@code FACEBOOK_APP_SECRET}: authenticates the code exchange, signs webhooks and signed requests. */
    String appSecret();

    /** {@code FACEBOOK_REDIRECT_URI}: this gateway's {@code /facebook/callback}. */
    String redirectUri();

    /** {@code FACEBOOK_VERIFY_TOKEN}: echoed by Meta in the webhook verification request. */
    String verifyToken();

    /** {@code FACEBOOK_WEBHOOK_ADDRESS}: this gateway's {@code /facebook/webhook}, the app's Page webhook callback. */
    String webhookAddress();

    /** {@code FACEBOOK_GRAPH_VERSION}, e.g. {@code v26.0}. */
    String graphVersion();

    /** {@code FACEBOOK_GRAPH_URL}: Graph API base, without the version. */
    String graphUrl();

    /** {@code FACEBOOK_DIALOG_URL}: Facebook Login dialog base, without the version. */
    String dialogUrl();

    /** {@code FACEBOOK_SCOPES}: permissions asked for in the Login dialog. */
    List<String> scopes();

    /**
     * {@code FACEBOOK_PAGE_WEBHOOK_FIELDS}: Page webhook fields each connected Page subscribes the app to. Names
     * from the Page webhook list (which has {@code email}; the Page node's {@code emails} is not a webhook field).
     */
    List<String> subscribedFields();

    /** Page size asked of {@code /me/accounts}; all pages are fetched by cursor whatever this is. */
    @WithDefault("25")
    int accountsPageSize();

    /** Timeout of each Graph call during the login. */
    @WithDefault("10s")
    Duration requestTimeout();
}
