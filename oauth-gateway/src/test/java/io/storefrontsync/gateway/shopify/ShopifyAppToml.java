package io.storefrontsync.gateway.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.storefrontsync.common.event.EventKind;
import io.storefrontsync.gateway.webhook.ShopifyWebhookRoute;
import jakarta.ws.rs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What {@code shopify.app.toml} must say for the code as it is: the scopes the install requests, the topics it
 * registers plus Shopify's compliance topics, the API version, and the paths the gateway serves the App URL, the
 * OAuth callback and webhooks on. Read from the code itself (application.properties' defaults, the JAX-RS
 * annotations, {@link EventKind}), so a change on either side shows as a difference.
 */
final class ShopifyAppToml {

    private static final Pattern DEFAULT = Pattern.compile("\\$\\{[A-Z_]+:(.*)}");

    private ShopifyAppToml() {
    }

    /** Every way {@code toml} differs from the code; empty when they agree. */
    static List<String> differences(java.nio.file.Path toml) throws IOException {
        JsonNode app;
        try (Reader reader = Files.newBufferedReader(toml)) {
            app = new TomlMapper().readTree(reader);
        }
        Properties properties = applicationProperties();
        List<String> differences = new ArrayList<>();

        compare(differences, "access_scopes.scopes", split(defaultOf(properties, "gateway.shopify.scopes")),
                split(app.path("access_scopes").path("scopes").asText()));
        compare(differences, "webhooks.api_version", Set.of(defaultOf(properties, "gateway.shopify.api-version")),
                Set.of(app.path("webhooks").path("api_version").asText()));

        Set<String> registered = split(properties.getProperty("gateway.shopify.webhook-topics")).stream()
                .map(ShopifyAppToml::restTopic).collect(Collectors.toCollection(TreeSet::new));
        Set<String> compliance = new TreeSet<>(Set.of(EventKind.CUSTOMERS_DATA_REQUEST.topic(),
                EventKind.CUSTOMERS_REDACT.topic(), EventKind.SHOP_REDACT.topic()));
        Set<String> tomlTopics = new TreeSet<>();
        Set<String> tomlCompliance = new TreeSet<>();
        Set<String> hosts = new TreeSet<>();
        String webhookPath = ShopifyWebhookRoute.PATH;
        for (JsonNode subscription : app.path("webhooks").path("subscriptions")) {
            subscription.path("topics").forEach(t -> tomlTopics.add(t.asText()));
            subscription.path("compliance_topics").forEach(t -> tomlCompliance.add(t.asText()));
            URI uri = URI.create(subscription.path("uri").asText());
            hosts.add(String.valueOf(uri.getAuthority()));
            if (!webhookPath.equals(uri.getPath())) {
                differences.add("webhooks.subscriptions uri: path " + uri.getPath() + ", the gateway takes webhooks at " + webhookPath);
            }
        }
        compare(differences, "webhooks.subscriptions topics", registered, tomlTopics);
        compare(differences, "webhooks.subscriptions compliance_topics", compliance, tomlCompliance);

        URI appUrl = URI.create(app.path("application_url").asText());
        hosts.add(String.valueOf(appUrl.getAuthority()));
        compare(differences, "application_url path", Set.of(path(ShopifyInstallResource.class, "app")), Set.of(appUrl.getPath()));
        Set<String> redirects = new TreeSet<>();
        for (JsonNode redirect : app.path("auth").path("redirect_urls")) {
            URI uri = URI.create(redirect.asText());
            redirects.add(uri.getPath());
            hosts.add(String.valueOf(uri.getAuthority()));
        }
        compare(differences, "auth.redirect_urls paths", Set.of(path(ShopifyInstallResource.class, "callback")), redirects);
        if (hosts.size() != 1) {
            differences.add("every URL must name the one gateway host (GATEWAY_URL), found " + hosts);
        }
        if (!app.path("access_scopes").path("use_legacy_install_flow").asBoolean(false)) {
            differences.add("access_scopes.use_legacy_install_flow must be true: the gateway runs the OAuth grant itself");
        }
        return differences;
    }

    /** {@code INVENTORY_LEVELS_UPDATE} (the GraphQL enum the registrar sends) → {@code inventory_levels/update}. */
    static String restTopic(String graphqlTopic) {
        String lower = graphqlTopic.toLowerCase(Locale.ROOT);
        int last = lower.lastIndexOf('_');
        return lower.substring(0, last) + "/" + lower.substring(last + 1);
    }

    private static void compare(List<String> differences, String what, Set<String> code, Set<String> toml) {
        Set<String> missing = new TreeSet<>(code);
        missing.removeAll(toml);
        Set<String> extra = new TreeSet<>(toml);
        extra.removeAll(code);
        if (!missing.isEmpty()) {
            differences.add(what + ": missing " + missing);
        }
        if (!extra.isEmpty()) {
            differences.add(what + ": not in the code " + extra);
        }
    }

    private static String path(Class<?> resource, String methodName) {
        String base = resource.getAnnotation(Path.class).value();
        Method method = Arrays.stream(resource.getMethods()).filter(m -> m.getName().equals(methodName)).findFirst()
                .orElseThrow(() -> new IllegalStateException(resource.getSimpleName() + "." + methodName + " is gone"));
        Path sub = method.getAnnotation(Path.class);
        return sub == null ? base : base + sub.value();
    }

    private static Properties applicationProperties() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = ShopifyAppToml.class.getResourceAsStream("/application.properties")) {
            properties.load(in);
        }
        return properties;
    }

    private static String defaultOf(Properties properties, String key) {
        Matcher m = DEFAULT.matcher(properties.getProperty(key, ""));
        if (!m.matches()) {
            throw new IllegalStateException(key + " has no ${VAR:default}");
        }
        return m.group(1);
    }

    private static Set<String> split(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
