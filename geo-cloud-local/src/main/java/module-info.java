/**
 * The {@code local} cloud provider (regions as directories on this machine) and an in-memory key manager: for
 * development, tests and the quickstart.
 */
module com.enterprisehub.geo.cloud.local {
    requires transitive com.enterprisehub.geo.spi;

    exports com.enterprisehub.geo.cloud.local;

    provides com.enterprisehub.geo.spi.cloud.CloudProvider with com.enterprisehub.geo.cloud.local.LocalCloud.Provider;
}
