/**
 * The platform: market readiness and deployment, tenant lifecycle, compliance profiles, the control plane and the
 * {@code jdbc} tenant catalog. {@code com.enterprisehub.geo.platform.internal} is not exported.
 */
module com.enterprisehub.geo.platform {
    requires transitive com.enterprisehub.geo.isolation;
    requires transitive com.enterprisehub.geo.localization;
    requires com.fasterxml.jackson.databind;
    requires com.github.benmanes.caffeine;

    exports com.enterprisehub.geo.platform;
    exports com.enterprisehub.geo.platform.compliance;

    provides com.enterprisehub.geo.spi.catalog.TenantCatalogProvider
            with com.enterprisehub.geo.platform.JdbcTenantCatalog.Provider;
}
