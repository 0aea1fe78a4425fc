package com.example.geo.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.spi.GeoProvider;
import com.enterprisehub.geo.spi.ProviderContext;
import com.enterprisehub.geo.spi.Providers;
import com.enterprisehub.geo.spi.cloud.Cloud;
import com.enterprisehub.geo.spi.cloud.CloudProvider;
import com.enterprisehub.geo.spi.cloud.CloudRegion;
import com.enterprisehub.geo.spi.cloud.KeyManagement;
import com.enterprisehub.geo.spi.cloud.ObjectStorage;
import com.enterprisehub.geo.spi.cloud.SecretStore;
import com.enterprisehub.geo.spi.cloud.StoredObject;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the kits do not cover: discovery by name, the settings, the object limit, and what closing does. */
class MemoryCloudProviderTest {
    private static final CloudProvider PROVIDER = new MemoryCloud.Provider();

    private static Cloud open(Map<String, String> settings) {
        return PROVIDER.open(ProviderContext.of(settings));
    }

    private static byte[] bytes(int n) {
        return "x".repeat(n).getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void itIsFoundOnTheClassPathByItsNameThroughMetaInfServices() {
        Providers providers = Providers.fromClassPath();
        CloudProvider found = providers.select(CloudProvider.class, "memory");
        assertThat(found).isInstanceOf(MemoryCloud.Provider.class);
        assertThat(found.name()).isEqualTo(MemoryCloud.NAME);
        assertThat(found.priority()).as("below a real cloud (0), above the SDK's local cloud (-100)").isEqualTo(-50);
        assertThat(providers.all(CloudProvider.class)).extracting(GeoProvider::name).containsExactly("memory");
        try (Cloud cloud = found.open(ProviderContext.empty())) {
            assertThat(cloud.name()).isEqualTo("memory");
        }
    }

    @Test
    void withoutSettingsItOffersEveryRegion() {
        try (Cloud cloud = open(Map.of())) {
            assertThat(cloud.regions()).containsExactly(DeploymentRegion.values());
            for (DeploymentRegion region : DeploymentRegion.values()) {
                assertThat(cloud.requireRegion(region).location()).isEqualTo("memory:"
                        + region.name().toLowerCase(java.util.Locale.ROOT));
            }
        }
    }

    @Test
    void regionsAreReadFromTheSettingInDeploymentRegionOrder() {
        try (Cloud cloud = open(Map.of("regions", " EUROPE , US_WEST,EUROPE"))) {
            assertThat(cloud.regions()).containsExactly(DeploymentRegion.US_WEST, DeploymentRegion.EUROPE);
            assertThatThrownBy(() -> cloud.requireRegion(DeploymentRegion.CANADA)).isInstanceOf(GeoException.class)
                    .hasMessageContaining("US_WEST").hasMessageContaining("EUROPE");
        }
    }

    @Test
    void aRegionSettingThatNamesNoRegionIsRefusedWithTheNamesItTakes() {
        for (String bad : List.of("US_WEST,MARS", "us_west", "US_WEST,,CANADA", ",")) {
            assertThatThrownBy(() -> open(Map.of("regions", bad))).as("regions '%s'", bad)
                    .isInstanceOf(GeoValidationException.class)
                    .hasMessageContaining("'regions'")
                    .hasMessageContaining(bad)
                    .hasMessageContaining(EnumSet.allOf(DeploymentRegion.class).toString());
        }
    }

    @Test
    void unknownSettingsAreRefusedNamingTheKnownOnes() {
        // A host that meant the local cloud, and gave it its directory, is told so instead of served from memory.
        assertThatThrownBy(() -> open(Map.of("directory", "/tmp/geo", "regions", "CANADA")))
                .isInstanceOf(GeoValidationException.class)
                .hasMessageContaining("[directory]")
                .hasMessageContaining("[max-object-bytes, regions]");
    }

    @Test
    void maxObjectBytesMustBeAWholeNumberInRange() {
        for (String bad : List.of("0", "-1", "1.5", "64MiB", "1073741825")) {
            assertThatThrownBy(() -> open(Map.of("max-object-bytes", bad))).as("max-object-bytes '%s'", bad)
                    .isInstanceOf(GeoValidationException.class)
                    .hasMessageContaining("'max-object-bytes'")
                    .hasMessageContaining("1 to 1073741824");
        }
        try (Cloud cloud = open(Map.of("max-object-bytes", "1073741824"))) {
            assertThat(cloud.toString()).contains("max-object-bytes 1073741824");
        }
        try (Cloud cloud = open(Map.of())) {
            assertThat(cloud.toString()).contains("max-object-bytes " + 64 * 1024 * 1024);
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void anObjectOverTheLimitIsRefusedAndStoresNothing() {
        try (Cloud cloud = open(Map.of("regions", "CANADA", "max-object-bytes", "16"))) {
            ObjectStorage objects = cloud.requireRegion(DeploymentRegion.CANADA).objects();
            StoredObject full = objects.put("exactly/sixteen", bytes(16));
            assertThat(full.size()).isEqualTo(16);
            assertThat(objects.put("exactly/sixteen-streamed", new ByteArrayInputStream(bytes(16))).size())
                    .isEqualTo(16);
            StoredObject small = objects.put("kept", bytes(3));

            assertThatThrownBy(() -> objects.put("kept", bytes(17))).isInstanceOf(GeoException.class)
                    .hasMessageContaining("'kept'").hasMessageContaining("17 bytes")
                    .hasMessageContaining("'max-object-bytes' is 16").hasMessageContaining("Raise 'max-object-bytes'");
            assertThatThrownBy(() -> objects.put("kept", new ByteArrayInputStream(bytes(17))))
                    .isInstanceOf(GeoException.class).hasMessageContaining("more than 16 bytes");

            // An endless stream: put stops one byte past the limit instead of filling the heap.
            AtomicLong read = new AtomicLong();
            InputStream endless = new InputStream() {
                @Override
                public int read() {
                    read.incrementAndGet();
                    return 'y';
                }
            };
            assertThatThrownBy(() -> objects.put("endless", endless)).isInstanceOf(GeoException.class)
                    .hasMessageContaining("'endless'");
            assertThat(read.get()).as("bytes read from the endless stream").isEqualTo(17);

            assertThat(objects.head("kept")).as("the old object, untouched").contains(small);
            assertThat(objects.head("endless")).isEmpty();
            assertThat(objects.list("")).extracting(StoredObject::key)
                    .containsExactly("exactly/sixteen", "exactly/sixteen-streamed", "kept");
        }
    }

    @Test
    void closingReleasesEverythingAndRefusesLaterUse() {
        Cloud cloud = open(Map.of("regions", "US_WEST,CANADA"));
        CloudRegion region = cloud.requireRegion(DeploymentRegion.US_WEST);
        KeyManagement keys = region.keys();
        SecretStore secrets = region.secrets();
        ObjectStorage objects = region.objects();
        String key = keys.createKey("tenant-acme");
        byte[] wrapped = keys.wrap(key, bytes(32), "tenant:acme");
        secrets.put("db/password", "s3cret-value");
        objects.put("markets/us-ca/coverage.json", bytes(5));
        assertThat(keys.toString()).contains("1 key(s)");
        assertThat(secrets.toString()).contains("1 secret(s)");
        assertThat(objects.toString()).contains("1 object(s)");

        cloud.close();
        cloud.close(); // harmless

        assertThat(keys.toString()).as("the keys were released").contains("0 key(s)");
        assertThat(secrets.toString()).as("the secrets were released").contains("0 secret(s)");
        assertThat(objects.toString()).as("the objects were released").contains("0 object(s)");
        assertThat(cloud.name()).isEqualTo("memory");
        assertThat(cloud.toString()).contains("closed").doesNotContain("s3cret-value");
        List<Runnable> uses = List.of(
                cloud::regions,
                () -> cloud.region(DeploymentRegion.US_WEST),
                () -> cloud.requireRegion(DeploymentRegion.CANADA),
                () -> keys.createKey("tenant-bay"),
                () -> keys.wrap(key, bytes(32), "tenant:acme"),
                () -> keys.unwrap(key, wrapped, "tenant:acme"),
                () -> keys.destroyKey(key),
                () -> secrets.get("db/password"),
                () -> secrets.put("db/password", "another"),
                () -> secrets.delete("db/password"),
                () -> objects.put("markets/us-ca/coverage.json", bytes(5)),
                () -> objects.put("markets/us-ca/coverage.json", new ByteArrayInputStream(bytes(5))),
                () -> objects.get("markets/us-ca/coverage.json"),
                () -> objects.open("markets/us-ca/coverage.json"),
                () -> objects.head("markets/us-ca/coverage.json"),
                () -> objects.list(""),
                () -> objects.delete("markets/us-ca/coverage.json"));
        for (int i = 0; i < uses.size(); i++) {
            assertThatThrownBy(uses.get(i)::run).as("use %d after close", i).isInstanceOf(GeoException.class)
                    .hasMessageContaining("memory cloud was closed")
                    .hasMessageContaining("select(CloudProvider.class, \"memory\")");
        }
    }

    @Test
    void aKeyIdOfAnotherMemoryCloudDoesNotOpenWhatItWrapped() {
        try (Cloud first = open(Map.of("regions", "CANADA")); Cloud second = open(Map.of("regions", "CANADA"))) {
            KeyManagement a = first.requireRegion(DeploymentRegion.CANADA).keys();
            KeyManagement b = second.requireRegion(DeploymentRegion.CANADA).keys();
            String id = a.createKey("market-ca");
            byte[] wrapped = a.wrap(id, bytes(32), "market:ca");
            assertThatThrownBy(() -> b.unwrap(id, wrapped, "market:ca")).as("a key id the second never created")
                    .isInstanceOf(GeoException.class).hasMessageContaining("does not exist");
            assertThat(b.createKey("market-ca")).as("the same alias, so the same id").isEqualTo(id);
            assertThatThrownBy(() -> b.unwrap(id, wrapped, "market:ca")).as("but another key")
                    .isInstanceOf(GeoException.class).hasMessageContaining("another key");
        }
    }
}
