package com.example.geo.memory;

import com.enterprisehub.geo.core.GeoException;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Whether a memory cloud is still open, shared by the cloud and every service of its regions. Operations run under
 * the read lock, so many run at once; {@link #close} takes the write lock, so it waits for the operations in
 * progress, releases everything once, and every later operation is refused. Thread-safe.
 */
final class Lifecycle {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed; // guarded by lock

    /**
     * The result of {@code action}, run while the cloud is open (it cannot be closed meanwhile).
     *
     * @throws GeoException if the cloud was closed
     */
    <T> T whileOpen(Supplier<T> action) {
        lock.readLock().lock();
        try {
            if (closed) {
                throw closed();
            }
            return action.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Runs {@code action} while the cloud is open; see {@link #whileOpen(Supplier)}. */
    void whileOpen(Runnable action) {
        whileOpen(() -> {
            action.run();
            return null;
        });
    }

    /** Refuses if the cloud was closed; for a quick check before long work done outside the lock. */
    void requireOpen() {
        whileOpen(() -> null);
    }

    /**
     * Marks the cloud closed and runs {@code release}, once, after the operations in progress have finished.
     *
     * @return whether this call closed it (false if it was closed already)
     */
    boolean close(Runnable release) {
        lock.writeLock().lock();
        try {
            if (closed) {
                return false;
            }
            closed = true;
            release.run();
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Whether the cloud was closed. */
    boolean isClosed() {
        lock.readLock().lock();
        try {
            return closed;
        } finally {
            lock.readLock().unlock();
        }
    }

    private static GeoException closed() {
        return new GeoException("This memory cloud was closed, and everything it held (master keys, secrets, objects)"
                + " was released with it. Open a new one with Providers.fromClassPath().select(CloudProvider.class,"
                + " \"memory\").open(context), or keep this one open for as long as it is used.");
    }
}
