package com.enterprisehub.geo.isolation;

import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ConnectionObserver}s of a data source, called in registration order, each shielded from the others
 * and from the borrow: a failure of one is logged (WARN once per observer, DEBUG after) and the next is called.
 * Thread-safe. Not part of the API.
 */
final class ObservedConnections {
    private static final Logger LOG = LoggerFactory.getLogger(ObservedConnections.class);

    private final ConnectionObserver[] observers;
    private final AtomicBoolean[] warned;

    private ObservedConnections(List<ConnectionObserver> observers) {
        this.observers = observers.toArray(new ConnectionObserver[0]);
        this.warned = new AtomicBoolean[this.observers.length];
        for (int i = 0; i < warned.length; i++) {
            warned[i] = new AtomicBoolean();
        }
    }

    /** The observers; null when there are none, so that a borrow tests one field and does nothing more. */
    static ObservedConnections of(List<ConnectionObserver> observers) {
        return observers.isEmpty() ? null : new ObservedConnections(List.copyOf(observers));
    }

    /** Tells every observer of a connection handed out. Never throws (but a JVM error). */
    void borrowed(Tenant tenant, String endpoint, long nanos, boolean switched, long waitNanos) {
        long took = Math.max(0, nanos);
        ConnectionObserver.Borrow borrow = new ConnectionObserver.Borrow(tenant, endpoint, took, switched,
                Math.min(took, Math.max(0, waitNanos)));
        for (int i = 0; i < observers.length; i++) {
            try {
                observers[i].borrowed(borrow);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                failed(i, "borrowed", e);
            }
        }
    }

    /** Tells every observer of a refusal. Never throws (but a JVM error). */
    void refused(RefusalCause cause, TenantId tenant) {
        Optional<TenantId> who = Optional.ofNullable(tenant);
        for (int i = 0; i < observers.length; i++) {
            try {
                observers[i].refused(cause, who);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                failed(i, "refused", e);
            }
        }
    }

    private void failed(int index, String method, Throwable e) {
        String observer = observers[index].getClass().getName();
        if (warned[index].compareAndSet(false, true)) {
            // The message is not logged: an observer's exception may carry whatever it was given or read.
            StackTraceElement[] stack = e.getStackTrace();
            LOG.warn("Connection observer {} threw {} from {}() at {}; the borrow went on. Observers must not throw;"
                    + " its later failures are logged at DEBUG only.", observer, e.getClass().getName(), method,
                    stack.length > 0 ? stack[0] : "(no stack trace)");
        } else {
            LOG.debug("Connection observer {} threw {} from {}()", observer, e.getClass().getName(), method);
        }
    }
}
