package com.enterprisehub.geo.spring.autoconfigure;

import com.enterprisehub.geo.spring.TenantKeyGenerator;
import com.enterprisehub.geo.spring.TenantScopedCacheManager;
import com.enterprisehub.geo.core.GeoValidationException;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.CachingConfigurer;
import org.springframework.cache.interceptor.AbstractCacheResolver;
import org.springframework.cache.interceptor.CacheResolver;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Tenant-scoped caching: every {@link CacheManager} bean is wrapped in a {@link TenantScopedCacheManager} (caches
 * in {@code geo.cache.shared-caches} stay shared), and a {@code tenantKeyGenerator} bean is offered for cache
 * managers the host keeps unwrapped ({@code geo.cache.tenant-scoped=false}). A cache manager or resolver given
 * through a {@link CachingConfigurer} must be tenant-scoped, or the start fails.
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

    /**
     * Fails the start when a {@link CachingConfigurer} hands Spring a cache manager that is no bean (so never
     * wrapped) or a cache resolver whose caches are not tenant-scoped: {@code @Cacheable} would bypass the scoping.
     */
    @Bean
    @ConditionalOnBooleanProperty(name = "geo.cache.tenant-scoped", matchIfMissing = true)
    SmartInitializingSingleton geoCachingConfigurerCheck(ObjectProvider<CachingConfigurer> configurers) {
        return () -> configurers.orderedStream().forEach(GeoCacheAutoConfiguration::requireScoped);
    }

    private static void requireScoped(CachingConfigurer configurer) {
        String name = configurer.getClass().getName();
        CacheManager manager = configurer.cacheManager();
        if (manager != null && !(manager instanceof TenantScopedCacheManager)) {
            throw new GeoValidationException("CachingConfigurer " + name + ".cacheManager() returns a cache manager"
                    + " that is not tenant-scoped (" + manager.getClass().getName() + "), so @Cacheable would share"
                    + " entries between tenants: declare the cache manager as a @Bean (the starter wraps it), return"
                    + " a TenantScopedCacheManager, or set geo.cache.tenant-scoped=false and use"
                    + " keyGenerator = \"tenantKeyGenerator\".");
        }
        CacheResolver resolver = configurer.cacheResolver();
        if (resolver != null && !(resolver instanceof AbstractCacheResolver r
                && managerOf(r) instanceof TenantScopedCacheManager)) {
            throw new GeoValidationException("CachingConfigurer " + name + ".cacheResolver() returns a cache resolver"
                    + " the starter cannot check is tenant-scoped (" + resolver.getClass().getName() + "): return"
                    + " null and declare the cache manager as a @Bean, resolve from a TenantScopedCacheManager"
                    + " (e.g. SimpleCacheResolver), or set geo.cache.tenant-scoped=false and use"
                    + " keyGenerator = \"tenantKeyGenerator\".");
        }
    }

    private static CacheManager managerOf(AbstractCacheResolver resolver) {
        try {
            return resolver.getCacheManager();
        } catch (IllegalStateException e) {
            return null; // no manager set yet
        }
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
