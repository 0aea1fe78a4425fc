package com.enterprisehub.geo.isolation;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The start-up self-check found the database set up so that isolation could be bypassed. Each finding
 * says what is wrong and the exact statement or call that fixes it. The data source did not start.
 */
public class SelfCheckException extends IsolationException {
    private static final long serialVersionUID = 1L;
    private final List<Finding> findings;

    public SelfCheckException(String endpoint, List<Finding> findings) {
        super("Tenant isolation refuses to start on endpoint '" + endpoint + "': " + findings.size() + " problem"
                + (findings.size() == 1 ? "" : "s") + ":\n" + findings.stream()
                .map(f -> "  - " + f.problem() + "\n    fix: " + f.fix()).collect(Collectors.joining("\n")));
        this.findings = List.copyOf(findings);
    }

    public List<Finding> findings() {
        return findings;
    }

    /**
     * One problem.
     *
     * @param problem what is wrong
     * @param fix what to run to fix it
     */
    public record Finding(String problem, String fix) {
    }
}
