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
 * @param enabled whether the starter configures anything at all (default true)
 * @param markets where the market catalog comes from
 * @param tenants which tenant catalog provider to open
 * @param controlPlane the database of the SDK's platform tables (the {@code jdbc} tenant catalog's), if any
 * @param bindingKey the key binding tokens are made with (at least 32 bytes, the same on every instance)
 * @param secrets the secret store that {@code *-secret} references are read from
 * @param endpoints the shared PostgreSQL endpoints tenants are placed on, in registration order
 * @param dedicatedServers the dedicated servers of REGULATORY tenants
 * @param protectedTables shared tables with a {@code tenant_id} column to put under row-level security
 * @param pool pool sizes, caps and timeouts
 * @param tenantMigrations the per-tenant schema migrations (ENHANCED, MAXIMUM, REGULATORY tenants)
 * @param resolver where the request filter reads the tenant from
 * @param web the request filter
 * @param hibernate what the starter tells Hibernate so that it starts without a tenant
 * @param cache tenant-scoped caching
 * @param health the {@code db} health indicator
 * @param tracing OpenTelemetry span attributes and events
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
     * @param file a Spring resource location of a catalog file ({@code .json}, {@code .yaml} or {@code .yml}, e.g.
     *     {@code classpath:markets.yaml}); empty: the SDK's twelve default markets
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
     * @param provider the provider's name: {@code in-memory} (forgets tenants on restart), or {@code jdbc} from
     *     geo-platform (needs {@code geo.control-plane.url})
     * @param settings the provider's settings
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
     * @param url {@code jdbc:postgresql://host:port/database}; empty: no control plane
     * @param role the role owning (or allowed to create) schema {@code geo_platform}
     * @param region the region whose secret store {@code role.password-secret} is read from; default: the first
     *     endpoint's
     * @param maximumPoolSize the pool's size
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
     * @param value the key in Base64 (put it in an environment variable, never in a committed file)
     * @param secret the name of a secret holding the key in Base64, read from {@link Secrets the secret store}
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
     * @param cloud the cloud provider's name ({@code local}, {@code aws}); empty: no secret store, so no
     *     {@code *-secret} reference may be used
     * @param region the region the binding key's secret is read from; default: the first endpoint's region
     * @param settings the cloud provider's settings (for {@code local}: {@code directory} and {@code regions})
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
     * @param user the role name
     * @param password the password (prefer {@code password-secret} or an environment variable)
     * @param passwordSecret the name of a secret holding the password, read from the endpoint's region
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
     * @param name a short unique name ({@code us-east-shared})
     * @param region where the server runs ({@code US_EAST}, {@code CANADA}, {@code EUROPE} ...)
     * @param url {@code jdbc:postgresql://host:port/database}, without user or password
     * @param admin the administrator role (provisioning, migrations, protection)
     * @param app the application's login role (request traffic)
     */
    public record Endpoint(String name, DeploymentRegion region, String url, Role admin, Role app) {
    }

    /**
     * The dedicated server of one REGULATORY tenant.
     *
     * @param name a short unique name
     * @param tenant the tenant's id
     * @param region where the server runs
     * @param url {@code jdbc:postgresql://host:port/database}
     * @param admin the administrator role
     */
    public record DedicatedServer(String name, String tenant, DeploymentRegion region, String url, Role admin) {
    }

    /**
     * Pools, caps and timeouts (see {@code TenantDataSource.Builder}).
     *
     * @param maximumSize the most connections of the application role per endpoint
     * @param maxConnectionsPerTenant the most one tenant may hold at once; 0: half the pool
     * @param reservedConnections connections a tenant already holding one must leave free for tenants holding none
     *     (fair share); -1: the SDK's default (a quarter of the pool); 0: no reserve
     * @param connectionTimeout how long {@code getConnection()} waits for a tenant's cap
     * @param statementTimeout every tenant's statement timeout; 0: none
     * @param maxTenantPools the most MAXIMUM and REGULATORY tenant pools open at once
     * @param tenantPoolSize the most connections of one such pool
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
     * @param locations Spring resource locations of the folders holding the files
     * @param migrateOnStart whether placed tenants are brought up to date at start-up (after the shared schema)
     * @param parallelism how many tenants are migrated at once at start-up
     */
    public record TenantMigrations(@DefaultValue("classpath:db/tenant") List<String> locations,
            @DefaultValue("true") boolean migrateOnStart, @DefaultValue("4") int parallelism) {
    }

    /**
     * Where the request filter reads the tenant from; every configured source is read and they must agree.
     * When none is configured: the {@code X-Tenant-Id} header alone. A header, a subdomain and a path prefix are
     * chosen by the client; only a claim is checked by the host (see {@code TenantAuthorizer}).
     *
     * @param header a header naming the tenant; no default once another source is configured
     * @param subdomainOf a base domain whose first label names the tenant ({@code geo.example.com})
     * @param pathPrefix a path prefix followed by the tenant ({@code /t/})
     * @param claim a claim of a token the host verified (Spring Security's resource server, or a {@code VerifiedClaims}
     *     bean); when set, every request must carry it (400 otherwise) and the start fails without a
     *     {@code VerifiedClaims} source
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
     * @param enabled whether the filter is registered
     * @param order the filter's order; default {@code -90}: after Spring Security's filter chain ({@code -100}),
     *     so that claims of a token it verified are available
     * @param excludePaths Ant-style path patterns served without a tenant
     */
    public record Web(@DefaultValue("true") boolean enabled, @DefaultValue("-90") int order,
            @DefaultValue({"/actuator/**", "/error"}) List<String> excludePaths) {
    }

    /**
     * What Hibernate is told so that it never needs a connection at start-up.
     *
     * @param configure whether the starter adds its settings (each only when the host set none)
     * @param databaseMajorVersion the PostgreSQL major version Hibernate's dialect assumes (the SDK needs 17+)
     */
    public record Hibernate(@DefaultValue("true") boolean configure, @DefaultValue("17") int databaseMajorVersion) {
    }

    /**
     * Tenant-scoped caching: every cache of the host's {@code CacheManager} keyed by tenant.
     *
     * @param tenantScoped whether cache managers are wrapped so that each entry belongs to one tenant
     * @param sharedCaches names of caches that hold no tenant data and stay shared (no tenant needed)
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
     * @param selfCheckMaxAge how long a self-check run is reused by the indicator; {@code 0s}: a run per call
     */
    public record Health(@DefaultValue("30s") Duration selfCheckMaxAge) {
    }

    /**
     * OpenTelemetry (when {@code opentelemetry-api} is on the class path): the request's span carries the tenant's id,
     * market and isolation level; refusals and the SDK's security events become span events.
     *
     * @param enabled whether the starter reports to OpenTelemetry
     */
    public record Tracing(@DefaultValue("true") boolean enabled) {
    }
}
