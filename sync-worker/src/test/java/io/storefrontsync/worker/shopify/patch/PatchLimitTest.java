package io.storefrontsync.worker.shopify.patch;

import io.storefrontsync.worker.job.JobStore;
import io.storefrontsync.worker.shopify.Throttle;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PatchLimitTest {

    /** The simulator's 650-product demo store: a bulk sync of 1,150 points, a few seconds, standard plan. */
    @Test
    void theDemoStoreShouldPatchUpTo39ProductChangesLikeTheMeasuredConstant() {
        PatchLimit demo = new PatchLimit(1_150, 4_000, 100, 1_000);
        assertThat(demo.maxProductChanges()).isEqualTo(39);
        assertThat(demo.patches(39, 0)).isTrue();
        assertThat(demo.patches(40, 0)).as("40 × 29 = 1,160 points: more than the bulk sync").isFalse();
        assertThat(demo.maxChanges()).as("node changes at 10 points").isEqualTo(114);
        assertThat(demo.patches(30, 28)).as("870 + 280 = 1,150: not cheaper").isFalse();
        assertThat(demo.patches(30, 27)).isTrue();
    }

    /** bench/PATCH-RESULTS.md's 10,000-product store: 15,300 points in 161 s at 100 points/s. */
    @Test
    void aLargeStoreShouldPatchABurstOverAHundredProducts() {
        PatchLimit large = new PatchLimit(15_300, 161_000, 100, 2_000);
        assertThat(large.patches(100, 0)).as("2,900 points against 15,300").isTrue();
        assertThat(large.maxProductChanges()).isEqualTo(527);
        assertThat(large.patches(528, 0)).isFalse();
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
        assertThat(recorded.maxProductChanges()).isEqualTo(39);
    }

    @Test
    void noStoreShouldReadMoreThanTheCeilingAndBadCountsShouldBeRefused() {
        PatchLimit huge = new PatchLimit(10_000_000, 100_000_000, 1_000, 20_000);
        assertThat(huge.maxChanges()).isEqualTo(PatchLimit.CEILING);
        assertThat(huge.patches(PatchLimit.CEILING, 1)).isFalse();
        assertThat(new PatchLimit(0, 0, 100, 1_000).maxChanges()).as("a free full sync: never patch").isZero();
        assertThatThrownBy(() -> huge.patches(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PatchLimit(-1, 0, 100, 1_000)).isInstanceOf(IllegalArgumentException.class);
    }
}
