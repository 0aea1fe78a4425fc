package com.enterprisehub.geo.core.tenant;

import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.core.NoTenantBoundException;
import com.enterprisehub.geo.core.UnknownTenantException;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import org.slf4j.MDC;

/**
 * The tenant the current thread works for.
 *
 * <p>A tenant is bound to a scope, never set and forgotten: {@link #run(Tenant, Runnable)} and
 * {@link #call(Tenant, Supplier)} bind it for one task; {@link #open(Tenant)} binds it until the
 * returned {@link Scope} is closed (use try-with-resources). Scopes nest: closing an inner scope
 * restores the outer binding, and an exception never leaves a binding behind. While a tenant is bound
 * the SLF4J MDC holds its id under {@link #MDC_KEY}.
 *
 * <p>Bindings do not leak to other threads by themselves (a new thread, virtual or not, starts with no
 * tenant). They travel explicitly:
 * <ul>
 *   <li>{@link #wrap(Executor)}, {@link #wrap(ExecutorService)}, {@link #wrap(Runnable)},
 *       {@link #wrap(Callable)}: each task runs with the tenant that was bound when it was submitted —
 *       or with none, if none was — and the worker thread gets its own state back afterwards, so a
 *       pooled thread never keeps a stale tenant;</li>
 *   <li>{@link #supplyAsync(Supplier, Executor)}, {@link #runAsync(Runnable, Executor)} and
 *       {@link #propagate(CompletableFuture)}: a {@code CompletableFuture} whose dependent stages
 *       ({@code thenApply}, {@code thenCompose}, {@code handle}, ..., async or not) all run bound to the
 *       tenant, whichever thread completes them;</li>
 *   <li>{@link #snapshot()}: a serializable {@link TenantSnapshot} for a job queue, restored on a worker
 *       with {@link #open(TenantSnapshot, TenantLookup)}.</li>
 * </ul>
 *
 * <p>Code that needs a tenant calls {@link #require()}, which fails with
 * {@link NoTenantBoundException} when none is bound: there is no default tenant.
 *
 * <p>All methods are thread-safe; the binding itself is per thread.
 */
public final class TenantContext {
    /** The MDC key under which the bound tenant's id is logged. */
    public static final String MDC_KEY = "tenant.id";

    /** Per thread: the bound tenant and the open scopes. One small object per thread that ever binds. */
    private static final ThreadLocal<Binding> BINDING = new ThreadLocal<>();

    private TenantContext() {
    }

    /** The tenant bound to this thread, if any. */
    public static Optional<Tenant> current() {
        return Optional.ofNullable(bound());
    }

    /** Whether a tenant is bound to this thread. */
    public static boolean isBound() {
        return bound() != null;
    }

    /**
     * The tenant bound to this thread.
     *
     * @throws NoTenantBoundException if none is
     */
    public static Tenant require() {
        return require("This operation");
    }

    /**
     * The tenant bound to this thread; {@code operation} names the caller in the error when none is.
     *
     * @throws NoTenantBoundException if none is
     */
    public static Tenant require(String operation) {
        Tenant tenant = bound();
        if (tenant == null) {
            throw new NoTenantBoundException(operation);
        }
        return tenant;
    }

    /** Runs {@code task} with {@code tenant} bound, then restores whatever was bound before. */
    public static void run(Tenant tenant, Runnable task) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(task, "task");
        runAs(tenant, task);
    }

    /** Calls {@code task} with {@code tenant} bound and returns its result, then restores the previous binding. */
    public static <T> T call(Tenant tenant, Supplier<T> task) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(task, "task");
        Binding binding = binding();
        Tenant previous = binding.tenant;
        int depth = binding.depth;
        binding.bind(tenant);
        try {
            return task.get();
        } finally {
            binding.depth = depth;
            binding.bind(previous);
        }
    }

    /**
     * Binds {@code tenant} until the returned scope is closed. Use it in try-with-resources, on one
     * thread; scopes must be closed in the reverse order of opening.
     */
    public static Scope open(Tenant tenant) {
        Objects.requireNonNull(tenant, "tenant");
        Binding binding = binding();
        Tenant previous = binding.tenant;
        int depth = binding.depth + 1;
        if (depth > binding.serials.length) {
            binding.serials = Arrays.copyOf(binding.serials, depth * 2);
        }
        long serial = ++binding.lastSerial;
        binding.serials[depth - 1] = serial;
        binding.depth = depth;
        binding.bind(tenant);
        return new Scope(binding, tenant, previous, depth, serial);
    }

    /**
     * Looks up the snapshot's tenant in {@code catalog} and binds it, for a job restored on a worker.
     *
     * @throws UnknownTenantException if the tenant no longer exists
     * @throws com.enterprisehub.geo.core.TenantUnavailableException if it does not serve requests now
     * @throws GeoException if it has moved to another market since the snapshot was taken
     */
    public static Scope open(TenantSnapshot snapshot, TenantLookup catalog) {
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(catalog, "catalog");
        Tenant tenant = catalog.find(snapshot.tenant())
                .orElseThrow(() -> new UnknownTenantException(snapshot.tenant()))
                .requireActive();
        if (!tenant.market().equals(snapshot.market())) {
            throw new GeoException("Tenant '" + tenant.id() + "' was in market '" + snapshot.market()
                    + "' when the snapshot was taken and is now in '" + tenant.market() + "'; the job was not run."
                    + " Re-queue it with a fresh snapshot if it should run in the new market.");
        }
        return open(tenant);
    }

    /**
     * A snapshot of the bound tenant for a job queue.
     *
     * @throws NoTenantBoundException if no tenant is bound
     */
    public static TenantSnapshot snapshot() {
        return TenantSnapshot.of(require("TenantContext.snapshot()"));
    }

    /** {@code task}, made to run with the tenant bound now (or with none, if none is bound now). */
    public static Runnable wrap(Runnable task) {
        Objects.requireNonNull(task, "task");
        Tenant captured = bound();
        return () -> runAs(captured, task);
    }

    /** {@code task}, made to run with the tenant bound now (or with none, if none is bound now). */
    public static <T> Callable<T> wrap(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        Tenant captured = bound();
        return () -> {
            Binding binding = binding();
            Tenant previous = binding.tenant;
            int depth = binding.depth;
            binding.bind(captured);
            try {
                return task.call();
            } finally {
                binding.depth = depth;
                binding.bind(previous);
            }
        };
    }

    /** An executor that runs each task with the tenant bound when the task was submitted. */
    public static Executor wrap(Executor executor) {
        Objects.requireNonNull(executor, "executor");
        if (executor instanceof ExecutorService service) {
            return wrap(service);
        }
        return task -> executor.execute(wrap(task));
    }

    /**
     * An executor service that runs each task with the tenant bound when the task was submitted.
     * Shutting it down shuts down {@code executor}.
     */
    public static ExecutorService wrap(ExecutorService executor) {
        Objects.requireNonNull(executor, "executor");
        return executor instanceof ContextExecutorService ? executor : new ContextExecutorService(executor);
    }

    /**
     * {@link CompletableFuture#supplyAsync(Supplier, Executor)} with the bound tenant: the supplier and
     * every dependent stage run with it bound.
     *
     * @throws NoTenantBoundException if no tenant is bound
     */
    public static <T> CompletableFuture<T> supplyAsync(Supplier<T> supplier, Executor executor) {
        Objects.requireNonNull(supplier, "supplier");
        Objects.requireNonNull(executor, "executor");
        TenantBoundFuture<T> future = new TenantBoundFuture<>(require("TenantContext.supplyAsync"));
        return future.completeAsync(supplier, executor);
    }

    /**
     * {@link CompletableFuture#runAsync(Runnable, Executor)} with the bound tenant: the task and every
     * dependent stage run with it bound.
     *
     * @throws NoTenantBoundException if no tenant is bound
     */
    public static CompletableFuture<Void> runAsync(Runnable task, Executor executor) {
        Objects.requireNonNull(task, "task");
        return supplyAsync(() -> {
            task.run();
            return null;
        }, executor);
    }

    /**
     * A future that completes with {@code future} and whose dependent stages all run with the tenant
     * bound now.
     *
     * @throws NoTenantBoundException if no tenant is bound
     */
    public static <T> CompletableFuture<T> propagate(CompletableFuture<T> future) {
        Objects.requireNonNull(future, "future");
        TenantBoundFuture<T> bound = new TenantBoundFuture<>(require("TenantContext.propagate"));
        future.whenComplete((value, failure) -> {
            if (failure != null) {
                bound.completeExceptionally(failure);
            } else {
                bound.complete(value);
            }
        });
        return bound;
    }

    /**
     * Runs {@code task} with {@code tenant} bound, or with none when {@code tenant} is null; afterwards the
     * thread's binding and open scopes are exactly as before, whatever the task did or threw.
     */
    static void runAs(Tenant tenant, Runnable task) {
        Binding binding = binding();
        Tenant previous = binding.tenant;
        int depth = binding.depth;
        binding.bind(tenant);
        try {
            task.run();
        } finally {
            binding.depth = depth;
            binding.bind(previous);
        }
    }

    private static Tenant bound() {
        Binding binding = BINDING.get();
        return binding == null ? null : binding.tenant;
    }

    private static Binding binding() {
        Binding binding = BINDING.get();
        if (binding == null) {
            binding = new Binding();
            BINDING.set(binding);
        }
        return binding;
    }

    /**
     * A thread's binding. Only its own thread touches it. Open scopes are tracked by depth and serial
     * number, not by reference, so that nothing on the heap points at a {@link Scope} and the JIT can
     * keep a scope used in try-with-resources off the heap.
     */
    private static final class Binding {
        Tenant tenant;
        /** How many scopes are open on this thread. */
        int depth;
        /** The serial number of the scope open at each depth (index depth - 1). */
        long[] serials = new long[4];
        long lastSerial;

        void bind(Tenant next) {
            if (next == tenant) {
                return;
            }
            tenant = next;
            if (next == null) {
                MDC.remove(MDC_KEY);
            } else {
                MDC.put(MDC_KEY, next.id().value());
            }
        }
    }

    /**
     * A binding opened by {@link TenantContext#open(Tenant)}; closing it restores the binding that was
     * in place before. Close it on the thread that opened it, innermost first. Closing twice does
     * nothing. Not thread-safe.
     */
    public static final class Scope implements AutoCloseable {
        private final Binding binding;
        private final Tenant tenant;
        private final Tenant previous;
        private final int depth;
        private final long serial;
        private final Thread owner;
        private boolean closed;

        private Scope(Binding binding, Tenant tenant, Tenant previous, int depth, long serial) {
            this.binding = binding;
            this.tenant = tenant;
            this.previous = previous;
            this.depth = depth;
            this.serial = serial;
            this.owner = Thread.currentThread();
        }

        /** The tenant this scope binds. */
        public Tenant tenant() {
            return tenant;
        }

        /**
         * Restores the binding from before this scope was opened.
         *
         * <p>If inner scopes are still open, they are closed with it (their bindings are discarded, so
         * closing them later does nothing) and an {@link IllegalStateException} reports the mistake. A
         * scope already discarded that way, or already closed, does nothing.
         *
         * @throws IllegalStateException if called from another thread (nothing changes), or if inner
         *     scopes were still open (the binding from before this scope is restored anyway)
         */
        @Override
        public void close() {
            if (Thread.currentThread() != owner) {
                throw wrongThread();
            }
            if (closed) {
                return;
            }
            closed = true;
            Binding b = binding;
            if (depth > b.depth || b.serials[depth - 1] != serial) {
                // Discarded already: an outer scope closed before it, or a task run with
                // TenantContext.run/call/wrap ended around it and restored the binding from before it.
                return;
            }
            if (b.depth > depth) {
                throw closeOutOfOrder(b);
            }
            b.depth = depth - 1;
            b.bind(previous);
        }

        // The cold paths live apart from close() so that close() stays small enough to inline.

        private IllegalStateException wrongThread() {
            return new IllegalStateException("A TenantContext scope for tenant '" + tenant.id()
                    + "' must be closed on the thread that opened it ('" + owner.getName() + "'), not on '"
                    + Thread.currentThread().getName() + "'.");
        }

        private IllegalStateException closeOutOfOrder(Binding b) {
            Tenant innermost = b.tenant;
            b.depth = depth - 1;
            b.bind(previous);
            return new IllegalStateException("TenantContext scopes were closed out of order: the scope for"
                    + " tenant '" + tenant.id() + "' was closed while an inner scope (tenant '"
                    + (innermost == null ? "none" : innermost.id()) + "') was still open. The inner scopes were"
                    + " discarded and the binding from before this scope restored; close scopes innermost first"
                    + " (use try-with-resources).");
        }
    }
}
