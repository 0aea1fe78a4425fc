package com.enterprisehub.geo.cloud.local;

import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.spi.cloud.KeyManagement;
import com.enterprisehub.geo.spi.cloud.StoredObject;
import com.enterprisehub.geo.spi.crypto.AesGcm;
import com.enterprisehub.geo.spi.crypto.Digests;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The file format of a local object stored under a master key (envelope encryption): a fresh AES-256 data key per
 * put encrypts the content in segments of at most {@value #SEGMENT} bytes (AES-GCM, {@link AesGcm}'s format; each
 * segment's associated data is {@code object:<key> | index(8) | last(1)}, so segments cannot be reordered, dropped,
 * cut off or moved to another object), and the data key is wrapped under the master key with the context
 * {@code object:<key>}. Layout:
 *
 * <pre>
 * MAGIC(17) | keyId (modified UTF-8) | wrapped length(4) | wrapped data key
 *           | frames: last(1) | length(4) | AesGcm.seal(segment)
 *           | trailer: plaintext size(8) | plaintext SHA-256(32)
 * </pre>
 *
 * The trailer lets {@code head} and {@code list} describe the object without its key (offboarding lists objects
 * whose key is already destroyed); a read with the key checks the decrypted content against it. A plain object is
 * the content as is, so a file is sealed exactly when it starts with {@link #MAGIC}; the plain put refuses content
 * that starts with it. Not part of the API.
 */
final class SealedObject {
    static final int SEGMENT = 64 * 1024;
    /** What a sealed file starts with: a NUL, "geo-sealed-v1", a NUL, a newline, 0xff (not text, not JSON). */
    static final byte[] MAGIC = "\0geo-sealed-v1\0\n\u00ff".getBytes(StandardCharsets.ISO_8859_1);
    private static final int MAX_SEALED = SEGMENT + 1 + 12 + 16;
    private static final int TRAILER = 8 + 32;
    /** Per frame, besides the segment's plaintext: last(1), length(4), AesGcm's version(1), IV(12) and tag(16). */
    private static final int FRAME = 1 + 4 + 1 + 12 + 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private SealedObject() {
    }

    /** The header of a sealed file: the master key and the wrapped data key. */
    record Header(String keyId, byte[] wrapped) {
    }

    /** Whether {@code prefix} (the first {@code length} bytes of a file) marks a sealed object. */
    static boolean isSealed(byte[] prefix, int length) {
        return length >= MAGIC.length && Arrays.equals(prefix, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    private static Optional<Header> header(DataInputStream in) throws IOException {
        byte[] magic = in.readNBytes(MAGIC.length);
        if (!isSealed(magic, magic.length)) {
            return Optional.empty();
        }
        String keyId = in.readUTF();
        int length = in.readInt();
        if (length < 0 || length > 64 * 1024) {
            throw new IOException("The sealed object's header is corrupt.");
        }
        byte[] wrapped = in.readNBytes(length);
        if (wrapped.length != length) {
            throw new EOFException("The sealed object's header is cut short.");
        }
        return Optional.of(new Header(keyId, wrapped));
    }

    /** The bytes {@code header} takes in a file: magic, modified UTF-8 key id, wrapped length and data key. */
    private static long headerLength(Header header) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        new DataOutputStream(bytes).writeUTF(header.keyId());
        return MAGIC.length + bytes.size() + 4L + header.wrapped().length;
    }

    /** The length of a sealed file of {@code size} plaintext bytes: one frame per segment, at least one. */
    private static long sealedLength(long headerLength, long size) {
        long frames = Math.max(1, (size + SEGMENT - 1) / SEGMENT);
        return headerLength + frames * FRAME + size + TRAILER;
    }

    /**
     * What is stored in {@code file} (opened once, so a concurrent replacement is seen whole or not at all): a plain
     * object described from its content, a sealed one from its trailer; empty if there is none. If {@code check},
     * refused unless protected by {@code expectedKeyId} (null: by none).
     *
     * @throws GeoException if checked and protected otherwise
     */
    static Optional<StoredObject> describe(String key, Path file, boolean check, String expectedKeyId, String where)
            throws IOException {
        if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty(); // a folder of objects is not an object
        }
        RandomAccessFile raf;
        try {
            raf = new RandomAccessFile(file.toFile(), "r");
        } catch (java.io.FileNotFoundException e) {
            return Optional.empty(); // absent, or a folder that appeared meanwhile
        }
        try (raf) {
            byte[] prefix = new byte[(int) Math.min(MAGIC.length, raf.length())];
            raf.readFully(prefix);
            if (!isSealed(prefix, prefix.length)) {
                if (check && expectedKeyId != null) {
                    throw mismatch(key, where, null, expectedKeyId);
                }
                raf.seek(0);
                MessageDigest digest = Digests.sha256();
                InputStream in = java.nio.channels.Channels.newInputStream(raf.getChannel());
                long size = in.transferTo(new java.security.DigestOutputStream(OutputStream.nullOutputStream(), digest));
                return Optional.of(new StoredObject(key, size, Digests.hex(digest)));
            }
            raf.seek(0);
            Header header = header(new DataInputStream(new BufferedInputStream(java.nio.channels.Channels
                    .newInputStream(raf.getChannel())))).orElseThrow();
            if (check && !header.keyId().equals(expectedKeyId)) {
                throw mismatch(key, where, header.keyId(), expectedKeyId);
            }
            long headerLength = headerLength(header);
            if (raf.length() < headerLength + FRAME + TRAILER) {
                throw new IOException("The sealed object '" + key + "' is cut short.");
            }
            raf.seek(raf.length() - TRAILER);
            long size = raf.readLong();
            byte[] sha = new byte[32];
            raf.readFully(sha);
            // The trailer is not authenticated (a read with the key checks it); at least make it consistent with the
            // file's length, which fixed framing determines from the size.
            if (size < 0 || size > raf.length() || raf.length() != sealedLength(headerLength, size)) {
                throw new IOException("The sealed object '" + key + "' was cut short or altered: its length does not"
                        + " match the size it records.");
            }
            return Optional.of(new StoredObject(key, size, HexFormat.of().formatHex(sha)));
        }
    }

    /**
     * Writes {@code content} sealed under {@code keyId} (through {@code keys}) into {@code out}; returns the
     * plaintext's description.
     */
    static StoredObject write(String key, InputStream content, KeyManagement keys, String keyId, OutputStream out)
            throws IOException {
        byte[] dataKey = new byte[32];
        RANDOM.nextBytes(dataKey);
        try {
            byte[] wrapped = keys.wrap(keyId, dataKey, context(key)); // refuses a destroyed or unknown key
            DataOutputStream data = new DataOutputStream(out);
            data.write(MAGIC);
            data.writeUTF(keyId);
            data.writeInt(wrapped.length);
            data.write(wrapped);
            SecretKey secret = new SecretKeySpec(dataKey, "AES");
            byte[] label = context(key).getBytes(StandardCharsets.UTF_8);
            MessageDigest digest = Digests.sha256();
            byte[] segment = new byte[SEGMENT];
            long size = 0;
            long index = 0;
            int filled = content.readNBytes(segment, 0, SEGMENT);
            while (true) {
                // A segment is the last one when nothing follows it.
                byte[] next = new byte[SEGMENT];
                int nextFilled = filled == SEGMENT ? content.readNBytes(next, 0, SEGMENT) : 0;
                boolean last = nextFilled == 0;
                digest.update(segment, 0, filled);
                size += filled;
                byte[] sealed;
                try {
                    sealed = AesGcm.seal(secret, Arrays.copyOf(segment, filled), aad(label, index, last));
                } catch (GeneralSecurityException e) {
                    throw new IOException("Encrypting segment " + index + " failed: " + e.getMessage(), e);
                }
                data.writeByte(last ? 1 : 0);
                data.writeInt(sealed.length);
                data.write(sealed);
                index++;
                Arrays.fill(segment, (byte) 0);
                if (last) {
                    break;
                }
                segment = next;
                filled = nextFilled;
            }
            byte[] sha = digest.digest();
            data.writeLong(size);
            data.write(sha);
            data.flush();
            return new StoredObject(key, size, HexFormat.of().formatHex(sha));
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    static String context(String key) {
        return "object:" + key;
    }

    private static byte[] aad(byte[] label, long index, boolean last) {
        return ByteBuffer.allocate(label.length + 9).put(label).putLong(index).put((byte) (last ? 1 : 0)).array();
    }

    /**
     * The content of object {@code key} in {@code file} as a stream, if there is one, after checking that it is
     * protected by master key {@code expectedKeyId} (null: by none). The file is opened once, so a concurrent
     * replacement is seen whole or not at all. A sealed file's data key is unwrapped now (a destroyed master key
     * fails here, with the {@link GeoException} of the key management); reading fails with an {@link IOException}
     * if the file was altered, cut short or does not match its recorded SHA-256.
     *
     * @throws GeoException if the object is protected otherwise than expected
     */
    static Optional<InputStream> open(String key, Path file, KeyManagement keys, String expectedKeyId, String where)
            throws IOException {
        if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty(); // a folder of objects is not an object
        }
        BufferedInputStream buffered;
        try {
            buffered = new BufferedInputStream(Files.newInputStream(file), SEGMENT);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            buffered.mark(MAGIC.length);
            byte[] prefix = buffered.readNBytes(MAGIC.length);
            buffered.reset();
            if (!isSealed(prefix, prefix.length)) {
                if (expectedKeyId != null) {
                    throw mismatch(key, where, null, expectedKeyId);
                }
                return Optional.of(buffered);
            }
            DataInputStream in = new DataInputStream(buffered);
            Header header = header(in).orElseThrow(() -> new IOException("not a sealed object"));
            if (!header.keyId().equals(expectedKeyId)) {
                throw mismatch(key, where, header.keyId(), expectedKeyId);
            }
            byte[] dataKey = keys.unwrap(header.keyId(), header.wrapped(), context(key));
            SecretKey secret = new SecretKeySpec(dataKey, "AES");
            Arrays.fill(dataKey, (byte) 0);
            return Optional.of(new Decrypting(in, secret, context(key).getBytes(StandardCharsets.UTF_8), key));
        } catch (IOException | RuntimeException e) {
            buffered.close();
            throw e;
        }
    }

    private static final class Decrypting extends InputStream {
        private final DataInputStream in;
        private final SecretKey key;
        private final byte[] label;
        private final String name;
        private final MessageDigest digest = Digests.sha256();
        private byte[] segment = new byte[0];
        private int position;
        private long index;
        private long size;
        private boolean last;
        private boolean ended;
        private IOException failure;

        Decrypting(DataInputStream in, SecretKey key, byte[] label, String name) {
            this.in = in;
            this.key = key;
            this.label = label;
            this.name = name;
        }

        private boolean next() throws IOException {
            if (last) {
                if (!ended) {
                    ended = true;
                    long recordedSize = in.readLong();
                    byte[] sha = in.readNBytes(32);
                    if (sha.length != 32 || in.read() != -1 || recordedSize != size
                            || !Arrays.equals(sha, digest.digest())) {
                        throw new IOException("Object '" + name + "' does not match the size and SHA-256 recorded"
                                + " when it was stored: it was altered.");
                    }
                }
                return false;
            }
            int flag;
            int length;
            try {
                flag = in.readUnsignedByte();
                length = in.readInt();
            } catch (EOFException e) {
                throw new IOException("Object '" + name + "' ends after segment " + index + " without its last"
                        + " segment: it was cut short.", e);
            }
            if (flag > 1 || length < 0 || length > MAX_SEALED) {
                throw new IOException("Segment " + index + " of object '" + name + "' is corrupt: it was altered.");
            }
            byte[] sealed = in.readNBytes(length);
            if (sealed.length != length) {
                throw new IOException("Segment " + index + " of object '" + name + "' is cut short.");
            }
            try {
                segment = AesGcm.open(key, sealed, aad(label, index, flag == 1));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw new IOException("Segment " + index + " of object '" + name + "' does not decrypt: it was"
                        + " altered, reordered, or moved from another object.", e);
            }
            digest.update(segment);
            size += segment.length;
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
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (failure != null) { // sticky: a caller reading on after a failure never sees a clean end
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

    /** A refusal of an object protected otherwise than expected. */
    static GeoException mismatch(String key, String where, String actual, String expected) {
        return new GeoException("Object '" + key + "' of the local cloud's " + where + " region is "
                + (actual == null ? "not under a master key" : "under master key '" + actual + "'") + ", but "
                + (expected == null ? "no master key" : "master key '" + expected + "'") + " was expected: it is"
                + " refused. Read it with the protection it was stored under, or store it again.");
    }
}
