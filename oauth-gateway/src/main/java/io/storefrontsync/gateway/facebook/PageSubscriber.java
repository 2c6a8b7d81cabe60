package io.storefrontsync.gateway.facebook;

import io.smallrye.mutiny.Uni;
import io.storefrontsync.gateway.facebook.FacebookGraph.ManagedPage;
import io.storefrontsync.gateway.shopify.StepResult;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Subscribes the app to a Page's webhooks ({@code POST /{page-id}/subscribed_apps}) idempotently: the Page's
 * current subscription is read first and nothing is posted when it already has every configured field.
 */
@ApplicationScoped
public class PageSubscriber {

    private static final Logger LOG = Logger.getLogger(PageSubscriber.class);

    private final FacebookGraph graph;
    private final FacebookConfig config;

    public PageSubscriber(FacebookGraph graph, FacebookConfig config) {
        this.graph = graph;
        this.config = config;
    }

    /** Never fails: problems come back as a failed {@link StepResult} (the Page itself is connected). */
    public Uni<StepResult> subscribe(ManagedPage page) {
        List<String> wanted = config.subscribedFields();
        return graph.subscribedFields(page)
                .chain(existing -> existing.containsAll(wanted)
                        ? Uni.createFrom().voidItem()
                        : graph.subscribe(page, wanted))
                .replaceWith(StepResult.success())
                .onFailure().recoverWithItem(failure -> {
                    String reason = failure instanceof GraphApiException graphError ? graphError.describe()
                            : failure.getClass().getSimpleName();
                    LOG.warnf("webhook subscription of page %s failed: %s", page.id(), reason);
                    return StepResult.failed("webhook subscription failed: " + reason);
                });
    }
}
