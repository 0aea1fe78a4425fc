package com.enterprisehub.geo.platform.internal;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.spi.CloudRegion;
import com.enterprisehub.geo.core.spi.StoredObject;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.isolation.TenantCipher;
import com.enterprisehub.geo.platform.PlatformException;
import com.enterprisehub.geo.platform.TenantExport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.spec.SecretKeySpec;

/**
 * Offboarding exports: written encrypted through a temporary file (never whole in memory), read back with
 * their integrity checked, and destroyed by destroying their key. Layout under the market's prefix:
 * {@code exports/<tenant>/rows.jsonl.sealed} and {@code exports/<tenant>/manifest.json}, the manifest written
 * last, so its presence means the export is complete. Not part of the API.
 */
public final class Exports {
    private static final String FORMAT = "geo-export/1";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Exports() {
    }

    /** What writes a tenant's rows as JSON Lines and says how many per table. */
    @FunctionalInterface
    public interface RowWriter {
        Map<String, Long> writeTo(Writer out);
    }

    public static String keyAlias(TenantId tenant) {
        return "export-" + tenant.value();
    }

    private static String directory(MarketId market, TenantId tenant) {
        return "markets/" + market.value() + "/exports/" + tenant.value() + "/";
    }

    private static String label(TenantId tenant) {
        return "geo-export:" + tenant.value();
    }

    /**
     * Writes a tenant's export: rows encrypted under a fresh content key, then the manifest holding that key
     * and the tenant's data key, both wrapped under the export key.
     */
    public static TenantExport write(CloudRegion services, MarketId market, TenantId tenant, RowWriter rows,
            TenantCipher dataKey, Instant now) {
        String keyId = services.keys().createKey(keyAlias(tenant));
        byte[] contentKey = new byte[32];
        RANDOM.nextBytes(contentKey);
        String dir = directory(market, tenant);
        MessageDigest plaintext = sha256();
        Map<String, Long> tables;
        StoredObject stored;
        Path temp = null;
        try {
            temp = Files.createTempFile("geo-export-", ".sealed"); // owner-only where the file system allows
            try (Writer out = new OutputStreamWriter(new DigestOutputStream(SealedStream.encrypting(
                    Files.newOutputStream(temp), new SecretKeySpec(contentKey, "AES"), label(tenant)), plaintext),
                    StandardCharsets.UTF_8)) {
                tables = rows.writeTo(out);
            }
            try (InputStream in = Files.newInputStream(temp)) {
                stored = services.objects().put(dir + "rows.jsonl.sealed", in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Writing the export of tenant '" + tenant + "' failed: " + e.getMessage(), e);
        } finally {
            delete(temp);
        }
        ObjectNode manifest = ConfigJson.MAPPER.createObjectNode();
        manifest.put("format", FORMAT);
        manifest.put("tenant", tenant.value());
        manifest.put("market", market.value());
        manifest.put("region", services.region().name());
        manifest.put("exportedAt", now.toString());
        ObjectNode counts = manifest.putObject("tables");
        tables.forEach(counts::put);
        manifest.put("rows", stored.key());
        manifest.put("rowsSha256", stored.sha256());
        manifest.put("plaintextSha256", HexFormat.of().formatHex(plaintext.digest()));
        ObjectNode encryption = manifest.putObject("encryption");
        encryption.put("algorithm", "AES-256-GCM, " + SealedStream.SEGMENT + "-byte segments");
        encryption.put("exportKeyId", keyId);
        encryption.put("contentKey", Base64.getEncoder().encodeToString(services.keys().wrap(keyId, contentKey,
                contentContext(tenant))));
        encryption.put("tenantDataKey", Base64.getEncoder().encodeToString(dataKey.wrapKey(services.keys(), keyId,
                dataKeyContext(tenant))));
        Arrays.fill(contentKey, (byte) 0);
        services.objects().put(dir + "manifest.json", Reports.write(manifest).getBytes(StandardCharsets.UTF_8));
        return find(services, market, tenant).orElseThrow(() -> new PlatformException("The export of tenant '"
                + tenant + "' was written but cannot be read back from " + services.region() + "."));
    }

    /** The export of {@code tenant} in this region, if its manifest is there. */
    public static Optional<TenantExport> find(CloudRegion services, MarketId market, TenantId tenant) {
        String key = directory(market, tenant) + "manifest.json";
        Optional<StoredObject> head = services.objects().head(key);
        if (head.isEmpty()) {
            return Optional.empty();
        }
        JsonNode m = manifest(services, key);
        Map<String, Long> tables = new LinkedHashMap<>();
        m.path("tables").fields().forEachRemaining(e -> tables.put(e.getKey(), e.getValue().asLong()));
        StoredObject rows = services.objects().head(m.path("rows").asText()).orElseThrow(() -> new PlatformException(
                "The rows of the export of tenant '" + tenant + "' are missing from " + services.region() + "."));
        return Optional.of(new TenantExport(tenant, market, services.region(), rows, head.get(), tables,
                m.path("plaintextSha256").asText(), Instant.parse(m.path("exportedAt").asText())));
    }

    /**
     * Decrypts the export's rows into {@code out}, checking every segment and the plaintext's SHA-256.
     *
     * @throws PlatformException if the export key is gone or the export was altered
     */
    public static void read(CloudRegion services, TenantExport export, OutputStream out) {
        JsonNode m = manifest(services, export.manifest().key());
        byte[] contentKey;
        try {
            contentKey = services.keys().unwrap(keyId(m), wrapped(m, "contentKey"), contentContext(export.tenant()));
        } catch (RuntimeException e) {
            throw refused(services, export.tenant(), keyId(m), e);
        }
        MessageDigest digest = sha256();
        try (InputStream sealed = services.objects().open(export.rows().key()).orElseThrow(() ->
                        new PlatformException("The rows of the export of tenant '" + export.tenant() + "' are missing."));
                InputStream in = new DigestInputStream(SealedStream.decrypting(sealed,
                        new SecretKeySpec(contentKey, "AES"), label(export.tenant())), digest)) {
            in.transferTo(out);
        } catch (IOException e) {
            throw new PlatformException("The export of tenant '" + export.tenant() + "' cannot be read: "
                    + e.getMessage(), e);
        } finally {
            Arrays.fill(contentKey, (byte) 0);
        }
        if (!HexFormat.of().formatHex(digest.digest()).equals(export.plaintextSha256())) {
            throw new PlatformException("The export of tenant '" + export.tenant() + "' decrypts, but not to what was"
                    + " exported (SHA-256 differs from its manifest).");
        }
    }

    /** The tenant's data key kept in the export. */
    public static TenantCipher cipher(CloudRegion services, TenantExport export) {
        JsonNode m = manifest(services, export.manifest().key());
        try {
            return TenantCipher.unwrapKey(export.tenant(), services.keys(), keyId(m), wrapped(m, "tenantDataKey"),
                    dataKeyContext(export.tenant()));
        } catch (RuntimeException e) {
            throw refused(services, export.tenant(), keyId(m), e);
        }
    }

    /** Destroys the export key (crypto-shredding every copy), then deletes the objects. Idempotent. */
    public static void delete(CloudRegion services, TenantExport export) {
        services.keys().destroyKey(keyId(manifest(services, export.manifest().key())));
        services.objects().delete(export.rows().key());
        services.objects().delete(export.manifest().key());
    }

    private static JsonNode manifest(CloudRegion services, String key) {
        byte[] content = services.objects().get(key).orElseThrow(() -> new PlatformException("The export manifest "
                + key + " is missing from " + services.region() + "."));
        try {
            JsonNode m = ConfigJson.MAPPER.readTree(content);
            if (!FORMAT.equals(m.path("format").asText())) {
                throw new PlatformException("The export manifest " + key + " is not in format " + FORMAT + ".");
            }
            return m;
        } catch (IOException e) {
            throw new PlatformException("The export manifest " + key + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    private static String keyId(JsonNode manifest) {
        return manifest.path("encryption").path("exportKeyId").asText();
    }

    private static byte[] wrapped(JsonNode manifest, String field) {
        return Base64.getDecoder().decode(manifest.path("encryption").path(field).asText());
    }

    private static PlatformException refused(CloudRegion services, TenantId tenant, String keyId, RuntimeException e) {
        return new PlatformException("The export of tenant '" + tenant + "' cannot be opened: its key " + keyId + " in "
                + services.region() + " refused (" + e.getMessage() + "); was the export deleted?", e);
    }

    private static String contentContext(TenantId tenant) {
        return "export:" + tenant.value();
    }

    private static String dataKeyContext(TenantId tenant) {
        return "export-data-key:" + tenant.value();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static void delete(Path temp) {
        if (temp != null) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                throw new UncheckedIOException("Deleting the temporary export " + temp + " failed: " + e.getMessage(), e);
            }
        }
    }
}
