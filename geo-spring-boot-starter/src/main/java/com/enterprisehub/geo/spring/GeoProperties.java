package com.enterprisehub.geo.spring;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code geo.*} configuration of the starter. Immutable once bound; every part has a default except the
 * endpoints and the binding key, which the tenant {@code DataSource} needs.
 *
 * @param enabled Whether the starter configures anything at all (default true).
 * @param markets Where the market catalog comes from.
 * @param tenants Which tenant catalog provider to open.
 * @param controlPlane The database of the SDK's platform tables (the jdbc tenant catalog's), if any.
 * @param bindingKey The key binding tokens are made with (at least 32 bytes, the same on every instance).
 * @param secrets The secret store that *-secret references are read from.
 * @param endpoints The shared PostgreSQL endpoints tenants are placed on, in registration order.
 * @param dedicatedServers The dedicated servers of REGULATORY tenants.
 * @param protectedTables Shared tables with a tenant_id column to put under row-level security.
 * @param pool Pool sizes, caps and timeouts.
 * @param tenantMigrations The per-tenant schema migrations (ENHANCED, MAXIMUM, REGULATORY tenants).
 * @param resolver Where the request filter reads the tenant from.
 * @param web The request filter.
 * @param hibernate What the starter tells Hibernate so that it starts without a tenant.
 * @param cache Tenant-scoped caching.
 * @param health The db health indicator.
 * @param tracing OpenTelemetry span attributes and events.
 */
@ConfigurationProperties("geo")
public record GeoProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue Markets markets,
        @DefaultValue Tenants tenants,
        @DefaultValue ControlPlane controlPlane,
        @DefaultValue BindingKey bindingKey,
        @DefaultValue Secrets secrets,
        List<Endpoint> endpoints,
        List<DedicatedServer> dedicatedServers,
        List<String> protectedTables,
        @DefaultValue Pool pool,
        @DefaultValue TenantMigrations tenantMigrations,
        @DefaultValue Resolver resolver,
        @DefaultValue Web web,
        @DefaultValue Hibernate hibernate,
        @DefaultValue Cache cache,
        @DefaultValue Health health,
        @DefaultValue Tracing tracing) {

    /** Null lists become empty ones. */
    public GeoProperties {
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
        dedicatedServers = dedicatedServers == null ? List.of() : List.copyOf(dedicatedServers);
        protectedTables = protectedTables == null ? List.of() : List.copyOf(protectedTables);
    }

    /**
     * The market catalog.
     *
     * @param file A Spring resource location of a catalog file (.json, .yaml or .yml, e.g.
     *     classpath:markets.yaml); empty: the SDK's twelve default markets.
     */
    public record Markets(Optional<String> file) {
        /** Absent values become empty. */
        public Markets {
            file = file == null ? Optional.empty() : file;
        }
    }

    /**
     * The tenant catalog, opened through the SDK's provider discovery when the host defines no
     * {@code TenantCatalog} bean.
     *
     * @param provider The provider's name: in-memory (forgets tenants on restart), or jdbc from
     *     geo-platform (needs geo.control-plane.url).
     * @param settings The provider's settings.
     */
    public record Tenants(@DefaultValue("in-memory") String provider, Map<String, String> settings) {
        /** Null settings become empty ones. */
        public Tenants {
            settings = settings == null ? Map.of() : Map.copyOf(settings);
        }
    }

    /**
     * The control-plane database: where geo-platform keeps its tables (schema {@code geo_platform}), among them the
     * {@code jdbc} tenant catalog's. The starter opens a small pool on it and hands it to the tenant catalog
     * provider as its {@code DataSource} object; it is not a bean, so it never competes with the application's.
     *
     * @param url The control-plane database, jdbc:postgresql://host:port/database; empty: no control plane.
     * @param role The role owning (or allowed to create) schema geo_platform.
     * @param region The region whose secret store role.password-secret is read from; default: the first
     *     endpoint's.
     * @param maximumPoolSize The size of the starter's pool on the control-plane database.
     */
    public record ControlPlane(Optional<String> url, Role role, Optional<DeploymentRegion> region,
            @DefaultValue("4") int maximumPoolSize) {
        /** Absent values become empty. */
        public ControlPlane {
            url = url == null ? Optional.empty() : url;
            region = region == null ? Optional.empty() : region;
        }
    }

    /**
     * The binding key: exactly one of the two.
     *
     * @param value The key in Base64 (put it in an environment variable, never in a committed file).
     * @param secret The name of a secret holding the key in Base64, read from the secret store.
     */
    public record BindingKey(Optional<String> value, Optional<String> secret) {
        /** Absent values become empty. */
        public BindingKey {
            value = value == null ? Optional.empty() : value;
            secret = secret == null ? Optional.empty() : secret;
        }

        @Override
        public String toString() {
            return "BindingKey[value=" + (value.isPresent() ? "****" : "none") + ", secret=" + secret.orElse("none")
                    + "]";
        }
    }

    /**
     * The secret store {@code *-secret} references are read from: a cloud opened through the SDK's provider
     * discovery ({@code CloudProvider}); each endpoint's secrets come from its own region's store.
     *
     * @param cloud The cloud provider's name (local, aws); empty: no secret store, so no
     *     *-secret reference may be used.
     * @param region The region the binding key's secret is read from; default: the first endpoint's region.
     * @param settings The cloud provider's settings (for local: directory and regions).
     */
    public record Secrets(Optional<String> cloud, Optional<DeploymentRegion> region, Map<String, String> settings) {
        /** Null settings become empty ones. */
        public Secrets {
            cloud = cloud == null ? Optional.empty() : cloud;
            region = region == null ? Optional.empty() : region;
            settings = settings == null ? Map.of() : Map.copyOf(settings);
        }
    }

    /**
     * A database role: a password, or the name of a secret holding it.
     *
     * @param user The role's name.
     * @param password The password (prefer password-secret or an environment variable).
     * @param passwordSecret The name of a secret holding the password, read from the secret store of the endpoint's
     *     region (for the control plane: geo.control-plane.region).
     */
    public record Role(String user, Optional<String> password, Optional<String> passwordSecret) {
        /** Absent values become empty. */
        public Role {
            password = password == null ? Optional.empty() : password;
            passwordSecret = passwordSecret == null ? Optional.empty() : passwordSecret;
        }

        @Override
        public String toString() {
            return "Role[user=" + user + ", password=" + (password.isPresent() ? "****" : "none")
                    + ", passwordSecret=" + passwordSecret.orElse("none") + "]";
        }
    }

    /**
     * A shared PostgreSQL endpoint.
     *
     * @param name A short unique name (us-east-shared).
     * @param region Where the server runs (US_EAST, CANADA, EUROPE ...).
     * @param url The endpoint's database, jdbc:postgresql://host:port/database, without user or password.
     * @param admin The administrator role (provisioning, migrations, protection).
     * @param app The application's login role (request traffic).
     */
    public record Endpoint(String name, DeploymentRegion region, String url, Role admin, Role app) {
    }

    /**
     * The dedicated server of one REGULATORY tenant.
     *
     * @param name A short unique name.
     * @param tenant The tenant's id.
     * @param region Where the server runs.
     * @param url The dedicated server's database, jdbc:postgresql://host:port/database.
     * @param admin The administrator role.
     */
    public record DedicatedServer(String name, String tenant, DeploymentRegion region, String url, Role admin) {
    }

    /**
     * Pools, caps and timeouts (see {@code TenantDataSource.Builder}).
     *
     * @param maximumSize The most connections of the application role per endpoint.
     * @param maxConnectionsPerTenant The most one tenant may hold at once; 0: half the pool.
     * @param reservedConnections Connections a tenant already holding one must leave free for tenants holding none
     *     (fair share); -1: the SDK's default (a quarter of the pool); 0: no reserve.
     * @param connectionTimeout How long getConnection() waits for a tenant's cap.
     * @param statementTimeout Every tenant's statement timeout; 0: none.
     * @param maxTenantPools The most MAXIMUM and REGULATORY tenant pools open at once.
     * @param tenantPoolSize The most connections of one such pool.
     */
    public record Pool(@DefaultValue("10") int maximumSize, @DefaultValue("0") int maxConnectionsPerTenant,
            @DefaultValue("-1") int reservedConnections,
            @DefaultValue("30s") Duration connectionTimeout, @DefaultValue("0s") Duration statementTimeout,
            @DefaultValue("20") int maxTenantPools, @DefaultValue("2") int tenantPoolSize) {
    }

    /**
     * Per-tenant migrations: SQL files named {@code V<version>__<description>.sql} applied to every ENHANCED
     * tenant's schema and every MAXIMUM and REGULATORY tenant's database, at provisioning and at start-up.
     *
     * @param locations Spring resource locations of the folders holding the files.
     * @param migrateOnStart Whether placed tenants are brought up to date at start-up (after the shared schema).
     * @param parallelism How many tenants are migrated at once at start-up.
     */
    public record TenantMigrations(@DefaultValue("classpath:db/tenant") List<String> locations,
            @DefaultValue("true") boolean migrateOnStart, @DefaultValue("4") int parallelism) {
    }

    /**
     * Where the request filter reads the tenant from; every configured source is read and they must agree.
     * When none is configured: the {@code X-Tenant-Id} header alone. A header, a subdomain and a path prefix are
     * chosen by the client; only a claim is checked by the host (see {@code TenantAuthorizer}).
     *
     * @param header A header naming the tenant; no default once another source is configured.
     * @param subdomainOf A base domain whose first label names the tenant (geo.example.com).
     * @param pathPrefix A path prefix followed by the tenant (/t/).
     * @param claim A claim of a token the host verified (Spring Security's resource server, or a VerifiedClaims
     *     bean); when set, every request must carry it (400 otherwise) and the start fails without a
     *     VerifiedClaims source.
     */
    public record Resolver(Optional<String> header, Optional<String> subdomainOf,
            Optional<String> pathPrefix, Optional<String> claim) {
        /** Absent values become empty. */
        public Resolver {
            header = header == null ? Optional.empty() : header;
            subdomainOf = subdomainOf == null ? Optional.empty() : subdomainOf;
            pathPrefix = pathPrefix == null ? Optional.empty() : pathPrefix;
            claim = claim == null ? Optional.empty() : claim;
        }

        /** The configured claim's name, if any. */
        public Optional<String> claimName() {
            return claim.filter(s -> !s.isBlank());
        }
    }

    /**
     * The servlet filter that resolves the tenant of each request and binds it.
     *
     * @param enabled Whether the filter is registered.
     * @param order The filter's order; default -90: after Spring Security's filter chain (-100),
     *     so that claims of a token it verified are available.
     * @param excludePaths Ant-style path patterns served without a tenant.
     */
    public record Web(@DefaultValue("true") boolean enabled, @DefaultValue("-90") int order,
            @DefaultValue({"/actuator/**", "/error"}) List<String> excludePaths) {
    }

    /**
     * What Hibernate is told so that it never needs a connection at start-up.
     *
     * @param configure Whether the starter adds its settings (each only when the host set none).
     * @param databaseMajorVersion The PostgreSQL major version Hibernate's dialect assumes (the SDK needs 17+).
     */
    public record Hibernate(@DefaultValue("true") boolean configure, @DefaultValue("17") int databaseMajorVersion) {
    }

    /**
     * Tenant-scoped caching: every cache of the host's {@code CacheManager} keyed by tenant.
     *
     * @param tenantScoped Whether cache managers are wrapped so that each entry belongs to one tenant.
     * @param sharedCaches Names of caches that hold no tenant data and stay shared (no tenant needed).
     */
    public record Cache(@DefaultValue("true") boolean tenantScoped, List<String> sharedCaches) {
        /** Null lists become empty ones. */
        public Cache {
            sharedCaches = sharedCaches == null ? List.of() : List.copyOf(sharedCaches);
        }
    }

    /**
     * The {@code db} health indicator (the SDK's self-check: an application-role and an administrator connection
     * per endpoint per run).
     *
     * @param selfCheckMaxAge How long a self-check run is reused by the indicator; 0s: a run per call.
     */
    public record Health(@DefaultValue("30s") Duration selfCheckMaxAge) {
    }

    /**
     * OpenTelemetry (when {@code opentelemetry-api} is on the class path): the request's span carries the tenant's id,
     * market and isolation level; refusals and the SDK's security events become span events.
     *
     * @param enabled Whether the starter reports to OpenTelemetry.
     */
    public record Tracing(@DefaultValue("true") boolean enabled) {
    }
}
