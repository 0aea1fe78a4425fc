package com.enterprisehub.geo.spi.aws.internal;

import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.spi.aws.AwsRegions;
import com.enterprisehub.geo.spi.aws.AwsSecurityEvent;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.regions.Region;

/**
 * Fails closed when anything of a deployment region's services turns out to live in another AWS region: a client
 * configured for another region, a key ARN or a bucket located elsewhere. Each refusal publishes an
 * {@link AwsSecurityEvent} {@code residency-violation} and throws a {@link GeoException}. Thread-safe. Not part of
 * the API.
 */
public final class RegionGuard {
    private static final Logger LOG = LoggerFactory.getLogger(RegionGuard.class);
    private static final Pattern ARN = Pattern.compile("arn:aws[a-z-]*:([a-z0-9-]+):([a-z0-9-]*):(\\d{12}):(.+)");

    private final DeploymentRegion region;
    private final Region aws;
    private final PlatformEvents events;
    private final Clock clock;

    /** A guard of {@code region}'s services, which must all live in {@code aws}. */
    public RegionGuard(DeploymentRegion region, Region aws, PlatformEvents events, Clock clock) {
        this.region = Objects.requireNonNull(region, "region");
        this.aws = Objects.requireNonNull(aws, "aws");
        this.events = Objects.requireNonNull(events, "events");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The deployment region guarded. */
    public DeploymentRegion region() {
        return region;
    }

    /** The AWS region its services must live in. */
    public Region aws() {
        return aws;
    }

    /**
     * Refuses {@code actual} unless it is the AWS region this deployment region maps to.
     *
     * @param what what lives there, for the message and the event ("the KMS client", "master key arn:...")
     */
    public void check(String actual, String what) {
        if (!aws.id().equals(actual)) {
            refuse(what + " is in AWS region '" + actual + "', but the aws cloud maps " + region + " to '" + aws.id()
                    + "'");
        }
        if (!AwsRegions.permits(region, aws)) {
            refuse(what + " is in AWS region '" + actual + "', which is not in " + region.country() + " (where "
                    + region + " data must stay)");
        }
    }

    /** The parts of an AWS ARN. */
    record Arn(String service, String region, String account, String resource) {
    }

    /** The parts of {@code arn}, if it is an AWS ARN (the one ARN pattern of this module). */
    static java.util.Optional<Arn> parse(String arn) {
        Matcher m = ARN.matcher(String.valueOf(arn));
        return m.matches() ? java.util.Optional.of(new Arn(m.group(1), m.group(2), m.group(3), m.group(4)))
                : java.util.Optional.empty();
    }

    /** Refuses an ARN of another service, account shape or region; returns the region it names. */
    public String checkArn(String arn, String service, String what) {
        Matcher m = ARN.matcher(String.valueOf(arn));
        if (!m.matches() || !m.group(1).equals(service)) {
            throw new GeoException(what + " '" + arn + "' is not an AWS " + service + " ARN; the aws cloud expected"
                    + " one of region " + aws.id() + ".");
        }
        check(m.group(2), what + " " + arn);
        return m.group(2);
    }

    private void refuse(String detail) {
        refuse(detail, "Fix the aws cloud's region mapping ('region." + region.name().toLowerCase(java.util.Locale.ROOT)
                + "') or the endpoint override, so that " + region + " uses an AWS region in " + region.country()
                + ".");
    }

    /**
     * Publishes a residency violation and throws: {@code detail} says what was refused, {@code fix} what to
     * configure instead.
     */
    public void refuse(String detail, String fix) {
        events.publish(new AwsSecurityEvent(clock.instant(), "residency-violation", region, detail));
        LOG.warn("Refused (data residency): {}", detail);
        throw new GeoException("Refused for data residency: " + detail + ". " + fix);
    }

    /** Publishes an {@link AwsSecurityEvent} of {@code kind} for this region, and logs it at WARN. */
    public void event(String kind, String detail) {
        events.publish(new AwsSecurityEvent(clock.instant(), kind, region, detail));
        LOG.warn("Refused ({}): {}", kind, detail);
    }

    /**
     * The region of {@code keyArn}, a KMS key ARN that must protect data of this region: a key ARN of another region
     * is refused as a residency violation with {@code fix} as the advice; anything but a KMS key ARN with a
     * {@link GeoException} naming {@code what}.
     */
    public String checkKeyArn(String keyArn, String what, String fix) {
        return checkKeyArn(keyArn, false, what, fix);
    }

    /**
     * As {@link #checkKeyArn(String, String, String)}, also accepting a KMS alias ARN
     * ({@code arn:aws:kms:<region>:<account>:alias/<name>}), which S3 accepts as the SSE-KMS key id of a put and
     * resolves in the alias's region (AWS KMS Developer Guide, "Key identifiers (KeyId)":
     * https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id). For a configured default key,
     * never for a tenant's master key (S3 answers with the key ARN, which the tenant key is compared against).
     */
    public String checkKeyOrAliasArn(String keyArn, String what, String fix) {
        return checkKeyArn(keyArn, true, what, fix);
    }

    private String checkKeyArn(String keyArn, boolean aliasToo, String what, String fix) {
        Optional<Arn> arn = parse(keyArn);
        boolean kind = arn.isPresent() && (arn.get().resource().startsWith("key/")
                || aliasToo && arn.get().resource().startsWith("alias/"));
        if (arn.isEmpty() || !arn.get().service().equals("kms") || !kind) {
            throw new GeoException(what + " '" + keyArn + "' is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/"
                    + "<id>" + (aliasToo ? ", or an alias ARN arn:aws:kms:<region>:<account>:alias/<name>" : "")
                    + "). " + fix);
        }
        if (!arn.get().region().equals(aws.id()) || !AwsRegions.permits(region, aws)) {
            refuse(what + " " + keyArn + " is a key of AWS region '" + arn.get().region() + "', but " + region
                    + " data is kept in '" + aws.id() + "'", fix);
        }
        return arn.get().region();
    }
}
