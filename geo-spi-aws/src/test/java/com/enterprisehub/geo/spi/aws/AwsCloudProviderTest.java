package com.enterprisehub.geo.spi.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.event.PlatformEvent;
import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.spi.ProviderContext;
import com.enterprisehub.geo.spi.Providers;
import com.enterprisehub.geo.spi.cloud.Cloud;
import com.enterprisehub.geo.spi.cloud.CloudProvider;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/** Discovery by name, typed configuration from the provider context, region mapping and the residency guard. */
class AwsCloudProviderTest {

    @Test
    void theProviderIsFoundByName() {
        CloudProvider provider = Providers.fromClassPath().select(CloudProvider.class, "aws");
        assertThat(provider).isInstanceOf(AwsCloudProvider.class);
        assertThat(provider.name()).isEqualTo("aws");
        assertThat(Providers.fromClassPath().all(CloudProvider.class)).extracting(CloudProvider::name).contains("aws");
    }

    @Test
    void withTheLocalCloudBesideItAHostMustChooseByName() {
        CloudProvider local = new CloudProvider() {
            @Override
            public String name() {
                return "local";
            }

            @Override
            public int priority() {
                return -100;
            }

            @Override
            public Cloud open(ProviderContext context) {
                throw new AssertionError("not opened");
            }
        };
        Providers both = Providers.using(new com.enterprisehub.geo.spi.ProviderLoader() {
            @Override
            @SuppressWarnings("unchecked")
            public <P> List<P> load(Class<P> type) {
                return (List<P>) List.of(new AwsCloudProvider(), local);
            }
        });
        assertThatThrownBy(() -> both.select(CloudProvider.class)).isInstanceOf(
                com.enterprisehub.geo.spi.ProviderSelectionException.class).hasMessageContaining("aws")
                .hasMessageContaining("local");
        assertThat(both.select(CloudProvider.class, "aws")).isInstanceOf(AwsCloudProvider.class);
    }

    @Test
    void aCloudOpenedThroughTheContextUsesItsSettingsEventsAndCredentials() {
        String namespace = Loopback.namespace();
        Map<String, String> settings = new LinkedHashMap<>(Loopback.contextSettings(
                EnumSet.of(DeploymentRegion.EUROPE, DeploymentRegion.CANADA), namespace));
        settings.put("kms.deletion-window-days", "30");
        try (Cloud cloud = new AwsCloudProvider().open(ProviderContext.builder().settings(settings)
                .object(AwsCredentialsProvider.class, Loopback.CREDENTIALS).build())) {
            assertThat(cloud).isInstanceOf(AwsCloud.class);
            AwsSettings read = ((AwsCloud) cloud).settings();
            assertThat(read.namespace()).isEqualTo(namespace);
            assertThat(read.deletionWindowDays()).isEqualTo(30);
            assertThat(read.regions()).containsExactly(Map.entry(DeploymentRegion.CANADA, Region.CA_CENTRAL_1),
                    Map.entry(DeploymentRegion.EUROPE, Region.EU_WEST_2));
            assertThat(cloud.requireRegion(DeploymentRegion.EUROPE).location()).isEqualTo("eu-west-2");
            assertThat(cloud.requireRegion(DeploymentRegion.CANADA).location()).isEqualTo("ca-central-1");
            String key = cloud.requireRegion(DeploymentRegion.EUROPE).keys().createKey("tenant-acme");
            assertThat(key).as("a UK key is made in London").startsWith("arn:aws:kms:eu-west-2:");
            cloud.requireRegion(DeploymentRegion.EUROPE).keys().destroyKey(key);
            assertThat(Loopback.aws().pendingWindowDays(key)).as("the pending window asked of KMS").isEqualTo(30);
            assertThat(String.valueOf(cloud)).doesNotContain(LoopbackAws.SECRET_KEY);
        }
    }

    @Test
    void unknownSettingsAreRefusedAndEveryInvalidSettingIsReportedAtOnce() {
        assertThatThrownBy(() -> new AwsCloudProvider().open(ProviderContext.of(Map.of("endpoint.dynamo", "x"))))
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("endpoint.dynamo")
                .hasMessageContaining("endpoint.kms");
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("region.europe", "us-east-1");
        bad.put("max-attempts", "0");
        bad.put("endpoint.kms", "not a url");
        bad.put("regions", "US_WEST,MARS");
        assertThatThrownBy(() -> new AwsCloudProvider().open(ProviderContext.of(bad)))
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("4 problem(s)")
                .hasMessageContaining("region.europe").hasMessageContaining("GB")
                .hasMessageContaining("max-attempts").hasMessageContaining("endpoint.kms")
                .hasMessageContaining("MARS");
    }

    @Test
    void regionsMapToAwsRegionsInTheirCountryOnly() {
        assertThat(AwsRegions.defaults()).hasSize(DeploymentRegion.values().length);
        AwsRegions.defaults().forEach((region, aws) -> assertThat(AwsRegions.permits(region, aws))
                .as("the default of %s", region).isTrue());
        AwsSettings calgary = AwsSettings.builder().region(DeploymentRegion.CANADA, "ca-west-1").build();
        assertThat(calgary.regions().get(DeploymentRegion.CANADA)).isEqualTo(Region.CA_WEST_1);
        assertThatThrownBy(() -> AwsSettings.builder().region(DeploymentRegion.EUROPE, "us-east-1"))
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("US").hasMessageContaining("GB");
        assertThatThrownBy(() -> AwsSettings.builder().region(DeploymentRegion.EUROPE, "eu-west-1"))
                .as("Ireland is not the United Kingdom").isInstanceOf(GeoValidationException.class);
        assertThatThrownBy(() -> AwsSettings.builder().region(DeploymentRegion.US_EAST, "xx-nowhere-9"))
                .as("an AWS region it does not know").isInstanceOf(GeoValidationException.class)
                .hasMessageContaining("does not know");
    }

    @Test
    void aKeyThatKmsReportsInAnotherRegionIsRefusedWithASecurityEvent() {
        List<PlatformEvent> events = Collections.synchronizedList(new ArrayList<>());
        PlatformEvents bus = PlatformEvents.create();
        bus.subscribe(events::add);
        try (AwsCloud cloud = AwsCloud.open(Loopback.settings(Set.of(DeploymentRegion.EUROPE), Loopback.namespace())
                .build(), bus, Clock.systemUTC())) {
            Loopback.aws().arnRegionOverride = "us-east-1"; // a misrouted endpoint: the key lives in Virginia
            try {
                assertThatThrownBy(() -> cloud.requireRegion(DeploymentRegion.EUROPE).keys().createKey("tenant-uk"))
                        .isInstanceOf(GeoException.class).hasMessageContaining("data residency")
                        .hasMessageContaining("us-east-1").hasMessageContaining("region.europe");
            } finally {
                Loopback.aws().arnRegionOverride = null;
            }
            assertThat(events).hasSize(1).first().isInstanceOfSatisfying(AwsSecurityEvent.class, e -> {
                assertThat(e.type()).isEqualTo("security.residency-violation");
                assertThat(e.region()).isEqualTo(DeploymentRegion.EUROPE);
                assertThat(e.detail()).contains("us-east-1");
            });
            // With the endpoint fixed, the alias is free: nothing was named after the refused key.
            String key = cloud.requireRegion(DeploymentRegion.EUROPE).keys().createKey("tenant-uk");
            assertThat(key).startsWith("arn:aws:kms:eu-west-2:");
        }
    }
    @Test
    void anEndpointOverrideNamingAnotherAwsRegionIsRefusedBeforeAnyRequest() {
        PlatformEvents events = PlatformEvents.create();
        List<PlatformEvent> seen = Collections.synchronizedList(new ArrayList<>());
        events.subscribe(seen::add);
        AwsSettings settings = Loopback.settings(Set.of(DeploymentRegion.EUROPE), Loopback.namespace())
                .kmsEndpoint(java.net.URI.create("https://kms.us-east-1.amazonaws.com")).build();
        assertThatThrownBy(() -> AwsCloud.open(settings, events, Clock.systemUTC())).isInstanceOf(GeoException.class)
                .hasMessageContaining("Refused for data residency").hasMessageContaining("us-east-1")
                .hasMessageContaining("endpoint");
        assertThat(seen).isNotEmpty();
    }
}
