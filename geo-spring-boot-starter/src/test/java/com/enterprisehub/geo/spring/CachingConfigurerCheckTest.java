package com.enterprisehub.geo.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.enterprisehub.geo.spring.autoconfigure.GeoCacheAutoConfiguration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.CachingConfigurer;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.cache.interceptor.CacheResolver;
import org.springframework.cache.interceptor.SimpleCacheResolver;

/** A cache manager or resolver handed to Spring through a {@link CachingConfigurer} is not left unscoped. */
class CachingConfigurerCheckTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(GeoCacheAutoConfiguration.class));

    @Test
    void aConfigurerReturningAManagerThatIsNoBeanFailsTheStart() {
        runner.withBean(CachingConfigurer.class, () -> new CachingConfigurer() {
            @Override
            public CacheManager cacheManager() {
                return new ConcurrentMapCacheManager(); // not a bean: the wrapper never sees it
            }
        }).run(context -> assertThat(context).hasFailed().getFailure()
                .hasMessageContaining("CachingConfigurer").hasMessageContaining("cacheManager()"));
    }

    @Test
    void aConfigurerReturningAnUnscopedResolverFailsTheStart() {
        runner.withBean(CachingConfigurer.class, () -> new CachingConfigurer() {
            @Override
            public CacheResolver cacheResolver() {
                return new SimpleCacheResolver(new ConcurrentMapCacheManager());
            }
        }).run(context -> assertThat(context).hasFailed().getFailure()
                .hasMessageContaining("cacheResolver()"));
    }

    @Test
    void aConfigurerReturningScopedPartsStarts() {
        TenantScopedCacheManager scoped = new TenantScopedCacheManager(new ConcurrentMapCacheManager(), List.of());
        runner.withBean(CachingConfigurer.class, () -> new CachingConfigurer() {
            @Override
            public CacheManager cacheManager() {
                return scoped;
            }

            @Override
            public CacheResolver cacheResolver() {
                return new SimpleCacheResolver(scoped);
            }
        }).run(context -> assertThat(context).hasNotFailed());
        runner.withPropertyValues("geo.cache.tenant-scoped=false").withBean(CachingConfigurer.class,
                () -> new CachingConfigurer() {
                    @Override
                    public CacheManager cacheManager() {
                        return new ConcurrentMapCacheManager();
                    }
                }).run(context -> assertThat(context).hasNotFailed());
    }
}
