package com.enterprisehub.geo.isolation;

import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.spi.cloud.KeyManagement;
import com.enterprisehub.geo.spi.crypto.AesGcm;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts and decrypts a tenant's sensitive values (a column, a document) with the tenant's own data
 * key: AES-256-GCM, a random 96-bit IV per value, the tenant id as associated data, so a value of one
 * tenant never decrypts as another's. Format: {@code version(1) | iv(12) | ciphertext | tag(16)}.
 *
 * <p>Get one from {@link TenantDataSource#cipher()}. Thread-safe.
 */
public final class TenantCipher {
    private final TenantId tenant;
    private final SecretKey key;
    private final byte[] aad;

    TenantCipher(TenantId tenant, SecretKey key) {
        this.tenant = tenant;
        this.key = key;
        this.aad = tenant.value().getBytes(StandardCharsets.UTF_8);
    }

    /** The tenant whose key this is. */
    public TenantId tenant() {
        return tenant;
    }

    public byte[] encrypt(byte[] plaintext) {
        Objects.requireNonNull(plaintext, "plaintext");
        try {
            return AesGcm.seal(key, plaintext, aad);
        } catch (GeneralSecurityException e) {
            throw new IsolationException("Encrypting a value of tenant '" + tenant + "' failed: " + e.getMessage(), e);
        }
    }

    /**
     * The plaintext of a value this tenant's cipher encrypted.
     *
     * @throws IsolationException if the value belongs to another tenant or another key, or was altered
     */
    public byte[] decrypt(byte[] ciphertext) {
        if (!AesGcm.isSealed(ciphertext)) {
            throw new IsolationException("Not a value encrypted by a TenantCipher (unknown format).");
        }
        try {
            return AesGcm.open(key, ciphertext, aad);
        } catch (AEADBadTagException e) {
            throw new IsolationException("This value does not decrypt with tenant '" + tenant + "''s key: it belongs"
                    + " to another tenant or key, or it was altered.", e);
        } catch (GeneralSecurityException e) {
            throw new IsolationException("Decrypting a value of tenant '" + tenant + "' failed: " + e.getMessage(), e);
        }
    }

    /**
     * This tenant's data key wrapped under master key {@code keyId} of {@code kms}, bound to {@code context}: a
     * copy of the key kept outside the tenant's own key management, so what it encrypted stays readable to
     * whoever may use that master key after the tenant's own is destroyed (an offboarding export's escrow). The
     * plain key goes to {@code kms.wrap} only: pass a key management you trust as much as the tenant's own, and
     * remember that the copy keeps the tenant's ciphertext readable until that master key is destroyed.
     */
    public byte[] wrapKey(KeyManagement kms, String keyId, String context) {
        Objects.requireNonNull(kms, "kms");
        byte[] raw = key.getEncoded();
        try {
            return kms.wrap(keyId, raw, context);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /**
     * The cipher of a data key {@link #wrapKey} wrapped.
     *
     * @throws com.enterprisehub.geo.core.GeoException if the master key is gone or {@code wrapped} was not made
     *     with it and {@code context}
     */
    public static TenantCipher unwrapKey(TenantId tenant, KeyManagement kms, String keyId, byte[] wrapped,
            String context) {
        Objects.requireNonNull(tenant, "tenant");
        byte[] raw = kms.unwrap(keyId, wrapped, context);
        try {
            return new TenantCipher(tenant, new SecretKeySpec(raw, "AES"));
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /** {@link #encrypt} of UTF-8 text, as Base64 (for a text column). */
    public String encryptText(String plaintext) {
        return Base64.getEncoder().encodeToString(encrypt(plaintext.getBytes(StandardCharsets.UTF_8)));
    }

    /** The text {@link #encryptText} encrypted. */
    public String decryptText(String base64) {
        return new String(decrypt(Base64.getDecoder().decode(base64)), StandardCharsets.UTF_8);
    }
}
