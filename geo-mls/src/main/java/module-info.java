/**
 * EnterpriseHub Geo's listing feeds: replication of a tenant's MLS feed into the tenant's own tables with a durable
 * checkpoint in the control plane ({@code com.enterprisehub.geo.mls}), and the feed providers {@code reso-web-api}
 * (RESO Web API, OData v4) and {@code reaxml} (REAXML files), and listings shown in their market's units and currency. {@code com.enterprisehub.geo.mls.internal} is not
 * exported.
 */
module com.enterprisehub.geo.mls {
    requires transitive com.enterprisehub.geo.spi;
    requires transitive com.enterprisehub.geo.isolation;
    requires transitive com.enterprisehub.geo.localization;
    requires transitive java.sql;
    requires java.net.http;
    requires java.xml;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;

    exports com.enterprisehub.geo.mls;

    provides com.enterprisehub.geo.spi.listing.ListingFeedProvider
            with com.enterprisehub.geo.mls.ResoWebApiProvider, com.enterprisehub.geo.mls.ReaxmlProvider;
}
