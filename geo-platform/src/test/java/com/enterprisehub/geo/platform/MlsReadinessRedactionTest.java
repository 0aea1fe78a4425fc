package com.enterprisehub.geo.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.GeoValidationException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A provider's reason never carries a URL's user-info or query into a finding; settings never hold user-info. */
class MlsReadinessRedactionTest {

    @Test
    void aUrlsUserInfoQueryAndFragmentAreDroppedFromAMessage() {
        String reason = "source unreachable at 'https://mls-user:Pa55@api.example.com:8443/odata?api_key=K3y#frag'"
                + " and http://tok@127.0.0.1/token?x=1; try again";
        assertThat(MlsReadiness.redacted(reason)).isEqualTo("source unreachable at"
                + " 'https://api.example.com:8443/odata' and http://127.0.0.1/token try again") // a query runs to the next space
                .doesNotContain("Pa55", "K3y", "mls-user", "tok@");
        assertThat(MlsReadiness.redacted("no URL here: a@b?c")).isEqualTo("no URL here: a@b?c");
    }

    @Test
    void settingsWithAUserInTheirUrlAreRefusedWithoutRepeatingIt() {
        assertThatThrownBy(() -> MlsReadiness.refuseCredentialsIn("crmls", Map.of("token-url",
                "https://me:Pa55@api.example.com/token"))).isInstanceOf(GeoValidationException.class)
                .hasMessageContaining("token-url").hasMessageContaining("SecretStore").hasMessageNotContaining("Pa55");
        MlsReadiness.refuseCredentialsIn("crmls", Map.of("service-url", "https://api.example.com/odata",
                "scope", "api@read")); // an '@' outside a URL's authority is fine
    }
}
