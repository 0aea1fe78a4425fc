package com.enterprisehub.geo.platform.internal;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.isolation.TenantCipher;
import com.enterprisehub.geo.platform.PlatformException;
import com.enterprisehub.geo.platform.TenantExport;
import com.enterprisehub.geo.spi.cloud.CloudRegion;
import com.enterprisehub.geo.spi.cloud.StoredObject;
import com.enterprisehub.geo.spi.crypto.Digests;
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
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
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

    /** An export just written, with the id of its key (recorded in the control plane, never read back). */
    public record Written(TenantExport export, String exportKeyId) {
    }

    /**
     * Writes a tenant's export: rows encrypted under a fresh content key, then the manifest holding that key
     * and the tenant's data key, both wrapped under the export key.
     */
    public static Written write(CloudRegion services, Optional<Path> staging, MarketId market, TenantId tenant,
            RowWriter rows, TenantCipher dataKey, Instant now) {
        String keyId = services.keys().createKey(keyAlias(tenant));
        byte[] contentKey = new byte[32];
        RANDOM.nextBytes(contentKey);
        String dir = directory(market, tenant);
        MessageDigest plaintext = Digests.sha256();
        Map<String, Long> tables;
        StoredObject stored;
        Path temp = null;
        try {
            // owner-only where the file system allows
            temp = staging.isPresent() ? Files.createTempFile(staging.get(), "geo-export-", ".sealed")
                    : Files.createTempFile("geo-export-", ".sealed");
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
        String plaintextSha256 = Digests.hex(plaintext);
        manifest.put("plaintextSha256", plaintextSha256);
        ObjectNode encryption = manifest.putObject("encryption");
        encryption.put("algorithm", "AES-256-GCM, " + SealedStream.SEGMENT + "-byte segments");
        encryption.put("exportKeyId", keyId);
        encryption.put("contentKey", Base64.getEncoder().encodeToString(services.keys().wrap(keyId, contentKey,
                contentContext(tenant))));
        encryption.put("tenantDataKey", Base64.getEncoder().encodeToString(dataKey.wrapKey(services.keys(), keyId,
                dataKeyContext(tenant))));
        Arrays.fill(contentKey, (byte) 0);
        StoredObject manifestObject = services.objects().put(dir + "manifest.json", Reports.write(manifest)
                .getBytes(StandardCharsets.UTF_8));
        return new Written(new TenantExport(tenant, market, services.region(), stored, manifestObject, tables,
                plaintextSha256, now), keyId);
    }

    /** The export as the control plane records it (JSON). */
    public static String json(TenantExport e) {
        ObjectNode root = ConfigJson.MAPPER.createObjectNode();
        root.put("tenant", e.tenant().value());
        root.put("market", e.market().value());
        root.put("region", e.region().name());
        object(root.putObject("rows"), e.rows());
        object(root.putObject("manifest"), e.manifest());
        ObjectNode tables = root.putObject("tables");
        e.tables().forEach(tables::put);
        root.put("plaintextSha256", e.plaintextSha256());
        root.put("exportedAt", e.exportedAt().toString());
        return Reports.write(root);
    }

    /** The export {@link #json} described. */
    public static TenantExport fromJson(String json) {
        try {
            JsonNode m = ConfigJson.MAPPER.readTree(json);
            Map<String, Long> tables = new LinkedHashMap<>();
            m.path("tables").fields().forEachRemaining(e -> tables.put(e.getKey(), e.getValue().asLong()));
            return new TenantExport(TenantId.of(m.path("tenant").asText()), MarketId.of(m.path("market").asText()),
                    DeploymentRegion.valueOf(m.path("region").asText()), object(m.path("rows")),
                    object(m.path("manifest")), tables, m.path("plaintextSha256").asText(),
                    Instant.parse(m.path("exportedAt").asText()));
        } catch (IOException | RuntimeException e) {
            throw new PlatformException("The export recorded in the control plane cannot be read: " + e.getMessage(), e);
        }
    }

    private static void object(ObjectNode node, StoredObject o) {
        node.put("key", o.key()).put("size", o.size()).put("sha256", o.sha256());
    }

    private static StoredObject object(JsonNode node) {
        return new StoredObject(node.path("key").asText(), node.path("size").asLong(), node.path("sha256").asText());
    }

    /**
     * Decrypts the export's rows into {@code out}, checking every segment and the plaintext's SHA-256. Two
     * passes: the first decrypts and checks everything and writes nothing, so an altered or truncated export
     * puts no byte into {@code out}; the second writes, checked the same way (it can only fail if the stored
     * object changed between the two passes).
     *
     * @throws PlatformException if the export key is gone or the export was altered
     */
    public static void read(CloudRegion services, TenantExport export, String keyId, OutputStream out) {
        JsonNode m = manifest(services, export);
        byte[] contentKey;
        try {
            contentKey = services.keys().unwrap(keyId, wrapped(m, "contentKey"), contentContext(export.tenant()));
        } catch (RuntimeException e) {
            throw refused(services, export.tenant(), keyId, e);
        }
        try {
            SecretKeySpec key = new SecretKeySpec(contentKey, "AES");
            decrypt(services, export, key, OutputStream.nullOutputStream());
            decrypt(services, export, key, out);
        } finally {
            Arrays.fill(contentKey, (byte) 0);
        }
    }

    private static void decrypt(CloudRegion services, TenantExport export, SecretKeySpec key, OutputStream out) {
        MessageDigest digest = Digests.sha256();
        try (InputStream sealed = services.objects().open(export.rows().key()).orElseThrow(() ->
                        new PlatformException("The rows of the export of tenant '" + export.tenant() + "' are missing."));
                InputStream in = new DigestInputStream(SealedStream.decrypting(sealed, key, label(export.tenant())),
                        digest)) {
            in.transferTo(out);
        } catch (IOException e) {
            throw new PlatformException("The export of tenant '" + export.tenant() + "' cannot be read: "
                    + e.getMessage(), e);
        }
        if (!Digests.hex(digest).equals(export.plaintextSha256())) {
            throw new PlatformException("The export of tenant '" + export.tenant() + "' decrypts, but not to what was"
                    + " exported (SHA-256 differs from its manifest).");
        }
    }

    /** The tenant's data key kept in the export. */
    public static TenantCipher cipher(CloudRegion services, TenantExport export, String keyId) {
        JsonNode m = manifest(services, export);
        try {
            return TenantCipher.unwrapKey(export.tenant(), services.keys(), keyId, wrapped(m, "tenantDataKey"),
                    dataKeyContext(export.tenant()));
        } catch (RuntimeException e) {
            throw refused(services, export.tenant(), keyId, e);
        }
    }

    /**
     * Destroys the export key (crypto-shredding every copy), then deletes the objects. Everything comes from
     * the control plane's record, nothing from the stored manifest. Idempotent: objects already gone are fine.
     */
    public static void delete(CloudRegion services, TenantExport export, String keyId) {
        services.keys().destroyKey(keyId);
        services.objects().delete(export.rows().key());
        services.objects().delete(export.manifest().key());
    }

    /**
     * The stored manifest, for its wrapped keys only (a forged one can only fail to unwrap: the wraps are bound
     * to the tenant and the key id comes from the control plane); it must name the recorded tenant and rows.
     */
    private static JsonNode manifest(CloudRegion services, TenantExport export) {
        String key = export.manifest().key();
        byte[] content = services.objects().get(key).orElseThrow(() -> new PlatformException("The export manifest "
                + key + " is missing from " + services.region() + "."));
        JsonNode m;
        try {
            m = ConfigJson.MAPPER.readTree(content);
        } catch (IOException e) {
            throw new PlatformException("The export manifest " + key + " is not valid JSON: " + e.getMessage(), e);
        }
        if (!FORMAT.equals(m.path("format").asText()) || !export.tenant().value().equals(m.path("tenant").asText())
                || !export.rows().key().equals(m.path("rows").asText())) {
            throw new PlatformException("The export manifest " + key + " does not describe the export recorded for"
                    + " tenant '" + export.tenant() + "': it was altered.");
        }
        return m;
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
