package io.storefrontsync.worker.intake;

import io.storefrontsync.common.event.ChangeEvent;
import io.storefrontsync.common.event.EventKind;
import io.storefrontsync.common.validation.PageId;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which events of a batch share one ownership check and one enqueue statement, without a database. */
class IntakeRunTest {

    private static final ShopDomain SHOP = new ShopDomain("demo-shop.myshopify.com");
    private static final ShopDomain OTHER_SHOP = new ShopDomain("other-shop.myshopify.com");
    private static final PageId PAGE = PageId.parse("1234567890");
    private static final UserId USER = UserId.parse("0b8c1a52-3f0e-4d6a-9a53-6f1f2a7c9e11");
    private static final UserId OTHER_USER = UserId.parse("7d1e2f30-4a5b-4c6d-8e7f-901a2b3c4d5e");

    private final AtomicInteger ids = new AtomicInteger();

    @Test
    void aBurstOfOneShopsChangesShouldBeOneRunInBatchOrder() {
        List<ChangeEvent> burst = List.of(shopify(SHOP, "products/update", USER), shopify(SHOP, "products/create", USER),
                shopify(SHOP, "inventory_levels/update", USER));

        List<IntakeRun> runs = IntakeRun.of(burst);

        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).events()).containsExactlyElementsOf(burst);
        assertThat(runs.get(0).joined()).isTrue();
        assertThat(runs.get(0).first()).isSameAs(burst.get(0));
        assertThat(runs.get(0).route()).isEqualTo(IntakeRoute.of(burst.get(0)));
    }

    @Test
    void anotherShopInBetweenShouldNotEndTheRunAndAnswersKeepTheirBatchPositions() {
        ChangeEvent a1 = shopify(SHOP, "products/update", USER);
        ChangeEvent a2 = shopify(SHOP, "products/update", USER);
        ChangeEvent b = shopify(OTHER_SHOP, "products/update", USER);
        ChangeEvent a3 = shopify(SHOP, "products/update", USER);

        List<IntakeRun> runs = IntakeRun.of(List.of(a1, a2, b, a3));

        assertThat(runs).extracting(IntakeRun::events).containsExactly(List.of(a1, a2, a3), List.of(b));
        assertThat(runs).extracting(IntakeRun::positions).containsExactly(List.of(0, 1, 3), List.of(2));
    }

    @Test
    void patchesOfOneShopShouldJoinAcrossOtherShopsButNotAcrossTheShopsOwnUninstall() {
        ChangeEvent a1 = patch(SHOP, "1");
        ChangeEvent b1 = patch(OTHER_SHOP, "7");
        ChangeEvent a2 = patch(SHOP, "1");
        ChangeEvent uninstall = shopify(SHOP, EventKind.SHOP_UNINSTALLED.topic(), USER);
        ChangeEvent b2 = patch(OTHER_SHOP, "8");
        ChangeEvent a3 = patch(SHOP, "2");

        List<IntakeRun> runs = IntakeRun.of(List.of(a1, b1, a2, uninstall, b2, a3));

        assertThat(runs).extracting(IntakeRun::events).containsExactly(List.of(a1, a2), List.of(b1, b2),
                List.of(uninstall), List.of(a3));
        assertThat(runs.get(0).route().kind()).isEqualTo(IntakeRoute.Kind.PATCH);
        assertThat(runs).extracting(IntakeRun::positions).containsExactly(List.of(0, 2), List.of(1, 4), List.of(3),
                List.of(5));
    }

    @Test
    void aPatchAndASyncOfTheSameShopShouldNotJoin() {
        ChangeEvent patch = patch(SHOP, "1");
        ChangeEvent sync = shopify(SHOP, "products/update", USER);
        ChangeEvent again = patch(SHOP, "2");

        assertThat(IntakeRun.of(List.of(patch, sync, again))).extracting(IntakeRun::events)
                .containsExactly(List.of(patch), List.of(sync), List.of(again));
    }

    @Test
    void changesOfTheSameShopForAnotherUserShouldNotJoin() {
        assertThat(IntakeRun.of(List.of(shopify(SHOP, "products/update", USER),
                shopify(SHOP, "products/update", OTHER_USER)))).hasSize(2);
    }

    @Test
    void anInstallAndAChangeShouldNotJoinBecauseTheirTriggersDiffer() {
        List<IntakeRun> runs = IntakeRun.of(List.of(shopify(SHOP, EventKind.SHOP_INSTALLED.topic(), USER),
                shopify(SHOP, "products/update", USER)));

        assertThat(runs).hasSize(2);
        assertThat(IntakeRun.of(List.of(shopify(SHOP, EventKind.SHOP_INSTALLED.topic(), USER),
                shopify(SHOP, EventKind.SHOP_INSTALLED.topic(), USER)))).as("two installs").hasSize(1);
    }

    @Test
    void changesThatNameNoUserShouldNotJoin() {
        // Their user is looked up event by event; only a named user is checked once for the whole run.
        assertThat(IntakeRun.of(List.of(shopify(SHOP, "products/update", null),
                shopify(SHOP, "products/update", null)))).hasSize(2).noneMatch(IntakeRun::joined);
    }

    @Test
    void pageChangesShouldNeverJoin() {
        assertThat(IntakeRun.of(List.of(facebook("page/feed"), facebook("page/feed")))).hasSize(2);
    }

    @Test
    void lifecycleEventsShouldEachBeARunOfTheirOwn() {
        List<ChangeEvent> events = List.of(shopify(SHOP, EventKind.SHOP_UNINSTALLED.topic(), USER),
                shopify(SHOP, EventKind.SHOP_UNINSTALLED.topic(), USER), shopify(SHOP, EventKind.SHOP_REDACT.topic(), USER),
                shopify(SHOP, EventKind.SHOP_REDACT.topic(), USER), shopify(SHOP, EventKind.CUSTOMERS_REDACT.topic(), USER),
                shopify(SHOP, EventKind.CUSTOMERS_REDACT.topic(), USER));

        assertThat(IntakeRun.of(events)).hasSize(events.size()).noneMatch(IntakeRun::joined);
    }

    @Test
    void aChangeAfterARedactOfTheSameShopShouldStartANewRun() {
        ChangeEvent redact = shopify(SHOP, EventKind.SHOP_REDACT.topic(), USER);
        ChangeEvent change = shopify(SHOP, "products/update", USER);

        assertThat(IntakeRun.of(List.of(redact, change))).extracting(IntakeRun::events)
                .containsExactly(List.of(redact), List.of(change));
    }

    @Test
    void anEmptyBatchShouldHaveNoRunsAndARunAtLeastOneEvent() {
        assertThat(IntakeRun.of(List.of())).isEmpty();
        IntakeRoute route = IntakeRoute.of(shopify(SHOP, "products/update", USER));
        assertThatThrownBy(() -> new IntakeRun(route, List.of(), List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    private ChangeEvent shopify(ShopDomain shop, String topic, UserId user) {
        return ChangeEvent.shopify("e" + ids.incrementAndGet(), topic, shop, user, null, null, Instant.now()).validate();
    }

    private ChangeEvent patch(ShopDomain shop, String product) {
        return ChangeEvent.shopify("e" + ids.incrementAndGet(), "products/update", shop, USER,
                "gid://shopify/Product/" + product, null, Instant.now()).validate();
    }

    private ChangeEvent facebook(String topic) {
        return ChangeEvent.facebook("f" + ids.incrementAndGet(), topic, PAGE, USER, null, null, Instant.now()).validate();
    }
}
