package com.enterprisehub.geo.platform.internal;

import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One idempotent step of a journaled operation (a market's deployment, a tenant's provisioning or offboarding),
 * as {@link StepRunner} runs it: it has a name, the journal's key for it; it may find its work already in place;
 * and it does its work and says what it made or found (the evidence the journal, the audit trail and the step's
 * event record).
 *
 * <p>The name is stored in {@code geo_platform.steps} and is how a later run knows the step is done: keep it
 * the same from one version to the next, or journals written before will run the step again.
 *
 * <p>Implementations must be idempotent: a step may be run again after it did some or all of its work and the
 * process died before the journal said DONE. Instances are immutable and thread-safe; what they act on comes in
 * the context. Not part of the API.
 *
 * @param <C> what the operation hands each of its steps (the market being deployed, the tenant being
 *     provisioned, with the services they need)
 */
public interface Step<C> {
    /** The name the journal stores ({@code "KEY_MATERIAL"}): stable across versions. */
    String name();

    /**
     * The evidence that this step's work is already in place, found without changing anything, when an earlier
     * attempt did it but was not journaled as done; empty if the step has to {@link #run}. The runner asks before
     * every attempt the journal does not hold as DONE. By default: empty.
     *
     * @param attempt the attempt about to be made: its number and whether the one before it was interrupted
     */
    default Optional<String> findDone(C context, Attempt attempt) {
        return Optional.empty();
    }

    /**
     * Does the step's work, idempotently, and returns its evidence (not null): a key id, an object's digest, a
     * server version.
     *
     * @throws RuntimeException if it cannot; the runner journals the failure and the operation stops there
     */
    String run(C context);

    /**
     * An attempt at a step, as {@link #findDone} sees it before the work.
     *
     * @param number 1 for the first (the journal counts them)
     * @param interrupted the attempt before this one started and never ended (the process died during it), as
     *     opposed to one that failed (and was journaled FAILED) or none at all: only then can its work be half done
     */
    record Attempt(int number, boolean interrupted) {
    }

    /** A step that always runs {@code run}. */
    static <C> Step<C> of(String name, Function<? super C, String> run) {
        return of(name, (context, attempt) -> Optional.empty(), run);
    }

    /** A step that first asks {@code findDone} (context, attempt) and runs {@code run} only if it finds nothing. */
    static <C> Step<C> of(String name, BiFunction<? super C, Attempt, Optional<String>> findDone,
            Function<? super C, String> run) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(findDone, "findDone");
        Objects.requireNonNull(run, "run");
        return new Step<>() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Optional<String> findDone(C context, Attempt attempt) {
                return findDone.apply(context, attempt);
            }

            @Override
            public String run(C context) {
                return run.apply(context);
            }

            @Override
            public String toString() {
                return "Step[" + name + "]";
            }
        };
    }
}
