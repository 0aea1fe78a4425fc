package com.enterprisehub.geo.isolation.internal;

import com.enterprisehub.geo.core.GeoValidationException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Computes binding tokens: hex(HMAC-SHA256(key, tenant + ':' + nonce)), exactly as
 * {@code geo_control.bind} verifies them. Thread-safe. Not part of the API.
 */
public final class BindingTokens {
    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    public BindingTokens(byte[] key) {
        if (key == null || key.length < 32) {
            throw new GeoValidationException("The binding key must be at least 32 random bytes (256 bits); load it"
                    + " from your secret store and give every instance the same key.");
        }
        this.key = new SecretKeySpec(Arrays.copyOf(key, key.length), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    /** The token that binds a session with {@code nonce} to {@code tenant}. */
    public String token(String tenant, String nonce) {
        Mac mac = macs.get();
        return HexFormat.of().formatHex(mac.doFinal((tenant + ":" + nonce).getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The password of a MAXIMUM or REGULATORY tenant's login role: hex(HMAC-SHA256(key, "|login|" +
     * location)). Derived, so it is stored nowhere and every instance computes the same; the leading "|"
     * keeps it apart from binding tokens (tenant ids cannot contain one).
     */
    public char[] loginPassword(String location) {
        Mac mac = macs.get();
        return HexFormat.of().formatHex(mac.doFinal(("|login|" + location).getBytes(StandardCharsets.UTF_8)))
                .toCharArray();
    }

    /**
     * The opaque part of the name of a tenant's schema, role or database: 16 hex digits of HMAC-SHA256(key,
     * "|location|" + tenant). Names visible to every session (pg_namespace, pg_roles, pg_database) then reveal no
     * customer id, and every instance computes the same name; the mapping back is the control plane's.
     */
    public String locationSuffix(String tenant) {
        Mac mac = macs.get();
        return HexFormat.of().formatHex(mac.doFinal(("|location|" + tenant).getBytes(StandardCharsets.UTF_8)), 0, 8);
    }

    /** The key's bytes, for storing it in a database's control plane. */
    public byte[] keyBytes() {
        return key.getEncoded();
    }
}
