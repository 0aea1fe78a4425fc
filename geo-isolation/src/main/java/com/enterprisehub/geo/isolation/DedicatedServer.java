package com.enterprisehub.geo.isolation;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.spi.cloud.DatabaseCredentials;
import java.util.Objects;

/**
 * A PostgreSQL server reserved for one REGULATORY tenant, in its market's region. The tenant's data lives
 * in a database of its own on that server, reached with a login role of its own; no other tenant is ever
 * placed on it, and the tenant is never routed to it if the market's residency rule stops allowing its
 * region.
 *
 * <p>Construction fails with a {@link GeoValidationException} if the name or URL is invalid, the credentials give
 * no user name, or they {@linkplain DatabaseCredentials#requiresVerifiedTls() require a verified server} (RDS IAM
 * tokens) and the URL has no {@code sslmode=verify-full} (or {@code verify-ca}).
 *
 * @param name a short unique name among endpoints and dedicated servers ("acme-uk")
 * @param tenant the tenant it is reserved for
 * @param region where the server runs: one its market's residency rule allows and the market's own region
 * @param jdbcUrl {@code jdbc:postgresql://host:port/database}, without user or password; the database holds
 *     the control plane (placements, wrapped keys)
 * @param admin a role that may create roles and databases (used for provisioning only); a superuser or
 *     BYPASSRLS role if you export tenants; fixed {@link Credentials} or a password read again for each
 *     connection (see {@link DatabaseEndpoint})
 */
public record DedicatedServer(String name, TenantId tenant, DeploymentRegion region, String jdbcUrl,
        DatabaseCredentials admin) {
    /**
     * A dedicated server with a fixed administrator password. The same as the canonical constructor; kept so that
     * code compiled against 0.1's {@code DedicatedServer(String, TenantId, DeploymentRegion, String, Credentials)}
     * runs unchanged.
     */
    public DedicatedServer(String name, TenantId tenant, DeploymentRegion region, String jdbcUrl, Credentials admin) {
        this(name, tenant, region, jdbcUrl, (DatabaseCredentials) admin);
    }

    public DedicatedServer {
        DatabaseEndpoint.validate(name, jdbcUrl);
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(region, "region");
        DatabaseEndpoint.validate(name, jdbcUrl, Objects.requireNonNull(admin, "admin"), "administrator");
    }
}
