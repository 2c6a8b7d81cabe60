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
import io.storefrontsync.worker.shopify.patch.ShopChange;
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

            assertThat(route.kind()).as(topic).isEqualTo(Kind.PATCH);
            assertThat(route.request(USER))
                    .isEqualTo(new JobRequest(JobTarget.shop(SHOP), USER, JobTrigger.WEBHOOK, JobAction.PATCH));
            assertThat(ShopChange.of(event)).contains(new ShopChange(ShopChange.Kind.PRODUCT, "gid://shopify/Product/7",
                    updated, topic.equals("products/delete")));
        }
        assertThat(route(product("products/update", null, updated))).as("no GID: the whole shop").isEqualTo(Kind.SYNC);
        assertThat(route(product("products/update", "gid://shopify/Collection/7", updated))).isEqualTo(Kind.SYNC);
        assertThat(route(product("products/update", "gid://shopify/Product/7?x=1", updated))).isEqualTo(Kind.SYNC);
        assertThat(route(product("collections/update", "gid://shopify/Product/7", updated))).isEqualTo(Kind.SYNC);
        assertThat(ShopChange.of(product("products/delete", "gid://shopify/Product/7", null)).orElseThrow().changedAt())
                .as("no time given: the gateway's receipt").isNotNull();
    }

    @Test
    void inventoryCollectionDiscountAndShopChangesShouldBePatchesOfTheShop() {
        Instant updated = Instant.parse("2026-03-01T12:00:01Z");
        String level = "gid://shopify/InventoryLevel/4?inventory_item_id=9";
        for (String topic : List.of("inventory_levels/update", "inventory_levels/connect", "inventory_levels/disconnect")) {
            assertThat(ShopChange.of(product(topic, level, updated)))
                    .contains(new ShopChange(ShopChange.Kind.INVENTORY, level, updated, false));
        }
        assertThat(ShopChange.of(product("collections/update", "gid://shopify/Collection/3", updated)))
                .contains(new ShopChange(ShopChange.Kind.COLLECTION, "gid://shopify/Collection/3", updated, false));
        assertThat(ShopChange.of(product("collections/delete", "gid://shopify/Collection/3", updated)))
                .contains(new ShopChange(ShopChange.Kind.COLLECTION, "gid://shopify/Collection/3", updated, true));
        assertThat(ShopChange.of(product("discounts/delete", "gid://shopify/DiscountAutomaticNode/5", updated)))
                .as("stored as the DiscountNode a full read lists")
                .contains(new ShopChange(ShopChange.Kind.DISCOUNT, "gid://shopify/DiscountNode/5", updated, true));
        assertThat(ShopChange.of(product("shop/update", null, updated)))
                .contains(new ShopChange(ShopChange.Kind.SHOP, ShopChange.SHOP_RESOURCE, updated, false));
        for (String topic : List.of("inventory_levels/update", "collections/update", "discounts/update", "shop/update")) {
            String id = topic.equals("shop/update") ? null : topic.startsWith("inventory") ? level
                    : topic.startsWith("collections") ? "gid://shopify/Collection/3" : "gid://shopify/DiscountCodeNode/5";
            assertThat(route(product(topic, id, updated))).as(topic).isEqualTo(Kind.PATCH);
        }
        assertThat(route(product("locations/update", "gid://shopify/Location/2", updated)))
                .as("a location changes every product's inventory: a full sync").isEqualTo(Kind.SYNC);
        assertThat(route(product("inventory_levels/update", "gid://shopify/InventoryLevel/4", updated))).isEqualTo(Kind.SYNC);
        assertThat(route(product("discounts/update", "gid://shopify/Collection/3", updated))).isEqualTo(Kind.SYNC);
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
