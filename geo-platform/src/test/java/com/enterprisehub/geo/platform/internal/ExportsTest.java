package com.enterprisehub.geo.platform.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.cloud.local.LocalCloud;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.isolation.TenantCipher;
import com.enterprisehub.geo.platform.PlatformException;
import com.enterprisehub.geo.spi.cloud.CloudRegion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportsTest {
    private static final TenantId TENANT = TenantId.of("acme");

    @TempDir
    Path dir;

    private CloudRegion region;
    private TenantCipher dataKey;
    private String rows;

    @BeforeEach
    void setUp() {
        region = LocalCloud.open(dir, Set.of(DeploymentRegion.US_WEST)).requireRegion(DeploymentRegion.US_WEST);
        String keyId = region.keys().createKey("tenant-acme");
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 7);
        dataKey = TenantCipher.unwrapKey(TENANT, region.keys(), keyId, region.keys().wrap(keyId, key, "data:acme"),
                "data:acme");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 3_000; i++) {
            b.append("{\"table\":\"public.listings\",\"row\":{\"id\":").append(i)
                    .append(",\"title\":\"Listing number ").append(i).append(" with a view of the bay\"}}\n");
        }
        rows = b.toString(); // about 250 KB: four segments of 64 KiB
    }

    private Exports.Written export() throws IOException {
        return Exports.write(region, Optional.of(Files.createDirectories(dir.resolve("staging"))), MarketId.of("us-ca"),
                TENANT, out -> {
            try {
                out.write(rows);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("public.listings", 3_000L);
        }, dataKey, Instant.parse("2026-11-25T00:00:00Z"));
    }

    private Path stored(Exports.Written written) {
        return dir.resolve("us_west/objects/" + written.export().rows().key());
    }

    @Test
    void anExportReadsBackAsWritten() throws IOException {
        Exports.Written written = export();
        try (var staged = Files.list(dir.resolve("staging"))) {
            assertThat(staged).as("the staged file is deleted once stored").isEmpty();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Exports.read(region, written.export(), written.exportKeyId(), out);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(rows);
        assertThat(rows.length()).isGreaterThan(3 * SealedStream.SEGMENT);
    }

    @Test
    void anExportAlteredInALaterSegmentWritesNothing() throws IOException {
        Exports.Written written = export();
        Path object = stored(written);
        byte[] original = Files.readAllBytes(object);
        byte[] altered = original.clone();
        altered[altered.length - 100] ^= 1; // in the last segment: the first three decrypt fine
        Files.write(object, altered);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThatThrownBy(() -> Exports.read(region, written.export(), written.exportKeyId(), out))
                .isInstanceOf(PlatformException.class).hasMessageContaining("does not decrypt");
        assertThat(out.size()).as("bytes handed out before the alteration was found").isZero();

        Files.write(object, Arrays.copyOf(original, original.length - 1_000));
        assertThatThrownBy(() -> Exports.read(region, written.export(), written.exportKeyId(), out))
                .isInstanceOf(PlatformException.class);
        assertThat(out.size()).as("bytes handed out of a truncated export").isZero();

        Files.write(object, original);
        Exports.read(region, written.export(), written.exportKeyId(), out);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(rows);
    }
}
