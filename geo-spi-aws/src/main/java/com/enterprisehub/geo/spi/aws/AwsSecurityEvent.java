package com.enterprisehub.geo.spi.aws;

import com.enterprisehub.geo.core.event.PlatformEvent;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import java.time.Instant;
import java.util.Objects;

/**
 * The aws cloud refused something that would have put a region's data elsewhere, or an object protected otherwise
 * than its reader expected. Published on the
 * {@link com.enterprisehub.geo.core.event.PlatformEvents} of the provider context. Contains regions, ARNs and bucket
 * names, never key material or secret values. Immutable.
 *
 * <p>The kinds published today:
 * <ul>
 *   <li>{@code residency-violation}: a client, a KMS key or an S3 bucket of a deployment region turned out to be in
 *       another AWS region, or in an AWS region outside the deployment region's country; it was not used.</li>
 *   <li>{@code object-protection-mismatch}: an object read with a tenant's master key was stored under another KMS
 *       key (another tenant's) or under none, or S3 did not confirm SSE-KMS under the key a put asked for; it was
 *       not returned (or not kept).</li>
 * </ul>
 *
 * @param at when
 * @param kind what was refused: one of the kinds above
 * @param region the deployment region whose services were concerned
 * @param detail what happened, for an auditor
 */
public record AwsSecurityEvent(Instant at, String kind, DeploymentRegion region, String detail)
        implements PlatformEvent {
    /** Checks that no component is null. */
    public AwsSecurityEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(detail, "detail");
    }

    /** {@code security.<kind>}, as geo-isolation's security events. */
    @Override
    public String type() {
        return "security." + kind;
    }
}
