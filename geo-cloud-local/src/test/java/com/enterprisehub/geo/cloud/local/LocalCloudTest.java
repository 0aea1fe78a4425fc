package com.enterprisehub.geo.cloud.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.spi.ProviderContext;
import com.enterprisehub.geo.spi.Providers;
import com.enterprisehub.geo.spi.cloud.Cloud;
import com.enterprisehub.geo.spi.cloud.CloudProvider;
import com.enterprisehub.geo.spi.cloud.CloudRegion;
import com.enterprisehub.geo.spi.cloud.ObjectStorage;
import com.enterprisehub.geo.spi.cloud.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only the local cloud does: it finds what it stored after a restart, keeps keys and secrets owner-only, leaves
 * no temporary file, keeps objects as files (so a key cannot also be a folder of keys), and reads its provider
 * settings. The SPI's semantics are checked by the kits (LocalCloudContractTest and the region services' kits).
 */
class LocalCloudTest {
    @TempDir
    Path dir;

    Cloud open(Map<String, String> settings) {
        return Providers.fromClassPath().select(CloudProvider.class, "local").open(ProviderContext.builder()
                .setting("directory", dir.toString()).settings(settings).build());
    }

    private Stream<Path> files() throws IOException {
        return Files.walk(dir).filter(Files::isRegularFile);
    }

    @Test
    void whatOneInstanceStoredAnotherFindsAfterARestart() {
        CloudRegion london = open(Map.of()).requireRegion(DeploymentRegion.EUROPE);
        String key = london.keys().createKey("market-gb");
        byte[] wrapped = london.keys().wrap(key, new byte[] {1, 2, 3}, "market:gb");
        london.secrets().put("mls/rightmove/credentials", "s3cret");
        StoredObject stored = london.objects().put("markets/gb/l10n/messages_en_GB.properties",
                "a=b".getBytes(StandardCharsets.UTF_8));

        CloudRegion again = open(Map.of()).requireRegion(DeploymentRegion.EUROPE);
        assertThat(again.keys().createKey("market-gb")).as("no second key").isEqualTo(key);
        assertThat(again.keys().unwrap(key, wrapped, "market:gb")).containsExactly(1, 2, 3);
        assertThat(again.secrets().get("mls/rightmove/credentials")).contains("s3cret");
        assertThat(again.objects().list("markets/gb/")).containsExactly(stored);
    }

    @Test
    void keysAndSecretsAreReadableByTheOwnerOnly() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "a POSIX file system");
        CloudRegion region = open(Map.of()).requireRegion(DeploymentRegion.CANADA);
        region.keys().createKey("tenant-maple");
        region.secrets().put("db/password", "s3cret");
        region.secrets().put("db/password", "rotated");
        Path keyFile = dir.resolve("canada/keys/tenant-maple.key");
        Path secretFile = dir.resolve("canada/secrets/db/password");
        for (Path file : new Path[] {keyFile, secretFile}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(file.toString())
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void aStreamThatFailsLeavesNoTemporaryFile() throws IOException {
        ObjectStorage objects = open(Map.of()).requireRegion(DeploymentRegion.ASIA_PACIFIC).objects();
        InputStream failing = new InputStream() {
            private int left = 100_000;

            @Override
            public int read() throws IOException {
                if (left-- <= 0) {
                    throw new IOException("source died");
                }
                return 1;
            }
        };
        assertThatThrownBy(() -> objects.put("exports/big.bin", failing)).hasMessageContaining("source died");
        try (Stream<Path> files = files()) {
            assertThat(files).as("files left").isEmpty();
        }
    }

    @Test
    void aDestroyedKeyIsGoneFromTheDiskAndOnlyItsRegionCanDestroyIt() throws IOException {
        CloudRegion canada = open(Map.of()).requireRegion(DeploymentRegion.CANADA);
        String key = canada.keys().createKey("tenant-maple");
        CloudRegion europe = open(Map.of()).requireRegion(DeploymentRegion.EUROPE);
        assertThatThrownBy(() -> europe.keys().destroyKey(key)).isInstanceOf(GeoException.class)
                .hasMessageContaining("region that created it");
        canada.keys().destroyKey(key);
        try (Stream<Path> files = files()) {
            assertThat(files).as("files left").isEmpty();
        }
        assertThatThrownBy(() -> canada.keys().wrap(key, new byte[32], "tenant:maple"))
                .isInstanceOf(GeoException.class).hasMessageContaining("does not exist");
    }

    @Test
    void aKeyCannotAlsoBeAFolderOfKeysAndTheRefusalSaysWhatToDo() {
        ObjectStorage objects = open(Map.of()).requireRegion(DeploymentRegion.US_EAST).objects();
        objects.put("markets/gb", new byte[] {1});
        assertThatThrownBy(() -> objects.put("markets/gb/l10n/en-GB.json", new byte[] {2}))
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("Delete 'markets/gb' first");
        objects.put("exports/acme/rows.jsonl", new byte[] {3});
        assertThatThrownBy(() -> objects.put("exports/acme", new byte[] {4}))
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("'exports/acme/' holds others");
        objects.delete("exports/acme/rows.jsonl");
        objects.put("exports/acme", new byte[] {4}); // the folder, empty now, makes room
        assertThat(objects.get("exports/acme")).hasValueSatisfying(c -> assertThat(c).containsExactly(4));
    }

    @Test
    void providerSettings() {
        assertThat(open(Map.of()).regions()).as("every region by default")
                .containsExactlyElementsOf(EnumSet.allOf(DeploymentRegion.class));
        assertThat(open(Map.of("regions", " EUROPE , CANADA ")).regions())
                .containsExactly(DeploymentRegion.CANADA, DeploymentRegion.EUROPE);
        assertThat(open(Map.of()).name()).isEqualTo("local");
        assertThatThrownBy(() -> open(Map.of("regions", "CANADA,MARS"))).isInstanceOf(GeoValidationException.class)
                .hasMessageContaining("'MARS'");
        assertThatThrownBy(() -> open(Map.of("region", "CANADA"))).isInstanceOf(GeoValidationException.class)
                .hasMessageContaining("[region]").hasMessageContaining("[directory, regions]");
        assertThatThrownBy(() -> Providers.fromClassPath().select(CloudProvider.class, "local")
                .open(ProviderContext.empty())).isInstanceOf(GeoValidationException.class)
                .hasMessageContaining("directory");
        assertThat(open(Map.of("regions", "CANADA")).requireRegion(DeploymentRegion.CANADA).location())
                .isEqualTo(dir.toAbsolutePath().resolve("canada").toString());
    }
}
