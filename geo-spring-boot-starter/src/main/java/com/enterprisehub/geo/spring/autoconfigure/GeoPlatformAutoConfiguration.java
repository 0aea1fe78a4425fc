package com.enterprisehub.geo.spring.autoconfigure;

import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.isolation.TenantDataSource;
import com.enterprisehub.geo.platform.Platform;
import com.enterprisehub.geo.spi.ProviderContext;
import com.enterprisehub.geo.spi.Providers;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.spi.cloud.Cloud;
import com.enterprisehub.geo.spi.cloud.CloudProvider;
import com.enterprisehub.geo.spi.cloud.KeyManagement;
import com.enterprisehub.geo.spring.GeoProperties;
import com.enterprisehub.geo.spring.TenantDataSourceCustomizer;
import com.enterprisehub.geo.spring.internal.ControlPlanePool;
import java.util.function.Function;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * geo-platform's beans when it is on the class path: the {@link Cloud} of {@code geo.secrets.cloud} and the
 * {@link Platform} (market readiness and deployment, tenant provisioning, suspension and offboarding with an audit
 * trail) on the tenant data source, the control plane ({@code geo.control-plane.*}) and that cloud, whose tenants get
 * their key management in their market's region. Each backs off when the host defines its own.
 */
@AutoConfiguration(after = {GeoAutoConfiguration.class, GeoSchemaAutoConfiguration.class})
@ConditionalOnClass(Platform.class)
@ConditionalOnBean(GeoProperties.class)
public final class GeoPlatformAutoConfiguration {
    /** The cloud of {@code geo.secrets.cloud}; closed with the context. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    @ConditionalOnProperty("geo.secrets.cloud")
    Cloud geoCloud(GeoProperties properties) {
        return Providers.fromClassPath().select(CloudProvider.class, properties.secrets().cloud().orElseThrow())
                .open(ProviderContext.of(properties.secrets().settings()));
    }

    /**
     * Each tenant's key management in its market's region ({@link Platform#regionalKeys}), on the data source the
     * starter builds: without it the platform cannot prove a tenant's data key, and provisioning stops there.
     */
    @Bean
    @ConditionalOnMissingBean(name = "geoRegionalKeys")
    @ConditionalOnBean({ControlPlanePool.class, Cloud.class})
    TenantDataSourceCustomizer geoRegionalKeys(Cloud cloud, MarketCatalog markets, ControlPlanePool controlPlane) {
        return new RegionalKeys(Platform.regionalKeys(cloud, markets, controlPlane.dataSource()));
    }

    /** Applied first (highest precedence), so that a host's own customizer may set other key management after it. */
    private record RegionalKeys(Function<Tenant, KeyManagement> keys) implements TenantDataSourceCustomizer, Ordered {
        @Override
        public void customize(TenantDataSource.Builder builder) {
            builder.keyManagement(keys);
        }

        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE;
        }
    }

    /** The platform, once the data source, the control plane and the cloud are there. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean({TenantDataSource.class, ControlPlanePool.class, Cloud.class})
    Platform geoPlatform(MarketCatalog markets, TenantCatalog tenants, TenantDataSource dataSource,
            ControlPlanePool controlPlane, Cloud cloud, PlatformEvents events) {
        return Platform.builder().markets(markets).tenants(tenants).dataSource(dataSource)
                .controlPlane(controlPlane.dataSource()).cloud(cloud).events(events).build();
    }
}
