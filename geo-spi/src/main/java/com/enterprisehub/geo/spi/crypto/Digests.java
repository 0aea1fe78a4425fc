package com.enterprisehub.geo.spi.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests as the SDK records them: lowercase hex (as in {@link com.enterprisehub.geo.spi.cloud.StoredObject}). Thread-safe. */
public final class Digests {
    private Digests() {
    }

    /** A new SHA-256 digest (every JVM has one). */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The SHA-256 of {@code content}, lowercase hex. */
    public static String sha256Hex(byte[] content) {
        return hex(sha256().digest(content));
    }

    /** What {@code digest} has seen so far, finished, as lowercase hex (the digest is reset). */
    public static String hex(MessageDigest digest) {
        return hex(digest.digest());
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
