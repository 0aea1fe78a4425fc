package com.enterprisehub.geo.spi.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/** RDS IAM authentication tokens: signed locally for rds-db in the region, refreshed before they expire. */
class RdsAuthTokensTest {
    private final MutableClock clock = new MutableClock();

    private RdsAuthTokens tokens() {
        return RdsAuthTokens.builder().endpoint("geo-eu.cluster-abc.eu-west-2.rds.amazonaws.com", 5432)
                .user("geo_app").region(DeploymentRegion.EUROPE, Region.EU_WEST_2).credentials(Loopback.CREDENTIALS)
                .clock(clock).build();
    }

    @Test
    void aTokenIsAPresignedConnectRequestForTheUserScopedToRdsDbInTheRegion() {
        String token = tokens().token();
        assertThat(token).startsWith("geo-eu.cluster-abc.eu-west-2.rds.amazonaws.com:5432/?")
                .contains("Action=connect").contains("DBUser=geo_app")
                .contains("X-Amz-Credential=" + LoopbackAws.ACCESS_KEY + "%2F")
                .containsPattern("%2Feu-west-2%2Frds-db%2Faws4_request").contains("X-Amz-Expires=900")
                .containsPattern("X-Amz-Signature=[0-9a-f]{64}").doesNotContain(LoopbackAws.SECRET_KEY);
    }

    @Test
    void everyTokenIsSignedAfreshWithTheCredentialsOfThatMoment() {
        java.util.concurrent.atomic.AtomicReference<software.amazon.awssdk.auth.credentials.AwsCredentials> now =
                new java.util.concurrent.atomic.AtomicReference<>(software.amazon.awssdk.auth.credentials
                        .AwsSessionCredentials.builder().accessKeyId("ASIAFIRSTSESSION0001").secretAccessKey("s1")
                        .sessionToken("t1").expirationTime(clock.instant().plus(Duration.ofMinutes(5))).build());
        RdsAuthTokens tokens = RdsAuthTokens.builder().endpoint("geo-eu.cluster-abc.eu-west-2.rds.amazonaws.com",
                5432).user("geo_app").region(DeploymentRegion.EUROPE, Region.EU_WEST_2).credentials(now::get)
                .clock(clock).build();
        assertThat(tokens.expiresAt()).isEmpty();
        assertThat(tokens.token()).contains("ASIAFIRSTSESSION0001");
        assertThat(tokens.expiresAt()).as("bounded by the temporary credentials' own expiry")
                .contains(clock.instant().plus(Duration.ofMinutes(5)));
        // The credentials provider refreshed its temporary credentials: the next token uses them at once.
        now.set(software.amazon.awssdk.auth.credentials.AwsSessionCredentials.builder()
                .accessKeyId("ASIASECONDSESSION001").secretAccessKey("s2").sessionToken("t2")
                .expirationTime(clock.instant().plus(Duration.ofHours(1))).build());
        clock.advance(Duration.ofSeconds(1));
        assertThat(tokens.token()).contains("ASIASECONDSESSION001").doesNotContain("ASIAFIRSTSESSION0001");
        assertThat(tokens.expiresAt()).as("15 minutes when the credentials outlive the token")
                .contains(clock.instant().plus(RdsAuthTokens.LIFETIME));
        assertThat(String.valueOf(tokens)).doesNotContain("X-Amz-Signature").contains("eu-west-2");
    }

    @Test
    void aDatabaseOutsideTheRegionsCountryOrAStaleRefreshIsRefused() {
        assertThatThrownBy(() -> RdsAuthTokens.builder().region(DeploymentRegion.EUROPE, Region.US_EAST_1))
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("GB");
        assertThatThrownBy(() -> RdsAuthTokens.builder().user("geo_app").build())
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("endpoint");
    }
}
