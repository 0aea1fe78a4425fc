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
    void theTokenIsKeptForTenMinutesThenMadeAnewBeforeItsFifteenMinutesRunOut() {
        RdsAuthTokens tokens = tokens();
        assertThat(tokens.expiresAt()).isEmpty();
        String first = tokens.token();
        Instant firstExpiry = tokens.expiresAt().orElseThrow();
        assertThat(firstExpiry).isEqualTo(clock.instant().plus(RdsAuthTokens.LIFETIME));
        clock.advance(Duration.ofMinutes(9).plusSeconds(59));
        assertThat(tokens.token()).as("at 9:59").isSameAs(first);
        assertThat(tokens.expiresAt()).contains(firstExpiry);
        clock.advance(Duration.ofSeconds(1));
        tokens.token();
        assertThat(tokens.expiresAt().orElseThrow()).as("at 10:00 a new token, valid 15 minutes from now")
                .isEqualTo(clock.instant().plus(RdsAuthTokens.LIFETIME)).isAfter(firstExpiry);
        assertThat(String.valueOf(tokens)).doesNotContain("X-Amz-Signature").contains("eu-west-2");
    }

    @Test
    void aDatabaseOutsideTheRegionsCountryOrAStaleRefreshIsRefused() {
        assertThatThrownBy(() -> RdsAuthTokens.builder().region(DeploymentRegion.EUROPE, Region.US_EAST_1))
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("GB");
        assertThatThrownBy(() -> RdsAuthTokens.builder().refreshAfter(Duration.ofMinutes(15)))
                .isInstanceOf(GeoValidationException.class);
        assertThatThrownBy(() -> RdsAuthTokens.builder().user("geo_app").build())
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("endpoint");
    }
}
