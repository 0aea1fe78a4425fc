package com.enterprisehub.geo.spring.autoconfigure;

import com.enterprisehub.geo.spring.TenantKeyGenerator;
import com.enterprisehub.geo.spring.TenantScopedCacheManager;
import java.util.List;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.cache.CacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Tenant-scoped caching: every {@link CacheManager} bean is wrapped in a {@link TenantScopedCacheManager} (caches
 * in {@code geo.cache.shared-caches} stay shared), and a {@code tenantKeyGenerator} bean is offered for cache
 * managers the host keeps unwrapped ({@code geo.cache.tenant-scoped=false}).
 */
@AutoConfiguration(after = GeoAutoConfiguration.class)
@ConditionalOnClass(CacheManager.class)
@ConditionalOnBooleanProperty(name = "geo.enabled", matchIfMissing = true)
public final class GeoCacheAutoConfiguration {
    /** Spring's default key scoped by tenant. */
    @Bean
    @ConditionalOnMissingBean(name = "tenantKeyGenerator")
    TenantKeyGenerator tenantKeyGenerator() {
        return new TenantKeyGenerator();
    }

    /** Wraps the cache managers. Static: a post-processor is created before the other beans. */
    @Bean
    @ConditionalOnBooleanProperty(name = "geo.cache.tenant-scoped", matchIfMissing = true)
    static BeanPostProcessor geoTenantScopedCacheManagers(Environment environment) {
        List<String> shared = Binder.get(environment).bind("geo.cache.shared-caches", Bindable.listOf(String.class))
                .orElse(List.of());
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof CacheManager manager && !(bean instanceof TenantScopedCacheManager)) {
                    return new TenantScopedCacheManager(manager, shared);
                }
                return bean;
            }
        };
    }
}
