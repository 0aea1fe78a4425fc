package com.enterprisehub.geo.isolation.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.isolation.TenantDataSource;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The pace of a move's bulk phases: it sleeps at least its ratio times the work, and only valid ratios are taken. */
class PaceTest {
    @Test
    void aTickAfterAStretchOfWorkSleepsAtLeastTheRatioTimesIt() {
        Pace pace = Pace.of(2);
        pace.restart();
        long start = System.nanoTime();
        while (System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(30)) {
            Thread.onSpinWait(); // 30 ms of "work"
        }
        long beforeTick = System.nanoTime();
        pace.tick();
        assertThat(System.nanoTime() - beforeTick).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(60));
    }

    /** The stretch is measured with a ticker the test moves, so a slow machine cannot make it due early. */
    @Test
    void aPauseIsDueOnlyAfterAStretchOfWorkAndSleepsTheRatioTimesIt() {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        Pace pace = Pace.of(3, now::get);
        pace.restart();
        assertThat(pace.due()).as("right after the start of a stretch").isFalse();
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(Pace.STRETCH_MILLIS) - 1);
        assertThat(pace.due()).as("a nanosecond short of a stretch").isFalse();
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(25) - TimeUnit.MILLISECONDS.toNanos(Pace.STRETCH_MILLIS) + 1);
        assertThat(pace.due()).isTrue();
        long beforePause = System.nanoTime();
        pace.pause();
        assertThat(System.nanoTime() - beforePause).as("3 x 25 ms of work")
                .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(75));
        assertThat(pace.due()).as("a new stretch begins after the pause").isFalse();
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(Pace.STRETCH_MILLIS));
        assertThat(pace.due()).isTrue();
        pace.restart();
        assertThat(pace.due()).as("a restart begins a new stretch").isFalse();
        assertThat(Pace.FULL_SPEED.due()).isFalse();
    }

    @Test
    void aPauseAfterWorkSleepsTheSmallerOfTheRatioAndTheCap() {
        long beforePause = System.nanoTime();
        Pace.of(4).pauseAfter(TimeUnit.MILLISECONDS.toNanos(20), 1.5);
        assertThat(System.nanoTime() - beforePause).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(30));
    }

    @Test
    void aRatioThatIsNegativeOrNotFiniteIsRefused() {
        for (double bad : new double[] {-0.1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> Pace.of(bad)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> TenantDataSource.builder().moveNiceRatio(bad))
                    .isInstanceOf(GeoValidationException.class).hasMessageContaining("moveNiceRatio");
        }
        assertThatThrownBy(() -> TenantDataSource.builder().moveNiceRatio(101))
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("between 0");
        assertThat(Pace.of(0)).isSameAs(Pace.FULL_SPEED);
    }
}
