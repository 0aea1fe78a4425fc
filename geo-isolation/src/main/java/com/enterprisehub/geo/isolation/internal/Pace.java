package com.enterprisehub.geo.isolation.internal;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Spaces out a move's bulk work (the snapshot copy, the erase of a shared-table source) so that other tenants keep
 * their share of the servers: after every stretch of at least {@value #STRETCH_MILLIS} ms of work, the mover sleeps
 * {@code ratio} times as long as it worked. This is gh-ost's "nice ratio": 0 is full speed, 1 doubles the bulk
 * phases' time and halves their load, 9 leaves the servers nine tenths of the time. The servers must be done with the
 * stretch's work when the mover sleeps: the copy ends its {@code COPY} into the target first (see {@link #due}).
 *
 * <p>One instance per move and thread (it keeps the start of the current stretch). Not part of the API.
 */
public final class Pace {
    /**
     * The shortest stretch of work followed by a sleep. A stretch uses both cores of a small server (the source's and
     * the target's processes), so other tenants' statements can wait up to a stretch: with the other tenant at a fixed
     * 5,000 writes/s during a ratio-4 move (2026-12-04, two runs each), its p99 latency per second of the copy was
     * about 16–19 ms with 20 ms stretches and 8–9 ms with 5 ms stretches; each stretch costs the copy a {@code COPY}
     * restart (the copy phase took 14.6–15.3 s against 13.5 s).
     */
    static final long STRETCH_MILLIS = 5;

    /** Never sleeps (shared: it keeps no state). */
    public static final Pace FULL_SPEED = new Pace(0, System::nanoTime);

    private final double ratio;
    private final LongSupplier ticker;
    private long stretchStart;

    private Pace(double ratio, LongSupplier ticker) {
        this.ratio = ratio;
        this.ticker = ticker;
        this.stretchStart = ticker.getAsLong();
    }

    /** A pace that sleeps {@code ratio} times as long as it worked; 0 never sleeps. */
    public static Pace of(double ratio) {
        return of(ratio, System::nanoTime);
    }

    /** As {@link #of(double)}, measuring work with {@code ticker} (nanoseconds, for tests); sleeps stay real. */
    static Pace of(double ratio, LongSupplier ticker) {
        if (!(ratio >= 0) || Double.isInfinite(ratio)) {
            throw new IllegalArgumentException("ratio must be finite and at least 0; got " + ratio);
        }
        return ratio == 0 ? FULL_SPEED : new Pace(ratio, ticker);
    }

    /** The ratio of sleep to work. */
    public double ratio() {
        return ratio;
    }

    /** Starts a stretch of work now (after a pause that was not work, such as waiting for a lock). */
    public void restart() {
        if (ratio != 0) {
            stretchStart = ticker.getAsLong();
        }
    }

    /**
     * After {@code workedNanos} of work done in one piece: sleeps the ratio times as long, or {@code capRatio} times
     * as long if that is less (nothing if it is 0 or less).
     */
    public void pauseAfter(long workedNanos, double capRatio) {
        double r = Math.min(ratio, capRatio);
        if (r > 0) {
            sleep((long) (workedNanos * r));
        }
        restart();
    }

    /**
     * Called between units of work: sleeps when the stretch since the last sleep is long enough. An interrupt ends
     * the sleep and is kept (the caller's next blocking call sees it).
     */
    public void tick() {
        if (due()) {
            pause();
        }
    }

    /**
     * Whether the stretch of work since the last sleep is long enough for {@link #pause}: a caller whose work runs on
     * in a server after the call returns (rows sent but not yet stored) first waits for it to finish, so that the
     * servers rest while the mover sleeps.
     */
    public boolean due() {
        return ratio != 0 && ticker.getAsLong() - stretchStart >= TimeUnit.MILLISECONDS.toNanos(STRETCH_MILLIS);
    }

    /** Sleeps the ratio times as long as the stretch since the last sleep, then starts the next stretch. */
    public void pause() {
        if (ratio == 0) {
            return;
        }
        sleep((long) ((ticker.getAsLong() - stretchStart) * ratio));
        stretchStart = ticker.getAsLong();
    }

    private static void sleep(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
