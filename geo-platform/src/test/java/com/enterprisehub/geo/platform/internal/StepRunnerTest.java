package com.enterprisehub.geo.platform.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.event.PlatformEvent;
import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.platform.AuditEntry;
import com.enterprisehub.geo.platform.PlatformException;
import com.enterprisehub.geo.platform.PlatformStepEvent;
import com.enterprisehub.geo.platform.StepRecord;
import com.enterprisehub.geo.platform.StepStatus;
import com.enterprisehub.geo.test.PostgresFixture;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The step runner on a real control plane, with steps that belong to no platform operation: it knows steps by
 * their names only.
 */
class StepRunnerTest {
    private Journal journal;
    private StepRunner runner;
    private final List<PlatformEvent> events = Collections.synchronizedList(new ArrayList<>());
    /** How many times each step's work ran. */
    private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

    @BeforeEach
    void setUp() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(PostgresFixture.jdbcUrl(PostgresFixture.newDatabase("runner")));
        ds.setUser("postgres");
        ds.setPassword("postgres");
        journal = new Journal(ds);
        PlatformEvents published = PlatformEvents.create();
        published.subscribe(events::add);
        runner = new StepRunner(journal, published, Clock.systemUTC(), Duration.ofSeconds(5));
    }

    private Step<StringBuilder> counted(String name, java.util.function.Function<StringBuilder, String> work) {
        return Step.of(name, context -> {
            runs.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
            return work.apply(context);
        });
    }

    private int runs(String name) {
        return runs.getOrDefault(name, new AtomicInteger()).get();
    }

    @Test
    void doneStepsAreSkippedAndAFailedOneIsRetriedWithItsAttemptCount() {
        AtomicInteger failures = new AtomicInteger(1);
        List<Integer> attemptsSeen = new ArrayList<>();
        StepList<StringBuilder> steps = new StepList<>(10, List.of(
                counted("FIRST", b -> "one"),
                Step.<StringBuilder>of("SECOND", (b, attempt) -> {
                    attemptsSeen.add(attempt.number());
                    return Optional.empty();
                }, b -> {
                    runs.computeIfAbsent("SECOND", n -> new AtomicInteger()).incrementAndGet();
                    if (failures.getAndDecrement() > 0) {
                        throw new IllegalStateException("service down");
                    }
                    return "two";
                }),
                counted("THIRD", b -> "three " + b)));

        assertThatThrownBy(() -> runner.run("thing:x", "ops", steps, new StringBuilder("ctx")))
                .isInstanceOf(PlatformException.class).hasMessageContaining("Step SECOND of thing:x failed: service down")
                .hasMessageContaining("run the operation again");
        assertThat(journal.steps("thing:x")).extracting(StepRecord::step, StepRecord::status, StepRecord::ordinal)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("FIRST", StepStatus.DONE, 10),
                        org.assertj.core.groups.Tuple.tuple("SECOND", StepStatus.FAILED, 11));
        assertThat(journal.steps("thing:x").get(1).error()).hasValue("IllegalStateException: service down");
        assertThat(runs("THIRD")).isZero();

        runner.run("thing:x", "ops", steps, new StringBuilder("ctx"));
        assertThat(journal.steps("thing:x")).extracting(StepRecord::step, StepRecord::attempts, StepRecord::evidence)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("FIRST", 1, "one"),
                        org.assertj.core.groups.Tuple.tuple("SECOND", 2, "two"),
                        org.assertj.core.groups.Tuple.tuple("THIRD", 1, "three ctx"));
        assertThat(attemptsSeen).containsExactly(1, 2);
        assertThat(runs("FIRST")).isEqualTo(1);
        assertThat(runs("SECOND")).isEqualTo(2);

        runner.run("thing:x", "ops", steps, new StringBuilder("ctx"));
        assertThat(runs("FIRST") + runs("SECOND") + runs("THIRD")).as("nothing runs once all are done").isEqualTo(4);
        assertThat(journal.auditTrail("thing:x")).extracting(AuditEntry::action, AuditEntry::detail).containsExactly(
                org.assertj.core.groups.Tuple.tuple("step.FIRST", "DONE: one"),
                org.assertj.core.groups.Tuple.tuple("step.SECOND", "FAILED: IllegalStateException: service down"),
                org.assertj.core.groups.Tuple.tuple("step.SECOND", "DONE: two"),
                org.assertj.core.groups.Tuple.tuple("step.THIRD", "DONE: three ctx"));
        assertThat(events).extracting(e -> ((PlatformStepEvent) e).step() + " " + ((PlatformStepEvent) e).status())
                .containsExactly("FIRST DONE", "SECOND FAILED", "SECOND DONE", "THIRD DONE");
    }

    @Test
    void workAStepFindsInPlaceIsJournaledWithoutRunning() {
        StepList<StringBuilder> steps = new StepList<>(0, List.of(Step.<StringBuilder>of("FOUND",
                (b, attempt) -> Optional.of("found " + b), b -> {
                    runs.computeIfAbsent("FOUND", n -> new AtomicInteger()).incrementAndGet();
                    return "made";
                })));
        runner.run("thing:y", "ops", steps, new StringBuilder("it"));
        assertThat(runs("FOUND")).isZero();
        assertThat(journal.steps("thing:y")).extracting(StepRecord::evidence, StepRecord::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("found it", StepStatus.DONE));
    }

    @Test
    void onlyAnAttemptThatDiedMidwayCountsAsInterruptedNotOneThatFailed() {
        // Like ERASE: "my work is already done" may be trusted after an interrupted attempt, never after a refusal.
        List<Step.Attempt> seen = new ArrayList<>();
        StepList<StringBuilder> steps = new StepList<>(0, List.of(Step.<StringBuilder>of("ERASE", (b, attempt) -> {
            seen.add(attempt);
            return attempt.interrupted() ? Optional.of("done by the interrupted attempt") : Optional.empty();
        }, b -> {
            throw new IllegalStateException("refused: not placed on any endpoint this data source knows");
        })));
        assertThatThrownBy(() -> runner.run("tenant:t", "ops", steps, new StringBuilder()))
                .hasMessageContaining("refused");
        assertThatThrownBy(() -> runner.run("tenant:t", "ops", steps, new StringBuilder()))
                .as("a journaled refusal is not evidence of the work: it refuses again").hasMessageContaining("refused");
        assertThat(seen).containsExactly(new Step.Attempt(1, false), new Step.Attempt(2, false));

        journal.start("tenant:u", "ERASE", 0, Instant.now());        // a process died in the middle of the step
        runner.run("tenant:u", "ops", steps, new StringBuilder());
        assertThat(seen).endsWith(new Step.Attempt(2, true));
        assertThat(journal.steps("tenant:u")).extracting(StepRecord::evidence, StepRecord::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("done by the interrupted attempt", StepStatus.DONE));
    }

    @Test
    void aStepWithoutEvidenceFails() {
        StepList<StringBuilder> steps = new StepList<>(0, List.of(Step.<StringBuilder>of("SILENT", b -> null)));
        assertThatThrownBy(() -> runner.run("thing:z", "ops", steps, new StringBuilder()))
                .isInstanceOf(PlatformException.class).hasMessageContaining("evidence");
        assertThat(journal.steps("thing:z")).extracting(StepRecord::status).containsExactly(StepStatus.FAILED);
    }

    @Test
    void aListNamesEachStepOnceAndCanBeCheckedAgainstDocumentedNames() {
        assertThatThrownBy(() -> new StepList<>(0, List.of(Step.of("A", b -> "a"), Step.of("A", b -> "b"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Two steps are named A");
        StepList<Object> list = new StepList<>(0, List.of(Step.of("A", b -> "a"), Step.of("B", b -> "b")));
        assertThat(list.named(List.of("A", "B"))).isSameAs(list);
        assertThatThrownBy(() -> list.named(List.of("B", "A"))).isInstanceOf(IllegalStateException.class);
    }
}
