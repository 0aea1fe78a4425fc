/**
 * A tenant-routing {@link javax.sql.DataSource} on PostgreSQL: row-level security, schema, database and
 * dedicated-server isolation, per-tenant migrations and envelope encryption.
 * {@code com.enterprisehub.geo.isolation.internal} is not exported.
 */
module com.enterprisehub.geo.isolation {
    requires transitive com.enterprisehub.geo.spi;
    requires transitive java.sql;
    requires com.zaxxer.hikari;
    requires org.postgresql.jdbc;
    requires static micrometer.core;
    requires static io.opentelemetry.api;

    exports com.enterprisehub.geo.isolation;
    exports com.enterprisehub.geo.isolation.micrometer;
    exports com.enterprisehub.geo.isolation.migration;
    exports com.enterprisehub.geo.isolation.opentelemetry;
}
