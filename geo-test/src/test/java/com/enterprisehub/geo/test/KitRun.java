package com.enterprisehub.geo.test;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * One run of a kit subclass through the JUnit Platform Launcher, and what became of each of its tests: by the kit
 * method's name, a dynamic test as {@code method[display name]}. Not thread-safe.
 */
final class KitRun implements TestExecutionListener {
    private TestPlan plan;
    private final Map<String, TestExecutionResult> tests = new LinkedHashMap<>();
    private final Map<String, String> skipped = new LinkedHashMap<>();
    private final Map<String, TestExecutionResult> containers = new LinkedHashMap<>();

    private KitRun() {
    }

    /** Runs the tests of {@code testClass} (a static nested class, so Surefire does not run it by itself). */
    static KitRun of(Class<?> testClass) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass))
                .build();
        Launcher launcher = LauncherFactory.create();
        KitRun run = new KitRun();
        launcher.execute(request, run);
        if (run.tests.isEmpty()) {
            throw new AssertionError("No test of " + testClass.getName() + " ran; containers: " + run.containers);
        }
        run.containers.forEach((name, result) -> {
            if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                throw new AssertionError("The container " + name + " of " + testClass.getName() + " did not run: "
                        + result, result.getThrowable().orElse(null));
            }
        });
        return run;
    }

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        this.plan = testPlan;
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        skipped.put(name(id), reason);
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (id.isTest()) {
            tests.put(name(id), result);
        } else {
            containers.put(id.getDisplayName(), result);
        }
    }

    private String name(TestIdentifier id) {
        Optional<String> method = method(id);
        if (method.isPresent() && plan.getParent(id).flatMap(KitRun::method).isEmpty()) {
            return method.get(); // a @Test method
        }
        for (Optional<TestIdentifier> parent = plan.getParent(id); parent.isPresent();
                parent = plan.getParent(parent.get())) {
            Optional<String> factory = method(parent.get());
            if (factory.isPresent()) {
                return factory.get() + "[" + id.getDisplayName() + "]"; // a dynamic test
            }
        }
        return id.getDisplayName();
    }

    private static Optional<String> method(TestIdentifier id) {
        return id.getSource().filter(MethodSource.class::isInstance).map(s -> ((MethodSource) s).getMethodName());
    }

    private static String method(String test) {
        int bracket = test.indexOf('[');
        return bracket < 0 ? test : test.substring(0, bracket);
    }

    private Set<String> with(TestExecutionResult.Status status, boolean byMethod) {
        Set<String> found = new TreeSet<>();
        tests.forEach((name, result) -> {
            if (result.getStatus() == status) {
                found.add(byMethod ? method(name) : name);
            }
        });
        return found;
    }

    /** The kit methods with at least one failed test (a dynamic test counts for its factory method). */
    Set<String> failed() {
        return with(TestExecutionResult.Status.FAILED, true);
    }

    /** Each failed test, dynamic tests as {@code method[display name]}. */
    Set<String> failedTests() {
        return with(TestExecutionResult.Status.FAILED, false);
    }

    /** The kit methods with at least one test aborted by an assumption. */
    Set<String> aborted() {
        return with(TestExecutionResult.Status.ABORTED, true);
    }

    /** The kit methods with at least one successful test. */
    Set<String> succeeded() {
        return with(TestExecutionResult.Status.SUCCESSFUL, true);
    }

    /** How many tests ran (dynamic tests each count). */
    int count() {
        return tests.size();
    }

    /** Tests skipped by {@code @Disabled} and the like, with the reason. */
    Map<String, String> skipped() {
        return skipped;
    }

    /** The failure of {@code test} (a method name, or {@code method[display name]}), for messages. */
    String why(String test) {
        TestExecutionResult result = tests.get(test);
        return result == null ? "no such test" : result.getThrowable().map(String::valueOf).orElse("no exception");
    }

    @Override
    public String toString() {
        Map<String, String> summary = new LinkedHashMap<>();
        tests.forEach((name, result) -> summary.put(name, result.getStatus() + result.getThrowable()
                .map(t -> ": " + t.toString().lines().findFirst().orElse("")).orElse("")));
        return summary.toString();
    }
}
