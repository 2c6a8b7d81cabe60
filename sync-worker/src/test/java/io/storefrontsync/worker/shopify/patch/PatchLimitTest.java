package io.storefrontsync.worker.shopify.patch;

import io.storefrontsync.worker.job.JobStore;
import io.storefrontsync.worker.shopify.Throttle;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PatchLimitTest {

    /**
     * The simulator's 650-product demo store: a bulk sync of 131 points (the claim; Shopify does not charge the bulk
     * work) in a few seconds, standard plan. Points would say "patch 4"; the time the throttle needs says 48.
     */
    @Test
    void theDemoStoreShouldPatchWhatTheThrottleServesWithinTheBulkSyncsTime() {
        PatchLimit demo = new PatchLimit(131, 4_000, 100, 1_000);
        // 48 × 29 = 1,392 points: (1,392 - 1,000) / 100 = 3.92 s of waiting ≤ 4 s; 49: 4.21 s
        assertThat(demo.maxProductChanges()).isEqualTo(48);
        assertThat(demo.patches(5, 0)).as("5 × 29 = 145 points: more than the bulk sync's 131, yet no wait").isTrue();
        assertThat(demo.patches(49, 0)).isFalse();
        assertThat(demo.maxChanges()).as("node changes at 10 points").isEqualTo(140);
        assertThat(demo.patches(30, 53)).as("870 + 530 = 1,400 points: 4 s").isTrue();
        assertThat(demo.patches(30, 54)).isFalse();
    }

    /** A 10,000-product store: a bulk sync of 131 points in 20 s; a paged one (before #14) 15,300 points in 161 s. */
    @Test
    void aLargeStoreShouldPatchABurstOverAHundredProducts() {
        PatchLimit bulk = new PatchLimit(131, 20_000, 100, 2_000);
        assertThat(bulk.patches(100, 0)).as("2,900 points: 9 s of waiting against a 20 s full sync").isTrue();
        assertThat(bulk.maxProductChanges()).isEqualTo(137);
        assertThat(bulk.patches(138, 0)).isFalse();

        PatchLimit paged = new PatchLimit(15_300, 161_000, 100, 2_000);
        assertThat(paged.maxProductChanges()).as("18,096 points: 160.96 s").isEqualTo(624);
        assertThat(paged.patches(625, 0)).isFalse();
    }

    /** Cheap in points but slow behind the throttle: a full sync that was quick is then the better deal. */
    @Test
    void thePatchShouldNotWaitLongerForTheThrottleThanTheFullSyncTook() {
        PatchLimit quickSync = new PatchLimit(15_300, 20_000, 100, 1_000);
        // 100 products: 2,900 points, (2,900 - 1,000) / 100 = 19 s of waiting ≤ 20 s
        assertThat(quickSync.patches(100, 0)).isTrue();
        // 110 products: 3,190 points, 21.9 s > 20 s
        assertThat(quickSync.patches(110, 0)).isFalse();
        assertThat(quickSync.maxProductChanges()).isEqualTo(103);
    }

    @Test
    void anUnknownThrottleShouldAssumeTheStandardPlan() {
        PatchLimit unknown = new PatchLimit(15_300, 20_000, 0, 0);
        assertThat(unknown.restoreRate()).isEqualTo(100);
        assertThat(unknown.bucket()).isEqualTo(1_000);
        assertThat(unknown.maxProductChanges()).isEqualTo(103);
    }

    @Test
    void withoutARecordedFullSyncTheConstantShouldHoldForChangesOfAnyKind() {
        PatchLimit none = PatchLimit.of(Optional.empty(), new Throttle(100, 1_000));
        assertThat(none.recorded()).isFalse();
        assertThat(none.maxChanges()).isEqualTo(PatchLimit.WITHOUT_HISTORY);
        assertThat(none.maxProductChanges()).isEqualTo(PatchLimit.WITHOUT_HISTORY);
        assertThat(none.patches(20, 20)).isTrue();
        assertThat(none.patches(20, 21)).isFalse();

        PatchLimit recorded = PatchLimit.of(Optional.of(new JobStore.FullSync(1_150, 4_000)), Throttle.UNKNOWN);
        assertThat(recorded).isEqualTo(new PatchLimit(1_150, 4_000, 100, 1_000));
        assertThat(recorded.maxProductChanges()).isEqualTo(48);
    }

    @Test
    void noStoreShouldReadMoreThanTheCeilingAndBadCountsShouldBeRefused() {
        PatchLimit huge = new PatchLimit(10_000_000, 100_000_000, 1_000, 20_000);
        assertThat(huge.maxChanges()).isEqualTo(PatchLimit.CEILING);
        assertThat(huge.patches(PatchLimit.CEILING, 1)).isFalse();
        PatchLimit instant = new PatchLimit(0, 0, 100, 1_000);
        assertThat(instant.maxProductChanges()).as("an instant full sync: only what the bucket serves without waiting")
                .isEqualTo(34);
        assertThat(instant.patches(35, 0)).isFalse();
        assertThatThrownBy(() -> huge.patches(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PatchLimit(-1, 0, 100, 1_000)).isInstanceOf(IllegalArgumentException.class);
    }
}
