package io.storefrontsync.worker.shopify;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Shopify's {@code X-Shopify-API-Deprecated-Reason} on an Admin API answer: our query uses something Shopify will
 * remove (a field, an argument, the API version itself). Each distinct reason is logged once per process (a WARN
 * naming the operation, so the query to fix is known), and every such answer counts in
 * {@code storefront_shopify_deprecated_total{operation}}, labelled by our GraphQL operation name (bounded), never by
 * the reason text (Shopify's, unbounded).
 */
@ApplicationScoped
public class ShopifyDeprecations {

    private static final Logger LOG = Logger.getLogger(ShopifyDeprecations.class);
    /** Distinct reasons remembered for the once-only log; more are still counted, and logged each time. */
    private static final int MAX_REMEMBERED = 256;
    private static final int MAX_LOGGED_LENGTH = 300;

    private final MeterRegistry registry;
    private final Set<String> logged = ConcurrentHashMap.newKeySet();

    public ShopifyDeprecations(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * An answer to {@code operation} carried {@code reason} (the header's value; null or blank: none).
     *
     * @return whether it was logged (the first time this reason was seen)
     */
    boolean noted(String operation, String reason) {
        if (reason == null || reason.isBlank()) {
            return false;
        }
        Counter.builder("storefront.shopify.deprecated")
                .description("Admin API answers carrying X-Shopify-API-Deprecated-Reason, by GraphQL operation")
                .tag("operation", operation).register(registry).increment();
        String shown = printable(reason);
        boolean first = logged.size() < MAX_REMEMBERED ? logged.add(shown) : !logged.contains(shown);
        if (first) {
            LOG.warnf("Shopify says %s uses something deprecated: %s (logged once per reason; counted in "
                    + "storefront_shopify_deprecated_total)", operation, shown);
        }
        return first;
    }

    /** The header as a log may show it: printable ASCII, cut short. */
    static String printable(String reason) {
        StringBuilder shown = new StringBuilder();
        reason.strip().codePoints().limit(MAX_LOGGED_LENGTH)
                .forEach(c -> shown.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
        return shown.toString();
    }
}
