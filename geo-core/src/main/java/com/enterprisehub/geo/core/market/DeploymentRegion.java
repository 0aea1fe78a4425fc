package com.enterprisehub.geo.core.market;

/**
 * A region the platform is deployed to. Data-residency rules and database endpoints are expressed
 * in these regions; a cloud provider maps each to its own region names.
 *
 * <p>The regions and their primary and backup locations are those of the seed design document
 * ("Infrastructure Strategy: Regional Deployment").
 */
public enum DeploymentRegion {
    US_EAST("US-VA", "US East (Virginia)", "US East (Ohio)"),
    US_WEST("US-OR", "US West (Oregon)", "US West (California)"),
    US_CENTRAL("US-IA", "US Central (Iowa)", "US Central (Texas)"),
    CANADA("CA-ON", "Canada Central (Toronto)", ""),
    EUROPE("GB-ENG", "Europe West (London)", ""),
    ASIA_PACIFIC("AU-NSW", "Asia Pacific (Sydney)", "");

    private final String subdivision;
    private final String primaryLocation;
    private final String backupLocation;

    DeploymentRegion(String subdivision, String primaryLocation, String backupLocation) {
        this.subdivision = subdivision;
        this.primaryLocation = primaryLocation;
        this.backupLocation = backupLocation;
    }

    /**
     * The ISO 3166-2 subdivision of the primary location ({@code CA-ON} for Toronto): rules that restrict
     * transfers out of a province or state (Québec's, for example) compare against it.
     */
    public Jurisdiction subdivision() {
        return Jurisdiction.of(subdivision);
    }

    /** The ISO 3166-1 alpha-2 code of the country the region's data centres are in. */
    public String country() {
        return subdivision.substring(0, 2);
    }

    /** Where the region's primary deployment runs, for people ("US East (Virginia)"). */
    public String primaryLocation() {
        return primaryLocation;
    }

    /** Where the region fails over to, for people; empty when the seed names no backup location. */
    public String backupLocation() {
        return backupLocation;
    }
}
