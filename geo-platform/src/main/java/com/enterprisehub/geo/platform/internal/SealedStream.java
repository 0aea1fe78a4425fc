package com.enterprisehub.geo.platform.internal;

import com.enterprisehub.geo.spi.crypto.AesGcm;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.SecretKey;

/**
 * Streams of any length encrypted with AES-256-GCM in segments of at most {@value #SEGMENT} plaintext bytes,
 * so neither side holds the whole content in memory (the JDK's GCM decryption buffers everything until the
 * tag). Format: {@code "GEX1"}, then frames {@code last(1) | length(4) | AesGcm.seal(segment)}; each segment's
 * associated data is {@code label | index(8) | last(1)}, so segments cannot be reordered, dropped, moved to
 * another stream label, or cut off after a segment that was not the last. Not part of the API.
 */
public final class SealedStream {
    static final int SEGMENT = 64 * 1024;
    private static final byte[] MAGIC = "GEX1".getBytes(StandardCharsets.US_ASCII);
    /** The most a sealed segment can take: version, IV and tag around a full segment. */
    private static final int MAX_SEALED = SEGMENT + 1 + 12 + 16;

    private SealedStream() {
    }

    /** An output stream encrypting into {@code out}; closing it writes the last segment and closes {@code out}. */
    public static OutputStream encrypting(OutputStream out, SecretKey key, String label) throws IOException {
        return new Encrypting(out, key, label);
    }

    /**
     * An input stream decrypting what {@link #encrypting} wrote with the same key and label.
     *
     * @throws IOException when reading, if the content was altered, cut short, or made with another key or label
     */
    public static InputStream decrypting(InputStream in, SecretKey key, String label) throws IOException {
        return new Decrypting(in, key, label);
    }

    private static byte[] aad(byte[] label, long index, boolean last) {
        return ByteBuffer.allocate(label.length + 9).put(label).putLong(index).put((byte) (last ? 1 : 0)).array();
    }

    private static final class Encrypting extends OutputStream {
        private final DataOutputStream out;
        private final SecretKey key;
        private final byte[] label;
        private final byte[] buffer = new byte[SEGMENT];
        private int filled;
        private long index;
        private boolean closed;

        Encrypting(OutputStream out, SecretKey key, String label) throws IOException {
            this.out = new DataOutputStream(Objects.requireNonNull(out, "out"));
            this.key = Objects.requireNonNull(key, "key");
            this.label = label.getBytes(StandardCharsets.UTF_8);
            this.out.write(MAGIC);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (closed) {
                throw new IOException("stream closed");
            }
            while (len > 0) {
                if (filled == SEGMENT) {
                    // Only now is it known that this full segment is not the last one.
                    frame(false);
                }
                int n = Math.min(len, SEGMENT - filled);
                System.arraycopy(b, off, buffer, filled, n);
                filled += n;
                off += n;
                len -= n;
            }
        }

        private void frame(boolean last) throws IOException {
            byte[] sealed;
            try {
                sealed = AesGcm.seal(key, Arrays.copyOf(buffer, filled), aad(label, index, last));
            } catch (GeneralSecurityException e) {
                throw new IOException("Encrypting segment " + index + " failed: " + e.getMessage(), e);
            }
            out.writeByte(last ? 1 : 0);
            out.writeInt(sealed.length);
            out.write(sealed);
            index++;
            filled = 0;
            Arrays.fill(buffer, (byte) 0);
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                try {
                    frame(true);
                } finally {
                    out.close();
                }
            }
        }
    }

    private static final class Decrypting extends InputStream {
        private final DataInputStream in;
        private final SecretKey key;
        private final byte[] label;
        private byte[] segment = new byte[0];
        private int position;
        private long index;
        private boolean last;

        Decrypting(InputStream in, SecretKey key, String label) throws IOException {
            this.in = new DataInputStream(Objects.requireNonNull(in, "in"));
            this.key = Objects.requireNonNull(key, "key");
            this.label = label.getBytes(StandardCharsets.UTF_8);
            byte[] magic = new byte[MAGIC.length];
            try {
                this.in.readFully(magic);
            } catch (EOFException e) {
                throw new IOException("Not a sealed stream: it is shorter than its header.", e);
            }
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IOException("Not a sealed stream (unknown header).");
            }
        }

        /** Reads the next segment; false at the end, which only the last segment may be followed by. */
        private boolean next() throws IOException {
            if (last) {
                if (in.read() != -1) {
                    throw new IOException("Data follows the last segment: the stream was altered.");
                }
                return false;
            }
            int flag;
            int length;
            try {
                flag = in.readUnsignedByte();
                length = in.readInt();
            } catch (EOFException e) {
                throw new IOException("The stream ends after segment " + index + " without its last segment: it was"
                        + " cut short.", e);
            }
            if (flag > 1 || length < 0 || length > MAX_SEALED) {
                throw new IOException("Segment " + index + " has a corrupt frame: the stream was altered.");
            }
            byte[] sealed = new byte[length];
            try {
                in.readFully(sealed);
            } catch (EOFException e) {
                throw new IOException("Segment " + index + " is cut short.", e);
            }
            try {
                segment = AesGcm.open(key, sealed, aad(label, index, flag == 1));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw new IOException("Segment " + index + " does not decrypt: the stream was altered, reordered, or"
                        + " made with another key.", e);
            }
            position = 0;
            last = flag == 1;
            index++;
            return true;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            while (position == segment.length) {
                if (!next()) {
                    return -1;
                }
            }
            int n = Math.min(len, segment.length - position);
            System.arraycopy(segment, position, b, off, n);
            position += n;
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
