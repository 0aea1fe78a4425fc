/**
 * EnterpriseHub Geo's service-provider interfaces: the provider model and its one discovery path
 * ({@code com.enterprisehub.geo.spi}), the cloud, tenant-catalog and transfer-tax SPIs, and support types for
 * providers ({@code crypto}). A provider module requires this module and nothing else of the SDK.
 */
module com.enterprisehub.geo.spi {
    requires transitive com.enterprisehub.geo.core;
    requires transitive java.money;

    exports com.enterprisehub.geo.spi;
    exports com.enterprisehub.geo.spi.catalog;
    exports com.enterprisehub.geo.spi.cloud;
    exports com.enterprisehub.geo.spi.crypto;
    exports com.enterprisehub.geo.spi.listing;
    exports com.enterprisehub.geo.spi.tax;

    uses com.enterprisehub.geo.spi.catalog.TenantCatalogProvider;
    uses com.enterprisehub.geo.spi.cloud.CloudProvider;
    uses com.enterprisehub.geo.spi.tax.TransferTaxCalculator;

    provides com.enterprisehub.geo.spi.catalog.TenantCatalogProvider
            with com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog.Provider;
}
