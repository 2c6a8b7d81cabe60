package io.storefrontsync.worker.shopify;

import io.storefrontsync.common.json.CanonicalJson;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CostBudgetTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void shouldNotWaitBeforeAnythingIsKnown() {
        assertThat(new CostBudget().waitMillis(1000, 0)).isZero();
    }

    @Test
    void shouldWaitUntilTheRefillCoversTheRequestedCost() {
        CostBudget budget = new CostBudget();
        budget.observe(status(300, 1000, 100), 0);

        assertThat(budget.waitMillis(200, 0)).isZero();
        assertThat(budget.waitMillis(900, 0)).isEqualTo(6000 + CostBudget.SAFETY_MILLIS);
        assertThat(budget.waitMillis(900, 3 * SECOND)).isEqualTo(3000 + CostBudget.SAFETY_MILLIS);
        assertThat(budget.waitMillis(900, 6 * SECOND)).isZero();
    }

    @Test
    void shouldNeverCountOnMoreThanTheBucketHolds() {
        CostBudget budget = new CostBudget();
        budget.observe(status(0, 500, 50), 0);

        assertThat(budget.waitMillis(500, 3600 * SECOND)).isZero();
        assertThat(budget.waitMillis(501, 3600 * SECOND)).isPositive();
        assertThat(budget.maximumOr(1000)).isEqualTo(500);
    }

    @Test
    void throttledAnswerShouldWaitForTheMissingPointsAtTheRestoreRate() {
        assertThat(CostBudget.refillMillis(752, status(52, 1000, 100))).isEqualTo(7000 + CostBudget.SAFETY_MILLIS);
    }

    private static com.fasterxml.jackson.databind.JsonNode status(int available, int maximum, int rate) {
        return CanonicalJson.parse("{\"maximumAvailable\":" + maximum + ".0,\"currentlyAvailable\":" + available
                + ",\"restoreRate\":" + rate + ".0}");
    }
}
