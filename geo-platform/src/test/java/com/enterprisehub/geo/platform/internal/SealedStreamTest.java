package com.enterprisehub.geo.platform.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class SealedStreamTest {
    static final SecretKey KEY = new SecretKeySpec(bytes(32, 1), "AES");
    static final int S = SealedStream.SEGMENT;

    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] seal(byte[] plain, SecretKey key, String label) throws IOException {
        ByteArrayOutputStream sealed = new ByteArrayOutputStream();
        try (OutputStream out = SealedStream.encrypting(sealed, key, label)) {
            // Mixed write sizes: single bytes and chunks crossing segment edges.
            int i = 0;
            Random r = new Random(plain.length);
            while (i < plain.length) {
                if (r.nextInt(4) == 0) {
                    out.write(plain[i++]);
                } else {
                    int n = Math.min(plain.length - i, r.nextInt(3 * S / 2) + 1);
                    out.write(plain, i, n);
                    i += n;
                }
            }
        }
        return sealed.toByteArray();
    }

    static byte[] open(byte[] sealed, SecretKey key, String label) throws IOException {
        try (InputStream in = SealedStream.decrypting(new ByteArrayInputStream(sealed), key, label)) {
            return in.readAllBytes();
        }
    }

    /** The frames after the header: last flag, then the sealed bytes. */
    static List<byte[]> frames(byte[] sealed) {
        List<byte[]> frames = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(sealed, 4, sealed.length - 4);
        while (b.hasRemaining()) {
            int start = b.position();
            b.get();
            int length = b.getInt();
            b.position(b.position() + length);
            frames.add(Arrays.copyOfRange(sealed, start, b.position()));
        }
        return frames;
    }

    static byte[] join(List<byte[]> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("GEX1".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        frames.forEach(out::writeBytes);
        return out.toByteArray();
    }

    @Test
    void everyLengthAroundTheSegmentSizeComesBackWhole() throws IOException {
        for (int n : new int[] {0, 1, S - 1, S, S + 1, 2 * S, 3 * S + 17}) {
            byte[] plain = bytes(n, n);
            byte[] sealed = seal(plain, KEY, "geo-export:acme");
            assertThat(open(sealed, KEY, "geo-export:acme")).as("length " + n).isEqualTo(plain);
            // A full last segment is written as such: no empty segment follows it.
            assertThat(frames(sealed)).as("segments of length " + n).hasSize(Math.max(1, (n + S - 1) / S));
        }
    }

    @Test
    void anotherKeyOrLabelOrAnyAlterationIsRefused() throws IOException {
        byte[] plain = bytes(3 * S + 5, 3);
        byte[] sealed = seal(plain, KEY, "geo-export:acme");
        assertThatThrownBy(() -> open(sealed, new SecretKeySpec(bytes(32, 2), "AES"), "geo-export:acme"))
                .isInstanceOf(IOException.class).hasMessageContaining("does not decrypt");
        assertThatThrownBy(() -> open(sealed, KEY, "geo-export:other")).hasMessageContaining("does not decrypt");

        List<byte[]> frames = frames(sealed);
        assertThat(frames).hasSize(4);
        List<byte[]> swapped = new ArrayList<>(frames);
        swapped.set(1, frames.get(2));
        swapped.set(2, frames.get(1));
        assertThatThrownBy(() -> open(join(swapped), KEY, "geo-export:acme")).hasMessageContaining("does not decrypt");
        // Dropping the last segment, or a middle one, is noticed.
        assertThatThrownBy(() -> open(join(frames.subList(0, 3)), KEY, "geo-export:acme"))
                .hasMessageContaining("cut short");
        assertThatThrownBy(() -> open(join(List.of(frames.get(0), frames.get(2), frames.get(3))), KEY,
                "geo-export:acme")).hasMessageContaining("does not decrypt");
        // Marking a middle segment as the last one does not make a shorter stream valid.
        byte[] early = frames.get(1).clone();
        early[0] = 1;
        assertThatThrownBy(() -> open(join(List.of(frames.get(0), early)), KEY, "geo-export:acme"))
                .hasMessageContaining("does not decrypt");
        // Anything after the last segment is refused.
        byte[] trailing = Arrays.copyOf(sealed, sealed.length + 1);
        assertThatThrownBy(() -> open(trailing, KEY, "geo-export:acme")).hasMessageContaining("follows the last");
        // One flipped bit anywhere.
        for (int at : new int[] {0, 5, 4 + 5 + 20, sealed.length - 1}) {
            byte[] flipped = sealed.clone();
            flipped[at] ^= 1;
            assertThatThrownBy(() -> open(flipped, KEY, "geo-export:acme")).as("bit flipped at " + at)
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void ciphertextShowsNothingOfThePlaintext() throws IOException {
        byte[] plain = "{\"table\":\"public.listings\",\"row\":{\"title\":\"Loft on 5th\"}}\n".repeat(5000)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String sealed = new String(seal(plain, KEY, "geo-export:acme"), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(sealed).doesNotContain("Loft", "listings", "acme");
    }
}
