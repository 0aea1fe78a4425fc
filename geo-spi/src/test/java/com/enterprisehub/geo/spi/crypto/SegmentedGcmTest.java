package com.enterprisehub.geo.spi.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SegmentedGcmTest {
    private static final SecretKey KEY = new SecretKeySpec(new byte[32], "AES");
    private static final byte[] LABEL = "object:a/b".getBytes(StandardCharsets.UTF_8);

    @ParameterizedTest
    @ValueSource(ints = {0, 1, SegmentedGcm.SEGMENT - 1, SegmentedGcm.SEGMENT, SegmentedGcm.SEGMENT + 1,
        3 * SegmentedGcm.SEGMENT})
    void roundTripsAnySizeWithTheStatedLengthAndHandsWhatFollowsToTheEndCheck(int size) throws Exception {
        byte[] plain = new byte[size];
        new Random(size).nextBytes(plain);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream out = SegmentedGcm.encrypting(sink, KEY, LABEL, false)) {
            out.write(plain);
        }
        assertThat((long) sink.size()).isEqualTo(SegmentedGcm.framedLength(size));
        sink.write("TRAILER".getBytes(StandardCharsets.US_ASCII)); // not closed: the caller may write after
        AtomicLong seen = new AtomicLong(-1);
        MessageDigest digest = Digests.sha256();
        InputStream in = SegmentedGcm.decrypting(new ByteArrayInputStream(sink.toByteArray()), KEY, LABEL, "object 'a/b'",
                (data, total) -> {
                    assertThat(new String(data.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("TRAILER");
                    seen.set(total);
                }, digest);
        assertThat(in.readAllBytes()).isEqualTo(plain);
        assertThat(seen.get()).isEqualTo(size);
        assertThat(digest.digest()).isEqualTo(Digests.sha256().digest(plain));
    }

    @Test
    void anotherLabelACutAndDataAfterTheEndAreRefusedAndAFailureSticks() throws Exception {
        byte[] plain = new byte[2 * SegmentedGcm.SEGMENT + 10];
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream out = SegmentedGcm.encrypting(sink, KEY, LABEL, true)) {
            out.write(plain);
        }
        byte[] framed = sink.toByteArray();
        assertThatThrownBy(() -> read(framed, "object:a/c".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class).hasMessageContaining("Segment 0 of the content does not decrypt");
        byte[] cut = Arrays.copyOf(framed, (int) SegmentedGcm.framedLength(2L * SegmentedGcm.SEGMENT));
        assertThatThrownBy(() -> read(cut, LABEL)).hasMessageContaining("without its last segment: it was cut short");
        byte[] longer = Arrays.copyOf(framed, framed.length + 1);
        assertThatThrownBy(() -> read(longer, LABEL)).hasMessageContaining("Data follows the last segment");
        InputStream in = SegmentedGcm.decrypting(new ByteArrayInputStream(cut), KEY, LABEL, "the content",
                SegmentedGcm.End.nothing("the content"));
        assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class);
        assertThatThrownBy(in::read).as("sticky").hasMessageContaining("cut short");
    }

    private static byte[] read(byte[] framed, byte[] label) throws IOException {
        return SegmentedGcm.decrypting(new ByteArrayInputStream(framed), KEY, label, "the content",
                SegmentedGcm.End.nothing("the content")).readAllBytes();
    }
}
