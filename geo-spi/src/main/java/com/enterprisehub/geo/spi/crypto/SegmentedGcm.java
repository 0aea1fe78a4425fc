package com.enterprisehub.geo.spi.crypto;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.SecretKey;

/**
 * Content of any length encrypted with {@link AesGcm} in segments of at most {@value #SEGMENT} plaintext bytes, so
 * neither side holds the whole content in memory (the JDK's GCM decryption buffers everything until the tag). Each
 * segment is one frame, {@code last(1) | length(4) | AesGcm.seal(segment)}, whose associated data is
 * {@code label | index(8) | last(1)}: segments cannot be reordered, dropped, moved to content with another label, or
 * cut off after a segment that was not the last. Content that is empty is one empty last segment.
 *
 * <p>Only the frames: a format built on them writes its own header before and trailer after, and checks them (the
 * decrypting stream reads nothing past the last frame and hands the rest to an {@link End} check). Streams are not
 * thread-safe; the class is.
 */
public final class SegmentedGcm {
    /** The most plaintext bytes in one segment. */
    public static final int SEGMENT = 64 * 1024;
    /** Per frame, besides the segment's plaintext: last(1), length(4), AesGcm's version(1), IV(12) and tag(16). */
    public static final int FRAME_OVERHEAD = 1 + 4 + 1 + 12 + 16;
    private static final int MAX_SEALED = SEGMENT + FRAME_OVERHEAD - 5;

    private SegmentedGcm() {
    }

    /** What follows the last frame, checked when the decrypting stream reaches it (before it reports the end). */
    @FunctionalInterface
    public interface End {
        /**
         * Checks what follows the last frame in {@code in}, given the plaintext's total size.
         *
         * @throws IOException if it is not what the format expects
         */
        void check(DataInputStream in, long plaintextSize) throws IOException;

        /** Nothing may follow the last frame. */
        static End nothing(String what) {
            return (in, size) -> {
                if (in.read() != -1) {
                    throw new IOException("Data follows the last segment of " + what + ": it was altered.");
                }
            };
        }
    }

    /** How many bytes the frames of {@code plaintextSize} bytes take (one frame per segment, at least one). */
    public static long framedLength(long plaintextSize) {
        long frames = Math.max(1, (plaintextSize + SEGMENT - 1) / SEGMENT);
        return frames * FRAME_OVERHEAD + plaintextSize;
    }

    /**
     * An output stream writing the frames of what is written to it into {@code out}; closing it writes the last
     * frame, flushes {@code out}, and closes it if {@code closeTarget} (else the caller may write a trailer).
     */
    public static OutputStream encrypting(OutputStream out, SecretKey key, byte[] label, boolean closeTarget) {
        return new Encrypting(out, key, label, closeTarget);
    }

    /**
     * An input stream of the plaintext of the frames in {@code in}, made with the same key and label; at the last
     * frame {@code end} checks what follows. Once a read failed, every later read fails the same way (a caller that
     * reads on never sees a clean end). Its reads throw an {@link IOException} if the content was altered, reordered,
     * cut short, or made with another key or label.
     *
     * @param what names the content in messages ("the export", "object 'a/b'")
     */
    public static InputStream decrypting(InputStream in, SecretKey key, byte[] label, String what, End end) {
        return new Decrypting(in, key, label, what, end, null);
    }

    /**
     * As {@link #decrypting(InputStream, SecretKey, byte[], String, End)}, updating {@code digest} with the plaintext
     * of each segment as it is decrypted, so that {@code end} can compare it with a digest the format records.
     */
    public static InputStream decrypting(InputStream in, SecretKey key, byte[] label, String what, End end,
            MessageDigest digest) {
        return new Decrypting(in, key, label, what, end, Objects.requireNonNull(digest, "digest"));
    }

    private static byte[] aad(byte[] label, long index, boolean last) {
        return ByteBuffer.allocate(label.length + 9).put(label).putLong(index).put((byte) (last ? 1 : 0)).array();
    }

    private static final class Encrypting extends OutputStream {
        private final DataOutputStream out;
        private final SecretKey key;
        private final byte[] label;
        private final boolean closeTarget;
        private final byte[] buffer = new byte[SEGMENT];
        private int filled;
        private long index;
        private boolean closed;

        Encrypting(OutputStream out, SecretKey key, byte[] label, boolean closeTarget) {
            this.out = new DataOutputStream(Objects.requireNonNull(out, "out"));
            this.key = Objects.requireNonNull(key, "key");
            this.label = label.clone();
            this.closeTarget = closeTarget;
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
                    out.flush();
                } finally {
                    if (closeTarget) {
                        out.close();
                    }
                }
            }
        }
    }

    private static final class Decrypting extends InputStream {
        private final DataInputStream in;
        private final SecretKey key;
        private final byte[] label;
        private final String what;
        private final End end;
        private final MessageDigest digest;
        private byte[] segment = new byte[0];
        private int position;
        private long index;
        private long size;
        private boolean last;
        private boolean ended;
        private IOException failure;

        Decrypting(InputStream in, SecretKey key, byte[] label, String what, End end, MessageDigest digest) {
            this.in = in instanceof DataInputStream d ? d : new DataInputStream(Objects.requireNonNull(in, "in"));
            this.key = Objects.requireNonNull(key, "key");
            this.label = label.clone();
            this.what = Objects.requireNonNull(what, "what");
            this.end = Objects.requireNonNull(end, "end");
            this.digest = digest;
        }

        /** Reads the next segment; false at the end, once {@code end} accepted what follows the last frame. */
        private boolean next() throws IOException {
            if (last) {
                if (!ended) {
                    ended = true;
                    end.check(in, size);
                }
                return false;
            }
            int flag;
            int length;
            try {
                flag = in.readUnsignedByte();
                length = in.readInt();
            } catch (EOFException e) {
                throw new IOException(capitalized() + " ends after segment " + index + " without its last segment:"
                        + " it was cut short.", e);
            }
            if (flag > 1 || length < 0 || length > MAX_SEALED) {
                throw new IOException("Segment " + index + " of " + what + " has a corrupt frame: it was altered.");
            }
            byte[] sealed = in.readNBytes(length);
            if (sealed.length != length) {
                throw new IOException("Segment " + index + " of " + what + " is cut short.");
            }
            try {
                segment = AesGcm.open(key, sealed, aad(label, index, flag == 1));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw new IOException("Segment " + index + " of " + what + " does not decrypt: it was altered,"
                        + " reordered, moved from other content, or made with another key.", e);
            }
            if (digest != null) {
                digest.update(segment);
            }
            size += segment.length;
            position = 0;
            last = flag == 1;
            index++;
            return true;
        }

        private String capitalized() {
            return what.isEmpty() ? what : Character.toUpperCase(what.charAt(0)) + what.substring(1);
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
            if (failure != null) {
                throw new IOException(failure.getMessage(), failure);
            }
            while (position == segment.length) {
                boolean more;
                try {
                    more = next();
                } catch (IOException e) {
                    failure = e;
                    throw e;
                }
                if (!more) {
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
