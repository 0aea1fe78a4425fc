package com.enterprisehub.geo.spring.autoconfigure;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.tenant.TenantResolver;
import com.enterprisehub.geo.isolation.TenantDataSource;
import com.enterprisehub.geo.spi.ProviderContext;
import com.enterprisehub.geo.spi.Providers;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalogProvider;
import com.enterprisehub.geo.spring.GeoProperties;
import com.enterprisehub.geo.spring.TenantDataSourceCustomizer;
import com.enterprisehub.geo.spring.TenantTaskDecorator;
import com.enterprisehub.geo.spring.internal.ControlPlanePool;
import com.enterprisehub.geo.spring.internal.ExistingTables;
import com.enterprisehub.geo.spring.internal.GeoSetup;
import com.enterprisehub.geo.spring.internal.TestedVersions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.core.io.Resource;
import org.springframework.util.ClassUtils;

/**
 * The SDK's core beans from {@code geo.*}: the market catalog, the tenant catalog, the tenant-routing
 * {@link TenantDataSource} as the application's {@code dataSource} (before Boot's own, which then backs off), the
 * {@link TenantResolver} and the {@code @Async} task decorator. Each backs off when the host defines its own.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClass(TenantDataSource.class)
@ConditionalOnBooleanProperty(name = "geo.enabled", matchIfMissing = true)
@EnableConfigurationProperties(GeoProperties.class)
public final class GeoAutoConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(GeoAutoConfiguration.class);
    private static final String DEFAULT_HEADER = "X-Tenant-Id";
    private static final String FLYWAY = "org.flywaydb.core.Flyway";
    private static final String FLYWAY_STRATEGY = "org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy";

    /** The market catalog: {@code geo.markets.file}, or the SDK's defaults. */
    @Bean
    @ConditionalOnMissingBean
    MarketCatalog geoMarketCatalog(GeoProperties properties, ApplicationContext context) {
        Optional<String> file = properties.markets().file().filter(f -> !f.isBlank());
        if (file.isEmpty()) {
            return MarketCatalog.defaults();
        }
        Resource resource = context.getResource(file.get());
        String name = file.get().toLowerCase(Locale.ROOT);
        MarketCatalog.Format format = name.endsWith(".yaml") || name.endsWith(".yml") ? MarketCatalog.Format.YAML
                : MarketCatalog.Format.JSON;
        try (InputStream in = resource.getInputStream()) {
            return MarketCatalog.load(in, file.get(), format);
        } catch (IOException e) {
            throw new UncheckedIOException("geo.markets.file: cannot read " + file.get() + ": " + e.getMessage(), e);
        }
    }

    /** Where platform and security events go. */
    @Bean
    @ConditionalOnMissingBean
    PlatformEvents geoPlatformEvents() {
        return PlatformEvents.create();
    }

    /**
     * The tenant catalog of provider {@code geo.tenants.provider}, given the control-plane pool as its
     * {@code DataSource} object when {@code geo.control-plane.url} is set (the {@code jdbc} provider needs it).
     */
    @Bean
    @ConditionalOnMissingBean
    TenantCatalog geoTenantCatalog(GeoProperties properties, PlatformEvents events,
            ObjectProvider<ControlPlanePool> controlPlane) {
        ProviderContext.Builder context = ProviderContext.builder().settings(properties.tenants().settings())
                .events(events);
        controlPlane.ifAvailable(pool -> context.object(DataSource.class, pool.dataSource()));
        return Providers.fromClassPath().select(TenantCatalogProvider.class, properties.tenants().provider())
                .open(context.build());
    }

    /** The control-plane pool, when {@code geo.control-plane.url} is set; closed with the context. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    @ConditionalOnProperty("geo.control-plane.url")
    ControlPlanePool geoControlPlanePool(GeoProperties properties, ObjectProvider<GeoSetup> setup) {
        // The role geoSetup resolved (a password-secret is read for each new connection); resolved alone when the host
        // has its own data source (then there is no geoSetup bean, and the pool closes the secret store it opened).
        GeoSetup resolved = setup.getIfAvailable();
        if (resolved != null && resolved.controlPlane().isPresent()) {
            return new ControlPlanePool(properties.controlPlane().url().orElseThrow(), resolved.controlPlane().get(),
                    properties.controlPlane().maximumPoolSize());
        }
        GeoSetup alone = GeoSetup.controlPlaneOnly(properties);
        return new ControlPlanePool(properties.controlPlane().url().orElseThrow(), alone.controlPlane().orElseThrow(),
                properties.controlPlane().maximumPoolSize(), alone);
    }

    /**
     * The endpoints, credentials and binding key, resolved once; a {@code password-secret} is read again for each new
     * connection, from the secret store this keeps open until the context closes.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(DataSource.class)
    GeoSetup geoSetup(GeoProperties properties) {
        TestedVersions.warnOutsideTestedRanges();
        return GeoSetup.resolve(properties);
    }

    /**
     * The tenant-routing data source. When Boot's Flyway will run, only the protected tables that exist already
     * are protected now; the others are once the shared migration created them (see
     * {@link com.enterprisehub.geo.spring.GeoSchemaGuard}). Every {@link TenantDataSourceCustomizer} bean is applied
     * last, in their order.
     */
    @Bean(name = "dataSource", destroyMethod = "close")
    @ConditionalOnMissingBean(DataSource.class)
    TenantDataSource dataSource(GeoProperties properties, GeoSetup setup, MarketCatalog markets, TenantCatalog tenants,
            PlatformEvents events, ObjectProvider<TenantDataSourceCustomizer> customizers, ApplicationContext context,
            Environment environment) {
        GeoProperties.Pool pool = properties.pool();
        TenantDataSource.Builder b = TenantDataSource.builder().tenants(tenants).markets(markets)
                .bindingKey(setup.bindingKey()).events(events)
                .maximumPoolSize(pool.maximumSize()).connectionTimeout(pool.connectionTimeout())
                .statementTimeout(pool.statementTimeout()).maxTenantPools(pool.maxTenantPools())
                .tenantPoolSize(pool.tenantPoolSize())
                .migrations(GeoSetup.tenantMigrations(context, properties.tenantMigrations().locations()));
        if (pool.reservedConnections() >= 0) {
            b.reservedConnections(pool.reservedConnections());
        }
        if (pool.maxConnectionsPerTenant() > 0) {
            b.maxConnectionsPerTenant(pool.maxConnectionsPerTenant());
        }
        setup.endpoints().forEach(b::endpoint);
        setup.dedicatedServers().forEach(b::dedicatedServer);
        List<String> now = flywayWillMigrate(environment)
                ? ExistingTables.presentEverywhere(setup.endpoints(), properties.protectedTables())
                : properties.protectedTables();
        now.forEach(b::protectTable);
        customizers.orderedStream().forEach(c -> c.customize(b));
        return b.build();
    }

    /**
     * The resolver of the request filter, from {@code geo.resolver.*}; the {@code X-Tenant-Id} header when no
     * source is configured (never added next to a configured claim or other source).
     */
    @Bean
    @ConditionalOnMissingBean
    TenantResolver geoTenantResolver(GeoProperties properties, TenantCatalog tenants) {
        GeoProperties.Resolver r = properties.resolver();
        TenantResolver.Builder b = TenantResolver.builder(tenants);
        Optional<String> header = r.header().filter(s -> !s.isBlank());
        Optional<String> subdomain = r.subdomainOf().filter(s -> !s.isBlank());
        Optional<String> prefix = r.pathPrefix().filter(s -> !s.isBlank());
        if (header.isEmpty() && subdomain.isEmpty() && prefix.isEmpty() && r.claimName().isEmpty()) {
            header = Optional.of(DEFAULT_HEADER); // the default only when nothing else is configured
        }
        header.ifPresent(b::header);
        subdomain.ifPresent(b::subdomainOf);
        prefix.ifPresent(b::pathPrefix);
        r.claimName().ifPresent(b::claim);
        try {
            return b.build();
        } catch (GeoValidationException e) {
            throw new GeoValidationException("geo.resolver: " + e.getMessage() + " Set geo.resolver.header,"
                    + " .subdomain-of, .path-prefix or .claim.");
        }
    }

    /** Carries the tenant into {@code @Async} methods and Boot's task executor (composed with the host's). */
    @Bean
    @ConditionalOnMissingBean(name = "geoTenantTaskDecorator")
    TenantTaskDecorator geoTenantTaskDecorator() {
        return new TenantTaskDecorator();
    }

    /**
     * Warns when a host's bean is a {@link TenantDataSource} but declared as a plain {@code DataSource}: conditions
     * see declared types, so the schema guard, the Hibernate settings, the health indicator and the meters are then
     * absent.
     */
    @Bean
    SmartInitializingSingleton geoDeclaredTypeCheck(ConfigurableListableBeanFactory beans) {
        return () -> {
            for (String name : beans.getBeanNamesForType(TenantDataSource.class, false, false)) {
                if (beans.containsBeanDefinition(name)
                        && beans.getMergedBeanDefinition(name) instanceof RootBeanDefinition definition
                        && definition.getResolvedFactoryMethod() != null
                        && !TenantDataSource.class.isAssignableFrom(
                                definition.getResolvedFactoryMethod().getReturnType())) {
                    LOG.warn("Bean '{}' is a TenantDataSource declared as {}: the starter's schema guard, Hibernate"
                            + " settings, health indicator and meters look for the TenantDataSource type and are"
                            + " absent. Declare the @Bean method's return type as TenantDataSource.", name,
                            definition.getResolvedFactoryMethod().getReturnType().getSimpleName());
                }
            }
        };
    }

    /** Whether Boot's Flyway auto-configuration will migrate the shared schema at start-up. */
    static boolean flywayWillMigrate(Environment environment) {
        ClassLoader loader = GeoAutoConfiguration.class.getClassLoader();
        return ClassUtils.isPresent(FLYWAY, loader) && ClassUtils.isPresent(FLYWAY_STRATEGY, loader)
                && environment.getProperty("spring.flyway.enabled", Boolean.class, true);
    }
}
