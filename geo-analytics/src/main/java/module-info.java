/**
 * Cross-market analytics: event recording, snapshots, tested rankings and insights, expansion scoring.
 * {@code com.enterprisehub.geo.analytics.internal} is not exported.
 */
module com.enterprisehub.geo.analytics {
    requires transitive com.enterprisehub.geo.core;
    requires com.fasterxml.jackson.databind;
    requires HdrHistogram;

    exports com.enterprisehub.geo.analytics;
}
