package com.enterprisehub.geo.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The start-up warning for libraries outside the tested versions. */
class TestedVersionsTest {
    private static final TestedVersions.Range HIKARI = TestedVersions.RANGES.get(0);

    @Test
    void bootThreeFivesHikariIsReportedWithTheFix() {
        assertThat(TestedVersions.check(HIKARI, "6.3.3")).hasValueSatisfying(w -> assertThat(w)
                .contains("HikariCP 6.3.3").contains("7.0.0 to 7.0.x").contains("<hikaricp.version>"));
        assertThat(TestedVersions.check(HIKARI, "7.0.2")).isEmpty();
        assertThat(TestedVersions.check(HIKARI, "7.0.10")).isEmpty();
        assertThat(TestedVersions.check(HIKARI, "7.1.0")).isPresent();
    }

    @Test
    void versionsCompareByNumbersNotText() {
        assertThat(TestedVersions.compare("42.7.9", "42.7.11")).isNegative();
        assertThat(TestedVersions.compare("2.21.4", "2.21")).isPositive();
        assertThat(TestedVersions.compare("7.0.2.Final", "7.0.2")).isZero();
    }

    @Test
    void theVersionsOnThisClassPathAreReadFromTheirJars() {
        assertThat(TestedVersions.bundleVersion("com.zaxxer.hikari.HikariDataSource")).hasValueSatisfying(v ->
                assertThat(v).startsWith("7."));
        assertThat(TestedVersions.bundleVersion("org.postgresql.Driver")).hasValueSatisfying(v ->
                assertThat(v).startsWith("42."));
        assertThat(TestedVersions.warnOutsideTestedRanges()).isEmpty();
    }
}
