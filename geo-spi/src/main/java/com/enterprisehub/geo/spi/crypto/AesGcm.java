package com.enterprisehub.geo.spi.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * The SDK's one AES-GCM format: {@code version(1) | iv(12) | ciphertext | tag(16)}, a fresh random IV per
 * value, associated data bound to the result. Used to wrap data keys and to encrypt tenant values; a provider
 * that wraps keys locally may use it too. Thread-safe.
 */
public final class AesGcm {
    private static final byte VERSION = 1;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private AesGcm() {
    }

    /** Encrypts {@code plaintext} under {@code key}, binding {@code aad}. */
    public static byte[] seal(SecretKey key, byte[] plaintext, byte[] aad) throws GeneralSecurityException {
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
        cipher.updateAAD(aad);
        byte[] sealed = cipher.doFinal(plaintext);
        return ByteBuffer.allocate(1 + IV_BYTES + sealed.length).put(VERSION).put(iv).put(sealed).array();
    }

    /** Whether {@code sealed} has this format's version and minimum length. */
    public static boolean isSealed(byte[] sealed) {
        return sealed != null && sealed.length >= 1 + IV_BYTES + TAG_BITS / 8 && sealed[0] == VERSION;
    }

    /**
     * The plaintext of a value {@link #seal} made.
     *
     * @throws AEADBadTagException if it was made with another key or associated data, or altered
     * @throws IllegalArgumentException if it is not in this format
     */
    public static byte[] open(SecretKey key, byte[] sealed, byte[] aad) throws GeneralSecurityException {
        if (!isSealed(sealed)) {
            throw new IllegalArgumentException("not an AES-GCM value of this SDK (unknown format)");
        }
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 1, IV_BYTES));
        cipher.updateAAD(aad);
        return cipher.doFinal(sealed, 1 + IV_BYTES, sealed.length - 1 - IV_BYTES);
    }
}
