package com.enterprisehub.geo.cloud.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.spi.ProviderContext;
import com.enterprisehub.geo.spi.Providers;
import com.enterprisehub.geo.spi.cloud.Cloud;
import com.enterprisehub.geo.spi.cloud.CloudProvider;
import com.enterprisehub.geo.spi.cloud.CloudRegion;
import com.enterprisehub.geo.spi.cloud.ObjectStorage;
import com.enterprisehub.geo.spi.cloud.StoredObject;
import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCloudTest {
    @TempDir
    Path dir;

    Cloud open(String regions) {
        return Providers.fromClassPath().select(CloudProvider.class, "local").open(ProviderContext.of(regions == null
                ? Map.of("directory", dir.toString()) : Map.of("directory", dir.toString(), "regions", regions)));
    }

    @Test
    void whatOneInstanceStoredAnotherFindsAfterARestart() {
        CloudRegion london = open(null).requireRegion(DeploymentRegion.EUROPE);
        String key = london.keys().createKey("market-gb");
        byte[] wrapped = london.keys().wrap(key, new byte[] {1, 2, 3}, "market:gb");
        london.secrets().put("mls/rightmove/credentials", "s3cret");
        StoredObject stored = london.objects().put("markets/gb/l10n/messages_en_GB.properties",
                "a=b".getBytes(StandardCharsets.UTF_8));

        CloudRegion again = open(null).requireRegion(DeploymentRegion.EUROPE);
        assertThat(again.keys().createKey("market-gb")).as("no second key").isEqualTo(key);
        assertThat(again.keys().unwrap(key, wrapped, "market:gb")).containsExactly(1, 2, 3);
        assertThat(again.secrets().get("mls/rightmove/credentials")).contains("s3cret");
        assertThat(again.objects().list("markets/gb/")).containsExactly(stored);
        assertThat(open(null).requireRegion(DeploymentRegion.CANADA).objects().list("markets/")).as("regions apart")
                .isEmpty();
    }

    @Test
    void largeObjectsAreStreamedInAndOutWithTheirDigest() throws Exception {
        ObjectStorage objects = open(null).requireRegion(DeploymentRegion.ASIA_PACIFIC).objects();
        byte[] content = new byte[5 * 1024 * 1024 + 3];
        new java.util.Random(7).nextBytes(content);
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(content));
        StoredObject stored = objects.put("exports/big.bin", new java.io.ByteArrayInputStream(content));
        assertThat(stored).isEqualTo(new StoredObject("exports/big.bin", content.length, sha));
        assertThat(objects.head("exports/big.bin")).contains(stored);
        try (var in = objects.open("exports/big.bin").orElseThrow()) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
        assertThat(objects.open("exports/none.bin")).isEmpty();

        // A stream that fails part-way stores nothing: the old content stays whole.
        var failing = new java.io.InputStream() {
            int left = 100_000;

            @Override
            public int read() throws java.io.IOException {
                if (left <= 0) {
                    throw new java.io.IOException("source died");
                }
                left--;
                return 1;
            }
        };
        assertThatThrownBy(() -> objects.put("exports/big.bin", failing)).hasMessageContaining("source died");
        assertThat(objects.head("exports/big.bin")).contains(stored);
        try (var files = Files.walk(dir)) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith(".tmp-"))).as("no temporary file left")
                    .isEmpty();
        }
    }

    @Test
    void aDestroyedKeyUnwrapsNothingEver() throws Exception {
        CloudRegion region = open(null).requireRegion(DeploymentRegion.CANADA);
        String key = region.keys().createKey("tenant-maple");
        byte[] wrapped = region.keys().wrap(key, new byte[32], "tenant:maple");
        // Another region's key management refuses the id instead of "destroying" a key it does not hold.
        CloudRegion other = open(null).requireRegion(DeploymentRegion.EUROPE);
        assertThatThrownBy(() -> other.keys().destroyKey(key)).isInstanceOf(GeoException.class)
                .hasMessageContaining("region that created it");
        assertThatThrownBy(() -> other.keys().unwrap(key, wrapped, "tenant:maple")).isInstanceOf(GeoException.class);
        region.keys().destroyKey(key);
        region.keys().destroyKey(key);
        assertThatThrownBy(() -> region.keys().unwrap(key, wrapped, "tenant:maple")).isInstanceOf(GeoException.class)
                .hasMessageContaining("does not exist");
        try (var files = Files.walk(dir)) {
            assertThat(files.filter(p -> p.toString().endsWith(".key"))).isEmpty();
        }
    }

    @Test
    void namesThatCouldEscapeTheDirectoryAreRefused() {
        CloudRegion region = open(null).requireRegion(DeploymentRegion.US_EAST);
        for (String bad : new String[] {"../outside", "a//b", "/abs", "a/./b", "a/../../b", "", "with space"}) {
            assertThatThrownBy(() -> region.objects().put(bad, new byte[0])).as(bad)
                    .isInstanceOf(GeoValidationException.class);
            assertThatThrownBy(() -> region.secrets().put(bad, "x")).as(bad).isInstanceOf(GeoValidationException.class);
        }
        assertThatThrownBy(() -> region.keys().createKey("../x")).isInstanceOf(GeoValidationException.class);
    }

    @Test
    void onlyTheConfiguredRegionsAreOffered() {
        Cloud cloud = open("CANADA, EUROPE");
        assertThat(cloud.regions()).containsExactly(DeploymentRegion.CANADA, DeploymentRegion.EUROPE);
        assertThatThrownBy(() -> cloud.requireRegion(DeploymentRegion.US_WEST)).isInstanceOf(GeoException.class)
                .hasMessageContaining("offers [CANADA, EUROPE]");
        assertThatThrownBy(() -> open("MARS")).isInstanceOf(GeoValidationException.class).hasMessageContaining("MARS");
        assertThatThrownBy(() -> Providers.fromClassPath().select(CloudProvider.class, "local").open(ProviderContext.empty()))
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("directory");
    }
}
