/** A host application as a named module: it reads only what the SDK's modules export. */
module com.enterprisehub.geo.examples.consumer {
    requires com.enterprisehub.geo.platform;
    requires com.enterprisehub.geo.analytics;
    requires com.enterprisehub.geo.cloud.local;
    requires com.enterprisehub.geo.models;
}
