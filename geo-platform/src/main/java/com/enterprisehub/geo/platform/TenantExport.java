package com.enterprisehub.geo.platform;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.spi.cloud.StoredObject;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link Platform#offboard} kept of a tenant before erasing it: every row as JSON Lines
 * ({@code {"table":"public.listings","row":{...}}}), encrypted, in its market region's object storage.
 *
 * <p>The rows are encrypted with a random content key (AES-256-GCM in 64 KiB segments, bound to the tenant);
 * the manifest holds that key and a copy of the tenant's data key, both wrapped under an export key of its
 * own in the region's key management. Read it with {@link Platform#readExport}; values the host encrypted
 * with the tenant's {@link com.enterprisehub.geo.isolation.TenantCipher} decrypt with
 * {@link Platform#exportCipher}. {@link Platform#deleteExport} destroys the export key first, so copies of
 * the export left in backups can no longer be read.
 *
 * @param tenant the tenant
 * @param market its market
 * @param region the region whose object storage and key management hold the export
 * @param rows the encrypted rows
 * @param manifest the manifest (JSON): row counts, the plaintext's SHA-256, the wrapped keys
 * @param tables rows exported per table
 * @param plaintextSha256 SHA-256 of the JSON Lines before encryption, lowercase hex
 * @param exportedAt when the export was written
 */
public record TenantExport(TenantId tenant, MarketId market, DeploymentRegion region, StoredObject rows,
        StoredObject manifest, Map<String, Long> tables, String plaintextSha256, Instant exportedAt) {
    public TenantExport {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(market, "market");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(rows, "rows");
        Objects.requireNonNull(manifest, "manifest");
        tables = Map.copyOf(tables);
        Objects.requireNonNull(plaintextSha256, "plaintextSha256");
        Objects.requireNonNull(exportedAt, "exportedAt");
    }

    /** Rows exported, over every table. */
    public long rowCount() {
        return tables.values().stream().mapToLong(Long::longValue).sum();
    }
}
