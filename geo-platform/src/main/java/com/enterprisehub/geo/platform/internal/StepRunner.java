package com.enterprisehub.geo.platform.internal;

import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.platform.PlatformException;
import com.enterprisehub.geo.platform.PlatformStepEvent;
import com.enterprisehub.geo.platform.StepStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link Step}s of an operation on a subject ({@code "market:us-ca"}, {@code "tenant:acme"}) through the
 * control plane's journal: the steps the journal holds as DONE are skipped, so an operation run again resumes
 * where an earlier run stopped; each other step is journaled STARTED (one more attempt), then DONE with its
 * evidence and duration or FAILED with its error, and each outcome is written to the audit trail and published as
 * a {@link PlatformStepEvent}. It knows steps only by their names, never which operation they belong to.
 *
 * <p>It also takes the subject's operation lock ({@link #lock}) and records the outcomes of whole operations
 * ({@link #record}). Thread-safe; events are published on the calling thread. Not part of the API.
 */
public final class StepRunner {
    /** The category step outcomes were always logged under, which hosts may have configured. */
    private static final Logger LOG = LoggerFactory.getLogger("com.enterprisehub.geo.platform.Platform");

    private final Journal journal;
    private final PlatformEvents events;
    private final Clock clock;
    private final Duration lockTimeout;

    public StepRunner(Journal journal, PlatformEvents events, Clock clock, Duration lockTimeout) {
        this.journal = Objects.requireNonNull(journal, "journal");
        this.events = Objects.requireNonNull(events, "events");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lockTimeout = Objects.requireNonNull(lockTimeout, "lockTimeout");
    }

    /**
     * The lock of {@code subject}, held until closed: one operation on a market or tenant at a time, across every
     * process sharing the control plane (see {@link Journal#lock}).
     *
     * @throws PlatformException if another operation holds it longer than the operation lock timeout
     */
    public Journal.SubjectLock lock(String subject) {
        return journal.lock(subject, lockTimeout);
    }

    /**
     * Runs the steps of {@code steps} the journal of {@code subject} does not hold as DONE, in order; the journal
     * is read once, before the first. Call it holding the subject's {@link #lock}.
     *
     * @param context what each step acts on
     * @throws PlatformException if a step fails: the steps before it stay done and the ones after it are not run
     */
    public <C> void run(String subject, String actor, StepList<C> steps, C context) {
        Map<String, StepStatus> journaled = new HashMap<>();
        journal.steps(subject).forEach(s -> journaled.put(s.step(), s.status()));
        List<Step<C>> list = steps.steps();
        for (int i = 0; i < list.size(); i++) {
            Step<C> step = list.get(i);
            StepStatus before = journaled.get(step.name());
            if (before != StepStatus.DONE) {
                attempt(subject, actor, step, steps.firstOrdinal() + i, context, before == StepStatus.STARTED);
            }
        }
    }

    private <C> void attempt(String subject, String actor, Step<C> step, int ordinal, C context, boolean interrupted) {
        String name = step.name();
        Step.Attempt attempt = new Step.Attempt(journal.start(subject, name, ordinal, clock.instant()), interrupted);
        long started = System.nanoTime();
        String evidence;
        try {
            evidence = Objects.requireNonNull(step.findDone(context, attempt).orElseGet(() -> step.run(context)),
                    "evidence");
        } catch (RuntimeException e) {
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            String error = e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.warn("Step {} of {} failed after {} ms: {}", name, subject, took.toMillis(), e.toString());
            PlatformException failed = new PlatformException("Step " + name + " of " + subject + " failed: "
                    + e.getMessage() + ". The steps before it are done; fix the cause and run the operation again to"
                    + " resume.", e);
            try {
                journal.fail(subject, name, clock.instant(), took, error);
                record(subject, "step." + name, StepStatus.FAILED, actor, error);
            } catch (RuntimeException journaling) {
                // The control plane is often why the step failed: keep the step's own error first.
                failed.addSuppressed(journaling);
            }
            throw failed;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        journal.finish(subject, name, clock.instant(), took, evidence);
        record(subject, "step." + name, StepStatus.DONE, actor, evidence);
        LOG.debug("Step {} of {} done in {} ms", name, subject, took.toMillis());
    }

    /**
     * Writes the audit entry and publishes the event of a step ({@code step.KEY_MATERIAL}) or operation
     * ({@code market.deploy}) outcome; the event names the step or operation without its prefix.
     */
    public void record(String subject, String action, StepStatus status, String actor, String detail) {
        journal.audit(clock.instant(), actor, action, subject, status + ": " + detail);
        events.publish(new PlatformStepEvent(clock.instant(), subject, action.substring(action.indexOf('.') + 1),
                status, actor, detail));
    }
}
