package com.enterprisehub.geo.isolation;

import com.enterprisehub.geo.core.internal.AesGcm;
import com.enterprisehub.geo.core.tenant.TenantId;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;

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

    /** {@link #encrypt} of UTF-8 text, as Base64 (for a text column). */
    public String encryptText(String plaintext) {
        return Base64.getEncoder().encodeToString(encrypt(plaintext.getBytes(StandardCharsets.UTF_8)));
    }

    /** The text {@link #encryptText} encrypted. */
    public String decryptText(String base64) {
        return new String(decrypt(Base64.getDecoder().decode(base64)), StandardCharsets.UTF_8);
    }
}
