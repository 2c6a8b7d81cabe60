package io.storefrontsync.worker.intake;

import io.storefrontsync.common.event.ChangeEvent;
import io.storefrontsync.common.event.EventKind;
import io.storefrontsync.common.event.Source;
import io.storefrontsync.common.validation.PageId;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.worker.intake.IntakeRoute.Kind;
import io.storefrontsync.worker.job.JobAction;
import io.storefrontsync.worker.job.JobRequest;
import io.storefrontsync.worker.job.JobTarget;
import io.storefrontsync.worker.job.JobTrigger;
import io.storefrontsync.worker.shopify.patch.ProductChange;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The intake's decision per event, without a database: every {@link EventKind}, both sources. */
class IntakeRouteTest {

    private static final ShopDomain SHOP = new ShopDomain("demo-shop.myshopify.com");
    private static final PageId PAGE = PageId.parse("1234567890");
    private static final UserId USER = UserId.parse("0b8c1a52-3f0e-4d6a-9a53-6f1f2a7c9e11");

    @Test
    void shopifyChangeShouldBeADebouncedWebhookSyncOfTheShop() {
        IntakeRoute route = IntakeRoute.of(shopify("products/update", USER));

        assertThat(route).isEqualTo(new IntakeRoute(Kind.SYNC, JobTarget.shop(SHOP), Optional.of(USER), JobTrigger.WEBHOOK));
        assertThat(route.request(USER)).isEqualTo(JobRequest.sync(JobTarget.shop(SHOP), USER, JobTrigger.WEBHOOK));
        assertThat(route.waitsForLogin()).as("shops are never flagged").isFalse();
    }

    @Test
    void installShouldBeAnImmediateInstallSyncOfTheShop() {
        IntakeRoute route = IntakeRoute.of(shopify(EventKind.SHOP_INSTALLED.topic(), USER));

        assertThat(route.kind()).isEqualTo(Kind.SYNC);
        assertThat(route.trigger()).isEqualTo(JobTrigger.INSTALL);
        assertThat(route.request(USER)).isEqualTo(JobRequest.sync(JobTarget.shop(SHOP), USER, JobTrigger.INSTALL));
    }

    @Test
    void uninstallShouldCancelTheShopsPendingSyncAndEnqueueNothing() {
        IntakeRoute route = IntakeRoute.of(shopify(EventKind.SHOP_UNINSTALLED.topic(), USER));

        assertThat(route.kind()).isEqualTo(Kind.CANCEL_PENDING_SYNC);
        assertThat(route.target()).isEqualTo(JobTarget.shop(SHOP));
        assertThatThrownBy(() -> route.request(USER)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void bulkFinishShouldWakeTheShopsParkedJobAndEnqueueNothing() {
        IntakeRoute route = IntakeRoute.of(shopify(EventKind.SHOP_BULK_FINISHED.topic(), USER));

        assertThat(EventKind.SHOP_BULK_FINISHED.topic()).isEqualTo("bulk_operations/finish");
        assertThat(route.kind()).isEqualTo(Kind.WAKE_PARKED);
        assertThat(route.target()).isEqualTo(JobTarget.shop(SHOP));
        assertThat(route.joins(route)).as("not a sync: never joined into a run of syncs").isFalse();
        assertThatThrownBy(() -> route.request(USER)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shopRedactShouldBeARedactionJobOfTheShopTriggeredByTheWebhook() {
        IntakeRoute route = IntakeRoute.of(shopify(EventKind.SHOP_REDACT.topic(), null));

        assertThat(route.kind()).isEqualTo(Kind.REDACT_SHOP);
        assertThat(route.namedUser()).isEmpty();
        assertThat(route.request(USER))
                .isEqualTo(new JobRequest(JobTarget.shop(SHOP), USER, JobTrigger.WEBHOOK, JobAction.REDACT));
        assertThat(route.describeTarget()).isEqualTo("shop demo-shop.myshopify.com");
    }

    @Test
    void customerComplianceTopicsShouldBeIgnoredWithoutAJob() {
        for (EventKind kind : Set.of(EventKind.CUSTOMERS_DATA_REQUEST, EventKind.CUSTOMERS_REDACT)) {
            IntakeRoute route = IntakeRoute.of(shopify(kind.topic(), USER));

            assertThat(route.kind()).as(kind.topic()).isEqualTo(Kind.IGNORE_CUSTOMER_COMPLIANCE);
            assertThat(route.kind().action()).as(kind.topic()).isEmpty();
            assertThatThrownBy(() -> route.request(USER)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void pageChangeShouldBeAWebhookSyncThatWaitsForANewLoginWhenFlagged() {
        IntakeRoute route = IntakeRoute.of(facebook("page/feed", USER));

        assertThat(route).isEqualTo(new IntakeRoute(Kind.SYNC, JobTarget.page(PAGE), Optional.of(USER), JobTrigger.WEBHOOK));
        assertThat(route.waitsForLogin()).isTrue();
        assertThat(route.describeTarget()).isEqualTo("page 1234567890");
    }

    @Test
    void pageConnectedShouldBeAnInstallSyncThatDoesNotWaitForALogin() {
        IntakeRoute route = IntakeRoute.of(facebook(EventKind.PAGE_CONNECTED.topic(), USER));

        assertThat(route.kind()).isEqualTo(Kind.SYNC_CONNECTED_PAGE);
        assertThat(route.waitsForLogin()).as("it is the login").isFalse();
        assertThat(route.request(USER)).isEqualTo(JobRequest.sync(JobTarget.page(PAGE), USER, JobTrigger.INSTALL));
    }

    @Test
    void pageDeletedShouldBeARedactionJobOfThePage() {
        IntakeRoute route = IntakeRoute.of(facebook(EventKind.PAGE_DELETED.topic(), USER));

        assertThat(route.kind()).isEqualTo(Kind.DELETE_PAGE);
        assertThat(route.namedUser()).contains(USER);
        assertThat(route.request(USER))
                .isEqualTo(new JobRequest(JobTarget.page(PAGE), USER, JobTrigger.WEBHOOK, JobAction.REDACT));
    }

    @Test
    void aLifecycleTopicFromTheOtherSourceShouldBeAPlainChange() {
        // EventKind matches topic and source: a Facebook "shop/redact" or a Shopify "page/deleted" erases nothing.
        assertThat(IntakeRoute.of(facebook(EventKind.SHOP_REDACT.topic(), USER)).kind()).isEqualTo(Kind.SYNC);
        assertThat(IntakeRoute.of(shopify(EventKind.PAGE_DELETED.topic(), USER)).kind()).isEqualTo(Kind.SYNC);
        assertThat(IntakeRoute.of(shopify(EventKind.PAGE_CONNECTED.topic(), USER)).trigger())
                .isEqualTo(JobTrigger.WEBHOOK);
    }

    @Test
    void everyEventKindShouldHaveARouteOnItsOwnSource() {
        Set<Kind> reached = EnumSet.noneOf(Kind.class);
        for (EventKind kind : EventKind.values()) {
            ChangeEvent event = kind == EventKind.CHANGE ? shopify("collections/create", null)
                    : kind.source() == Source.SHOPIFY ? shopify(kind.topic(), null)
                    : facebook(kind.topic(), null);
            assertThat(event.kind()).isEqualTo(kind);
            reached.add(IntakeRoute.of(event).kind());
        }
        reached.add(IntakeRoute.of(product("products/update", "gid://shopify/Product/7", null)).kind());
        assertThat(reached).containsExactlyInAnyOrder(Kind.values());
    }

    @Test
    void aProductChangeNamingItsGidShouldBeAPatchOfTheShop() {
        Instant updated = Instant.parse("2026-03-01T12:00:01Z");
        for (String topic : List.of("products/create", "products/update", "products/delete")) {
            ChangeEvent event = product(topic, "gid://shopify/Product/7", updated);
            IntakeRoute route = IntakeRoute.of(event);

            assertThat(route.kind()).as(topic).isEqualTo(Kind.PATCH_PRODUCT);
            assertThat(route.request(USER))
                    .isEqualTo(new JobRequest(JobTarget.shop(SHOP), USER, JobTrigger.WEBHOOK, JobAction.PATCH));
            assertThat(ProductChange.of(event)).contains(new ProductChange("gid://shopify/Product/7", updated,
                    topic.equals("products/delete")));
        }
        assertThat(route(product("products/update", null, updated))).as("no GID: the whole shop").isEqualTo(Kind.SYNC);
        assertThat(route(product("products/update", "gid://shopify/Collection/7", updated))).isEqualTo(Kind.SYNC);
        assertThat(route(product("products/update", "gid://shopify/Product/7?x=1", updated))).isEqualTo(Kind.SYNC);
        assertThat(route(product("collections/update", "gid://shopify/Product/7", updated))).isEqualTo(Kind.SYNC);
        assertThat(ProductChange.of(product("products/delete", "gid://shopify/Product/7", null)).orElseThrow().changedAt())
                .as("no time given: the gateway's receipt").isNotNull();
    }

    private static Kind route(ChangeEvent event) {
        return IntakeRoute.of(event).kind();
    }

    static ChangeEvent product(String topic, String gid, Instant updatedAt) {
        return ChangeEvent.shopify("p-" + topic.replace('/', '-'), topic, SHOP, null, gid, updatedAt, Instant.now())
                .validate();
    }

    @Test
    void anEventWithoutAUserShouldLeaveTheUserToBeLookedUp() {
        assertThat(IntakeRoute.of(shopify("products/update", null)).namedUser()).isEmpty();
        assertThat(IntakeRoute.of(facebook("page/feed", null)).namedUser()).isEmpty();
    }

    static ChangeEvent shopify(String topic, UserId user) {
        return ChangeEvent.shopify("e-" + topic.replace('/', '-'), topic, SHOP, user, null, null, Instant.now())
                .validate();
    }

    static ChangeEvent facebook(String topic, UserId user) {
        return ChangeEvent.facebook("f-" + topic.replace('/', '-'), topic, PAGE, user, null, null, Instant.now())
                .validate();
    }
}
