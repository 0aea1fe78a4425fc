package com.enterprisehub.geo.platform.internal;

import com.enterprisehub.geo.spi.crypto.SegmentedGcm;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.SecretKey;

/**
 * Streams of any length encrypted with AES-256-GCM in segments ({@link SegmentedGcm}), so neither side holds the
 * whole content in memory. Format: {@code "GEX1"}, then the frames, with the label's UTF-8 bytes as their label and
 * nothing after the last one. Not part of the API.
 */
public final class SealedStream {
    static final int SEGMENT = SegmentedGcm.SEGMENT;
    private static final byte[] MAGIC = "GEX1".getBytes(StandardCharsets.US_ASCII);

    private SealedStream() {
    }

    /** An output stream encrypting into {@code out}; closing it writes the last segment and closes {@code out}. */
    public static OutputStream encrypting(OutputStream out, SecretKey key, String label) throws IOException {
        Objects.requireNonNull(out, "out").write(MAGIC);
        return SegmentedGcm.encrypting(out, key, label.getBytes(StandardCharsets.UTF_8), true);
    }

    /**
     * An input stream decrypting what {@link #encrypting} wrote with the same key and label.
     *
     * @throws IOException when reading, if the content was altered, cut short, or made with another key or label
     */
    public static InputStream decrypting(InputStream in, SecretKey key, String label) throws IOException {
        byte[] magic = Objects.requireNonNull(in, "in").readNBytes(MAGIC.length);
        if (magic.length < MAGIC.length) {
            throw new IOException("Not a sealed stream: it is shorter than its header.", new EOFException());
        }
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IOException("Not a sealed stream (unknown header).");
        }
        return SegmentedGcm.decrypting(in, key, label.getBytes(StandardCharsets.UTF_8), "the stream",
                SegmentedGcm.End.nothing("the stream"));
    }
}
