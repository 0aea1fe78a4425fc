package com.enterprisehub.geo.spi.aws;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.regions.Region;

/**
 * Where the platform's deployment regions live on AWS, and which AWS regions a deployment region's data may use.
 *
 * <p>Default mapping (override each with the setting {@code region.<deployment region in lower case>}):
 * <table>
 *   <caption>Deployment regions and AWS regions</caption>
 *   <tr><th>deployment region (seed location)</th><th>AWS region</th></tr>
 *   <tr><td>US_EAST (Virginia)</td><td>us-east-1 (N. Virginia)</td></tr>
 *   <tr><td>US_WEST (Oregon)</td><td>us-west-2 (Oregon)</td></tr>
 *   <tr><td>US_CENTRAL (Iowa)</td><td>us-east-2 (Ohio): AWS has no region in Iowa or Texas</td></tr>
 *   <tr><td>CANADA (Toronto)</td><td>ca-central-1 (Montréal): AWS has no region in Toronto</td></tr>
 *   <tr><td>EUROPE (London)</td><td>eu-west-2 (London)</td></tr>
 *   <tr><td>ASIA_PACIFIC (Sydney)</td><td>ap-southeast-2 (Sydney)</td></tr>
 * </table>
 *
 * <p>Residency: an AWS region may serve a deployment region only if it is in the same country
 * ({@link DeploymentRegion#country()}); an AWS region this class does not know is refused (fail closed). Countries
 * of AWS regions are those AWS publishes in "AWS Regions"
 * (https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html). Stateless.
 */
public final class AwsRegions {
    private static final Map<String, String> COUNTRIES = Map.ofEntries(
            Map.entry("us-east-1", "US"), Map.entry("us-east-2", "US"), Map.entry("us-west-1", "US"),
            Map.entry("us-west-2", "US"), Map.entry("us-gov-east-1", "US"), Map.entry("us-gov-west-1", "US"),
            Map.entry("ca-central-1", "CA"), Map.entry("ca-west-1", "CA"),
            Map.entry("eu-west-2", "GB"), Map.entry("eu-west-1", "IE"), Map.entry("eu-west-3", "FR"),
            Map.entry("eu-central-1", "DE"), Map.entry("eu-central-2", "CH"), Map.entry("eu-north-1", "SE"),
            Map.entry("eu-south-1", "IT"), Map.entry("eu-south-2", "ES"),
            Map.entry("ap-southeast-2", "AU"), Map.entry("ap-southeast-4", "AU"), Map.entry("ap-southeast-1", "SG"),
            Map.entry("ap-northeast-1", "JP"), Map.entry("ap-northeast-3", "JP"), Map.entry("ap-northeast-2", "KR"),
            Map.entry("ap-south-1", "IN"), Map.entry("ap-south-2", "IN"), Map.entry("ap-east-1", "HK"),
            Map.entry("sa-east-1", "BR"), Map.entry("mx-central-1", "MX"), Map.entry("af-south-1", "ZA"),
            Map.entry("me-central-1", "AE"), Map.entry("il-central-1", "IL"));

    private AwsRegions() {
    }

    /** The default AWS region of each deployment region (see the table above). */
    public static Map<DeploymentRegion, Region> defaults() {
        Map<DeploymentRegion, Region> map = new EnumMap<>(DeploymentRegion.class);
        map.put(DeploymentRegion.US_EAST, Region.US_EAST_1);
        map.put(DeploymentRegion.US_WEST, Region.US_WEST_2);
        map.put(DeploymentRegion.US_CENTRAL, Region.US_EAST_2);
        map.put(DeploymentRegion.CANADA, Region.CA_CENTRAL_1);
        map.put(DeploymentRegion.EUROPE, Region.EU_WEST_2);
        map.put(DeploymentRegion.ASIA_PACIFIC, Region.AP_SOUTHEAST_2);
        return Collections.unmodifiableMap(map);
    }

    /** The ISO 3166-1 alpha-2 country of {@code aws}, if this class knows it. */
    public static Optional<String> country(Region aws) {
        return Optional.ofNullable(COUNTRIES.get(Objects.requireNonNull(aws, "aws").id()));
    }

    /**
     * {@code aws}, if it {@link #permits} data of {@code region}; a
     * {@link com.enterprisehub.geo.core.GeoValidationException} naming {@code what} (a setting, a database) otherwise. The one place this rule's refusal is worded.
     */
    static Region requirePermitted(DeploymentRegion region, Region aws, String what) {
        if (!permits(region, aws)) {
            throw new com.enterprisehub.geo.core.GeoValidationException(what + " is '" + aws.id() + "', "
                    + country(aws).map(c -> "which is in " + c).orElse("which it does not know") + "; " + region
                    + " data must stay in " + region.country() + ". Choose an AWS region in " + region.country()
                    + " (default " + defaults().get(region).id() + ").");
        }
        return aws;
    }

    /** Whether {@code aws} may hold data of {@code region}: a known AWS region in the same country. */
    public static boolean permits(DeploymentRegion region, Region aws) {
        return country(aws).map(c -> c.equals(Objects.requireNonNull(region, "region").country())).orElse(false);
    }
}
