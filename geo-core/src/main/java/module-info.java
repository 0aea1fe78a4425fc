/**
 * EnterpriseHub Geo's vocabulary: markets and the strict catalog loader, tenants and their lifecycle, the tenant
 * context, tenant resolution and platform events. {@code com.enterprisehub.geo.core.internal} is not exported.
 */
module com.enterprisehub.geo.core {
    requires transitive org.slf4j;
    requires com.fasterxml.jackson.databind;
    // Only to load catalogs written in YAML; hosts that do add jackson-dataformat-yaml themselves.
    requires static com.fasterxml.jackson.dataformat.yaml;
    requires static org.yaml.snakeyaml;

    exports com.enterprisehub.geo.core;
    exports com.enterprisehub.geo.core.event;
    exports com.enterprisehub.geo.core.market;
    exports com.enterprisehub.geo.core.tenant;
}
