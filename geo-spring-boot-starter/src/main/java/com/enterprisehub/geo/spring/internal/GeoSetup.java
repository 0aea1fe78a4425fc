package com.enterprisehub.geo.spring.internal;

import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.isolation.Credentials;
import com.enterprisehub.geo.isolation.DatabaseEndpoint;
import com.enterprisehub.geo.isolation.DedicatedServer;
import com.enterprisehub.geo.isolation.migration.Migration;
import com.enterprisehub.geo.isolation.migration.SchemaMigrations;
import com.enterprisehub.geo.spi.ProviderContext;
import com.enterprisehub.geo.spi.Providers;
import com.enterprisehub.geo.spi.cloud.Cloud;
import com.enterprisehub.geo.spi.cloud.CloudProvider;
import com.enterprisehub.geo.spi.cloud.DatabaseCredentials;
import com.enterprisehub.geo.spi.cloud.SecretStore;
import com.enterprisehub.geo.spring.GeoProperties;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.ResourcePatternResolver;

/**
 * The {@code geo.*} properties turned into the SDK's values: endpoints with their passwords (from the
 * properties or the secret store of each endpoint's region), the binding key, the per-tenant migrations. Every
 * problem is reported at once. A {@code password-secret} is read at start-up (so that a missing one is reported then)
 * and again for each new physical connection ({@link DatabaseCredentials}): a rotated password reaches new connections
 * without a restart. The secret store stays open for that until {@link #close()}. Not API.
 */
public final class GeoSetup implements AutoCloseable {
    private static final Pattern SCRIPT = Pattern.compile("V(\\d+)__(.+)\\.sql");

    private final List<DatabaseEndpoint> endpoints;
    private final List<DedicatedServer> dedicatedServers;
    private final byte[] bindingKey;
    private final DatabaseCredentials controlPlane;
    private final SecretSource secrets;

    private GeoSetup(List<DatabaseEndpoint> endpoints, List<DedicatedServer> dedicatedServers, byte[] bindingKey,
            DatabaseCredentials controlPlane, SecretSource secrets) {
        this.endpoints = List.copyOf(endpoints);
        this.dedicatedServers = List.copyOf(dedicatedServers);
        this.bindingKey = bindingKey;
        this.controlPlane = controlPlane;
        this.secrets = secrets;
    }

    /**
     * Resolves the properties; a secret store is opened only when a {@code *-secret} reference is used, and then stays
     * open until {@link #close()} (passwords are read from it for each new connection).
     *
     * @throws GeoValidationException listing every missing or invalid value
     */
    public static GeoSetup resolve(GeoProperties properties) {
        List<String> problems = new ArrayList<>();
        if (properties.endpoints().isEmpty() && properties.dedicatedServers().isEmpty()) {
            problems.add("no endpoint: set geo.endpoints[0].name, .region, .url, .admin.user, .admin.password"
                    + " (or .admin.password-secret), .app.user and .app.password");
        }
        SecretSource secrets = new SecretSource(properties.secrets());
        try {
            List<DatabaseEndpoint> endpoints = new ArrayList<>();
            for (int i = 0; i < properties.endpoints().size(); i++) {
                GeoProperties.Endpoint e = properties.endpoints().get(i);
                String prefix = "geo.endpoints[" + i + "]";
                List<String> missing = missing("name", e.name(), "region", e.region(), "url", e.url(), "admin",
                        e.admin(), "app", e.app());
                if (!missing.isEmpty()) {
                    problems.add(prefix + " has no " + String.join(", ", missing) + " (a list set in several property"
                            + " sources is taken whole from the highest one: give every field there)");
                }
                DatabaseCredentials admin = e.admin() == null ? null
                        : credentials(e.admin(), e.region(), prefix + ".admin", secrets, problems);
                DatabaseCredentials app = e.app() == null ? null
                        : credentials(e.app(), e.region(), prefix + ".app", secrets, problems);
                if (missing.isEmpty() && admin != null && app != null) {
                    try {
                        endpoints.add(new DatabaseEndpoint(e.name(), e.region(), e.url(), admin, app));
                    } catch (GeoValidationException ex) {
                        problems.add(prefix + ": " + ex.getMessage());
                    }
                }
            }
            List<DedicatedServer> servers = new ArrayList<>();
            for (int i = 0; i < properties.dedicatedServers().size(); i++) {
                GeoProperties.DedicatedServer d = properties.dedicatedServers().get(i);
                String prefix = "geo.dedicated-servers[" + i + "]";
                List<String> missing = missing("name", d.name(), "tenant", d.tenant(), "region", d.region(), "url",
                        d.url(), "admin", d.admin());
                if (!missing.isEmpty()) {
                    problems.add(prefix + " has no " + String.join(", ", missing));
                    continue;
                }
                DatabaseCredentials admin = credentials(d.admin(), d.region(), prefix + ".admin", secrets, problems);
                if (admin != null) {
                    try {
                        servers.add(new DedicatedServer(d.name(), TenantId.of(d.tenant()), d.region(), d.url(), admin));
                    } catch (GeoValidationException ex) {
                        problems.add(prefix + ": " + ex.getMessage());
                    }
                }
            }
            byte[] key = bindingKey(properties, secrets, problems);
            DatabaseCredentials controlPlane = controlPlane(properties, secrets, problems);
            if (!problems.isEmpty()) {
                throw new GeoValidationException("The geo.* configuration has " + problems.size() + " problem"
                        + (problems.size() == 1 ? "" : "s") + ": " + String.join("; ", problems) + ".");
            }
            return new GeoSetup(endpoints, servers, key, controlPlane, secrets);
        } catch (RuntimeException e) {
            secrets.close();
            throw e;
        }
    }

    /** The shared endpoints, in registration order. */
    public List<DatabaseEndpoint> endpoints() {
        return endpoints;
    }

    /** The dedicated servers. */
    public List<DedicatedServer> dedicatedServers() {
        return dedicatedServers;
    }

    /**
     * The control plane's role alone (a host with its own data source may still use the control-plane pool): a setup
     * with no endpoint and no binding key, whose {@link #controlPlane()} is present. Close it when the pool is closed
     * (its secret store is read for each new connection).
     *
     * @throws GeoValidationException if it is missing or its secret cannot be read
     */
    public static GeoSetup controlPlaneOnly(GeoProperties properties) {
        List<String> problems = new ArrayList<>();
        SecretSource secrets = new SecretSource(properties.secrets());
        try {
            DatabaseCredentials role = controlPlane(properties, secrets, problems);
            if (!problems.isEmpty() || role == null) {
                throw new GeoValidationException("The geo.control-plane configuration: " + String.join("; ", problems)
                        + ".");
            }
            return new GeoSetup(List.of(), List.of(), new byte[0], role, secrets);
        } catch (RuntimeException e) {
            secrets.close();
            throw e;
        }
    }

    /** Closes the secret store opened for {@code *-secret} references, if one was; later reads of them fail. */
    @Override
    public void close() {
        secrets.close();
    }

    private static DatabaseCredentials controlPlane(GeoProperties properties, SecretSource secrets, List<String> problems) {
        GeoProperties.ControlPlane plane = properties.controlPlane();
        if (plane.url().filter(u -> !u.isBlank()).isEmpty()) {
            return null;
        }
        if (plane.role() == null) {
            problems.add("geo.control-plane.url is set, but geo.control-plane.role.user is not");
            return null;
        }
        DeploymentRegion region = plane.region().orElse(properties.endpoints().stream()
                .map(GeoProperties.Endpoint::region).filter(r -> r != null).findFirst().orElse(null));
        if (region == null && plane.role().passwordSecret().isPresent()) {
            problems.add("geo.control-plane.role.password-secret needs geo.control-plane.region");
            return null;
        }
        return credentials(plane.role(), region, "geo.control-plane.role", secrets, problems);
    }

    /** The control plane's role, when {@code geo.control-plane.url} is set. */
    public Optional<DatabaseCredentials> controlPlane() {
        return Optional.ofNullable(controlPlane);
    }

    /** A copy of the binding key. */
    public byte[] bindingKey() {
        return bindingKey.clone();
    }

    /**
     * The per-tenant migrations found at {@code locations}: files {@code V<version>__<description>.sql}
     * (underscores in the description read as spaces); other files are refused, so a misnamed script is never
     * silently skipped.
     */
    public static SchemaMigrations tenantMigrations(ResourcePatternResolver resolver, List<String> locations) {
        List<Migration> migrations = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String location : locations) {
            String base = location.endsWith("/") ? location : location + "/";
            Resource[] found;
            try {
                found = resolver.getResources(base + "*.sql");
            } catch (IOException e) {
                // A location that does not exist holds no migration (as Flyway treats its default location).
                continue;
            }
            for (Resource r : found) {
                String name = r.getFilename() == null ? "" : r.getFilename();
                Matcher m = SCRIPT.matcher(name);
                if (!m.matches()) {
                    problems.add(base + name + " (name it V<version>__<description>.sql)");
                    continue;
                }
                try (InputStream in = r.getInputStream()) {
                    migrations.add(new Migration(Integer.parseInt(m.group(1)), m.group(2).replace('_', ' '),
                            new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot read tenant migration " + base + name, e);
                } catch (NumberFormatException e) {
                    problems.add(base + name + " (its version is too large)");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new GeoValidationException("Tenant migrations with names the starter cannot order: " + problems + ".");
        }
        return SchemaMigrations.of(migrations);
    }

    private static List<String> missing(Object... namesAndValues) {
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] == null) {
                missing.add((String) namesAndValues[i]);
            }
        }
        return missing;
    }

    private static DatabaseCredentials credentials(GeoProperties.Role role, DeploymentRegion region, String prefix,
            SecretSource secrets, List<String> problems) {
        if (role.user() == null || role.user().isBlank()) {
            problems.add(prefix + ".user is missing");
            return null;
        }
        if (role.password().isPresent() == role.passwordSecret().isPresent()) {
            problems.add(prefix + " needs exactly one of password and password-secret");
            return null;
        }
        if (role.password().isPresent()) {
            return new Credentials(role.user(), role.password().get());
        }
        if (region == null) {
            return null; // reported as missing already
        }
        String property = prefix + ".password-secret";
        // Read now, so that a missing secret is reported at start-up; then again for each new physical connection.
        Optional<Supplier<String>> reader = secrets.reader(region, role.passwordSecret().get(), property, problems);
        return reader.map(r -> DatabaseCredentials.of(role.user(), r)).orElse(null);
    }

    private static byte[] bindingKey(GeoProperties properties, SecretSource secrets, List<String> problems) {
        GeoProperties.BindingKey key = properties.bindingKey();
        if (key.value().isPresent() == key.secret().isPresent()) {
            problems.add("the binding key needs exactly one of geo.binding-key.value (Base64) and"
                    + " geo.binding-key.secret (the name of a secret holding it in Base64); make one with"
                    + " 'openssl rand -base64 32' and give every instance the same");
            return new byte[0];
        }
        Optional<String> encoded = key.value();
        if (key.secret().isPresent()) {
            Optional<DeploymentRegion> region = properties.secrets().region().or(() -> properties.endpoints().stream()
                    .map(GeoProperties.Endpoint::region).filter(r -> r != null).findFirst());
            if (region.isEmpty()) {
                problems.add("geo.binding-key.secret needs geo.secrets.region (or an endpoint's region)");
                return new byte[0];
            }
            encoded = secrets.get(region.get(), key.secret().get(), "geo.binding-key.secret", problems);
        }
        if (encoded.isEmpty()) {
            return new byte[0];
        }
        try {
            byte[] decoded = Base64.getDecoder().decode(encoded.get().trim());
            if (decoded.length < 32) {
                problems.add("the binding key has " + decoded.length + " bytes; it needs at least 32 random bytes");
            }
            return decoded;
        } catch (IllegalArgumentException e) {
            problems.add("the binding key is not Base64");
            return new byte[0];
        }
    }

    /** The secret stores of the configured cloud, opened on first use and closed at the end. */
    private static final class SecretSource implements AutoCloseable {
        private final GeoProperties.Secrets config;
        private Cloud cloud;

        SecretSource(GeoProperties.Secrets config) {
            this.config = config;
        }

        /**
         * Reads secret {@code name} now (a problem if it is missing) and returns a reader that reads it again on each
         * call, from the same store; a reader whose secret has gone throws, naming the secret, never a value.
         */
        Optional<Supplier<String>> reader(DeploymentRegion region, String name, String property,
                List<String> problems) {
            Optional<SecretStore> store = store(region, property, problems);
            if (store.isEmpty() || get(store.get(), region, name, property, problems).isEmpty()) {
                return Optional.empty();
            }
            SecretStore secrets = store.get();
            return Optional.of(() -> secrets.get(name).orElseThrow(() -> new GeoException("Secret '" + name + "' ("
                    + property + ") is no longer in the " + region + " secret store; no connection is opened with it."
                    + " Put the password back under that name, or change " + property + ".")));
        }

        Optional<String> get(DeploymentRegion region, String name, String property, List<String> problems) {
            return store(region, property, problems).flatMap(s -> get(s, region, name, property, problems));
        }

        private static Optional<String> get(SecretStore store, DeploymentRegion region, String name, String property,
                List<String> problems) {
            Optional<String> value = store.get(name);
            if (value.isEmpty()) {
                problems.add(property + ": secret '" + name + "' is not in the " + region + " secret store");
            }
            return value;
        }

        private Optional<SecretStore> store(DeploymentRegion region, String property, List<String> problems) {
            if (config.cloud().isEmpty()) {
                problems.add(property + " names a secret, but no secret store is configured: set geo.secrets.cloud"
                        + " (and geo.secrets.settings.*)");
                return Optional.empty();
            }
            if (cloud == null) {
                cloud = Providers.fromClassPath().select(CloudProvider.class, config.cloud().get())
                        .open(ProviderContext.of(config.settings()));
            }
            Optional<SecretStore> store = cloud.region(region).map(r -> r.secrets());
            if (store.isEmpty()) {
                problems.add(property + ": cloud '" + cloud.name() + "' offers no region " + region + " (it offers "
                        + cloud.regions() + ")");
                return Optional.empty();
            }
            return store;
        }

        @Override
        public void close() {
            if (cloud != null) {
                cloud.close();
            }
        }
    }
}
