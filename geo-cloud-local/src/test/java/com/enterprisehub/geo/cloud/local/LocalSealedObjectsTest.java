package com.enterprisehub.geo.cloud.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.spi.cloud.CloudRegion;
import com.enterprisehub.geo.spi.cloud.ObjectProtection;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the local cloud writes for an object under a master key, and what it does with files changed behind it. */
class LocalSealedObjectsTest {
    private static final byte[] SECRET_ROWS = "{\"owner\":\"Ada Lovelace\",\"ssn\":\"078-05-1120\"}\n"
            .repeat(5000).getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private CloudRegion europe() {
        return LocalCloud.open(dir, EnumSet.of(DeploymentRegion.EUROPE)).requireRegion(DeploymentRegion.EUROPE);
    }

    private Path file(String key) {
        return dir.resolve("europe").resolve("objects").resolve(key);
    }

    @Test
    void theFileHoldsNoPlaintextAndReopensAfterARestart() throws Exception {
        CloudRegion europe = europe();
        ObjectProtection acme = ObjectProtection.masterKey(europe.keys().createKey("tenant-acme"));
        europe.objects().put("exports/acme/rows.jsonl", SECRET_ROWS, acme);
        byte[] onDisk = Files.readAllBytes(file("exports/acme/rows.jsonl"));
        assertThat(new String(onDisk, StandardCharsets.ISO_8859_1)).doesNotContain("Ada Lovelace")
                .doesNotContain("078-05-1120");
        assertThat(europe().objects().get("exports/acme/rows.jsonl", acme)).as("after opening the cloud again")
                .hasValueSatisfying(c -> assertThat(c).isEqualTo(SECRET_ROWS));
    }

    @Test
    void aSealedFileCopiedToAnotherKeyAlteredOrCutShortDoesNotOpen() throws Exception {
        CloudRegion europe = europe();
        ObjectProtection acme = ObjectProtection.masterKey(europe.keys().createKey("tenant-acme"));
        europe.objects().put("exports/acme/rows.jsonl", SECRET_ROWS, acme);
        byte[] sealed = Files.readAllBytes(file("exports/acme/rows.jsonl"));

        Files.createDirectories(file("exports/other").getParent());
        Files.write(file("exports/other"), sealed);
        assertThatThrownBy(() -> europe.objects().get("exports/other", acme)).as("moved to another object key")
                .isInstanceOf(GeoException.class);

        byte[] altered = sealed.clone();
        altered[altered.length / 2] ^= 1;
        Files.write(file("exports/acme/rows.jsonl"), altered);
        assertThatThrownBy(() -> europe.objects().get("exports/acme/rows.jsonl", acme)).as("one bit flipped")
                .isInstanceOf(GeoException.class).hasMessageContaining("altered");

        Files.write(file("exports/acme/rows.jsonl"), Arrays.copyOf(sealed, sealed.length - 41));
        assertThatThrownBy(() -> europe.objects().get("exports/acme/rows.jsonl", acme)).as("cut short")
                .isInstanceOf(GeoException.class);

        Files.write(file("exports/acme/rows.jsonl"), sealed);
        assertThat(europe.objects().get("exports/acme/rows.jsonl", acme)).as("restored")
                .hasValueSatisfying(c -> assertThat(c).isEqualTo(SECRET_ROWS));
    }

    @Test
    void plainContentThatLooksSealedIsRefusedAndNothingIsStored() {
        CloudRegion europe = europe();
        byte[] lookalike = new byte[SealedObject.MAGIC.length + 10];
        System.arraycopy(SealedObject.MAGIC, 0, lookalike, 0, SealedObject.MAGIC.length);
        assertThatThrownBy(() -> europe.objects().put("a.bin", lookalike)).isInstanceOf(GeoValidationException.class)
                .hasMessageContaining("master key");
        assertThatThrownBy(() -> europe.objects().put("a.bin", new ByteArrayInputStream(lookalike)))
                .isInstanceOf(GeoValidationException.class);
        assertThat(europe.objects().list("")).isEmpty();
        byte[] almost = Arrays.copyOf(SealedObject.MAGIC, SealedObject.MAGIC.length - 1);
        assertThat(europe.objects().put("b.bin", almost).size()).as("a shorter prefix is plain content")
                .isEqualTo(almost.length);
        assertThat(europe.objects().get("b.bin")).hasValueSatisfying(c -> assertThat(c).isEqualTo(almost));
    }

    @Test
    void aCutOrAlteredSealedFileIsRefusedByHeadAndListNamingTheKeyNeverThePath() throws Exception {
        CloudRegion europe = europe();
        ObjectProtection acme = ObjectProtection.masterKey(europe.keys().createKey("tenant-acme"));
        String key = "exports/acme/rows.jsonl";
        europe.objects().put(key, SECRET_ROWS, acme);
        europe.objects().put("exports/acme/small.txt", "hello".getBytes(StandardCharsets.UTF_8), acme);
        byte[] sealed = Files.readAllBytes(file(key));

        Files.write(file(key), Arrays.copyOf(sealed, sealed.length - 41));
        assertRefusedByHeadAndList(europe, key, "cut short");

        byte[] negative = sealed.clone();
        java.nio.ByteBuffer.wrap(negative).putLong(negative.length - 40, -1L);
        Files.write(file(key), negative);
        assertRefusedByHeadAndList(europe, key, "negative size");

        byte[] larger = sealed.clone();
        java.nio.ByteBuffer.wrap(larger).putLong(larger.length - 40, SECRET_ROWS.length + 1L);
        Files.write(file(key), larger);
        assertRefusedByHeadAndList(europe, key, "size one larger");

        Files.write(file(key), sealed);
        assertThat(europe.objects().head(key).orElseThrow().size()).as("restored").isEqualTo(SECRET_ROWS.length);
        assertThat(europe.objects().list("")).hasSize(2);
        assertThat(europe.objects().head("exports/acme/small.txt").orElseThrow().size()).isEqualTo(5);
    }

    private void assertRefusedByHeadAndList(CloudRegion europe, String key, String what) {
        String path = dir.toAbsolutePath().toString();
        assertThatThrownBy(() -> europe.objects().list("")).as("list, " + what).isInstanceOf(GeoException.class)
                .hasMessageContaining(key).hasMessageNotContaining(path);
        assertThatThrownBy(() -> europe.objects().head(key)).as("head, " + what).isInstanceOf(GeoException.class)
                .hasMessageContaining(key).hasMessageNotContaining(path);
    }

    @Test
    void aCorruptSealedHeaderIsRefusedByGetWithAGeoExceptionNamingTheKeyNeverThePath() throws Exception {
        CloudRegion europe = europe();
        String keyId = europe.keys().createKey("tenant-acme");
        ObjectProtection acme = ObjectProtection.masterKey(keyId);
        String key = "exports/acme/rows.jsonl";
        europe.objects().put(key, SECRET_ROWS, acme);
        byte[] sealed = Files.readAllBytes(file(key));
        int lengthAt = SealedObject.MAGIC.length + 2 + keyId.getBytes(StandardCharsets.UTF_8).length;
        String path = dir.toAbsolutePath().toString();

        byte[] badLength = sealed.clone();
        java.nio.ByteBuffer.wrap(badLength).putInt(lengthAt, Integer.MAX_VALUE);
        Files.write(file(key), badLength);
        assertThatThrownBy(() -> europe.objects().get(key, acme)).as("wrapped length flipped")
                .isInstanceOf(GeoException.class).hasMessageContaining(key).hasMessageNotContaining(path);

        byte[] cutInName = Arrays.copyOf(sealed, SealedObject.MAGIC.length + 4);
        Files.write(file(key), cutInName);
        assertThatThrownBy(() -> europe.objects().get(key, acme)).as("ends inside the key id")
                .isInstanceOf(GeoException.class).hasMessageContaining(key).hasMessageNotContaining(path);
        assertThatThrownBy(() -> europe.objects().head(key, acme)).as("head, ends inside the key id")
                .isInstanceOf(GeoException.class).hasMessageContaining(key).hasMessageNotContaining(path);
    }

    @Test
    void anIntegrityFailureIsStickyEveryLaterReadFails() throws Exception {
        CloudRegion europe = europe();
        ObjectProtection acme = ObjectProtection.masterKey(europe.keys().createKey("tenant-acme"));
        String key = "exports/acme/rows.jsonl";
        europe.objects().put(key, SECRET_ROWS, acme);
        byte[] sealed = Files.readAllBytes(file(key));

        byte[] badDigest = sealed.clone();
        badDigest[badDigest.length - 1] ^= 1; // the segments decrypt; the recorded SHA-256 does not match
        Files.write(file(key), badDigest);
        assertStickyFailure(europe, key, acme, "the recorded SHA-256 altered");

        byte[] badSegment = sealed.clone();
        badSegment[badSegment.length / 2] ^= 1;
        Files.write(file(key), badSegment);
        assertStickyFailure(europe, key, acme, "a segment altered");
    }

    private static void assertStickyFailure(CloudRegion europe, String key, ObjectProtection acme, String what)
            throws Exception {
        try (java.io.InputStream in = europe.objects().open(key, acme).orElseThrow()) {
            assertThatThrownBy(in::readAllBytes).as(what).isInstanceOf(java.io.IOException.class);
            assertThatThrownBy(in::read).as("read() after the failure, " + what)
                    .isInstanceOf(java.io.IOException.class).hasMessageContaining(key);
            assertThatThrownBy(() -> in.read(new byte[16])).as("read(byte[]) after the failure, " + what)
                    .isInstanceOf(java.io.IOException.class).hasMessageContaining(key);
        }
    }
}
