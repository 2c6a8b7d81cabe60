package io.storefrontsync.gateway;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.storefrontsync.common.event.ChangeEvent;
import io.storefrontsync.common.event.ChangeEventBatch;
import io.storefrontsync.gateway.admin.AdminTokenService;
import io.storefrontsync.gateway.admin.ShopWebhooksAdmin;
import io.storefrontsync.common.api.ApiError;
import io.storefrontsync.gateway.facebook.FacebookDataDeletionService;
import io.storefrontsync.gateway.facebook.FacebookLoginService;
import io.storefrontsync.gateway.facebook.GraphTokenResponse;
import io.storefrontsync.gateway.shopify.AccessTokenResponse;
import io.storefrontsync.gateway.shopify.ShopifyInstallService;
import io.storefrontsync.gateway.shopify.StepResult;
import io.storefrontsync.gateway.webhook.FacebookWebhookResource;

/**
 * Every type Jackson reads or writes, registered for reflection in the native image. Quarkus REST
 * registers the declared types of resource methods itself, but not entities built inside a
 * {@code Response}, nor what the outbox serialises by hand ({@link ChangeEvent}), which would
 * otherwise come out as {@code {}} in a native executable.
 */
@RegisterForReflection(targets = {
        ChangeEvent.class, ChangeEventBatch.class,
        ApiError.class, StepResult.class,
        ShopifyInstallService.InstallAnswer.class, AccessTokenResponse.class,
        FacebookLoginService.LoginAnswer.class, FacebookLoginService.PageAnswer.class, GraphTokenResponse.class,
        FacebookDataDeletionService.DeletionAnswer.class, FacebookDataDeletionService.DeletionStatus.class,
        FacebookWebhookResource.FacebookWebhookAck.class,
        AdminTokenService.AdminToken.class,
        ShopWebhooksAdmin.Subscription.class, ShopWebhooksAdmin.Subscriptions.class, ShopWebhooksAdmin.Removal.class,
})
final class NativeReflection {

    private NativeReflection() {
    }
}
