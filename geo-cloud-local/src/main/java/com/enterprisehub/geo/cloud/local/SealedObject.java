package com.enterprisehub.geo.cloud.local;

import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.spi.cloud.KeyManagement;
import com.enterprisehub.geo.spi.cloud.StoredObject;
import com.enterprisehub.geo.spi.crypto.Digests;
import com.enterprisehub.geo.spi.crypto.SegmentedGcm;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The file format of a local object stored under a master key (envelope encryption): a fresh AES-256 data key per
 * put encrypts the content in segments ({@link SegmentedGcm}'s frames, labelled {@code object:<key>}, so segments
 * cannot be reordered, dropped, cut off or moved to another object), and the data key is wrapped under the master
 * key with the context {@code object:<key>}. Layout:
 *
 * <pre>
 * MAGIC(17) | keyId (modified UTF-8) | wrapped length(4) | wrapped data key
 *           | frames: last(1) | length(4) | AesGcm.seal(segment)   (SegmentedGcm)
 *           | trailer: plaintext size(8) | plaintext SHA-256(32)
 * </pre>
 *
 * The trailer lets {@code head} and {@code list} describe the object without its key (offboarding lists objects
 * whose key is already destroyed); a read with the key checks the decrypted content against it. A plain object is
 * the content as is, so a file is sealed exactly when it starts with {@link #MAGIC}; the plain put refuses content
 * that starts with it. Not part of the API.
 */
final class SealedObject {
    static final int SEGMENT = SegmentedGcm.SEGMENT;
    /** What a sealed file starts with: a NUL, "geo-sealed-v1", a NUL, a newline, 0xff (not text, not JSON). */
    static final byte[] MAGIC = "\0geo-sealed-v1\0\n\u00ff".getBytes(StandardCharsets.ISO_8859_1);
    private static final int TRAILER = 8 + 32;
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
        return headerLength + SegmentedGcm.framedLength(size) + TRAILER;
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
            if (raf.length() < headerLength + SegmentedGcm.FRAME_OVERHEAD + TRAILER) {
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
            MessageDigest digest = Digests.sha256();
            long size;
            try (OutputStream frames = SegmentedGcm.encrypting(data, secret,
                    context(key).getBytes(StandardCharsets.UTF_8), false)) {
                size = content.transferTo(new java.security.DigestOutputStream(frames, digest));
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
            MessageDigest digest = Digests.sha256();
            SegmentedGcm.End trailer = (data, size) -> {
                long recordedSize = data.readLong();
                byte[] sha = data.readNBytes(32);
                if (sha.length != 32 || data.read() != -1 || recordedSize != size
                        || !Arrays.equals(sha, digest.digest())) {
                    throw new IOException("Object '" + key + "' does not match the size and SHA-256 recorded when"
                            + " it was stored: it was altered.");
                }
            };
            return Optional.of(SegmentedGcm.decrypting(in, secret, context(key).getBytes(StandardCharsets.UTF_8),
                    "object '" + key + "'", trailer, digest));
        } catch (IOException | RuntimeException e) {
            buffered.close();
            throw e;
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
