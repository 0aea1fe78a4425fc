package com.enterprisehub.geo.spring;

import com.enterprisehub.geo.core.tenant.TenantContext;
import java.lang.reflect.Method;
import org.springframework.cache.interceptor.KeyGenerator;
import org.springframework.cache.interceptor.SimpleKeyGenerator;

/**
 * Spring's default key (from the method's parameters) scoped to the current tenant, for
 * {@code @Cacheable(keyGenerator = "tenantKeyGenerator")} on a cache manager the starter does not wrap. With no
 * tenant bound it throws {@link com.enterprisehub.geo.core.NoTenantBoundException}: a key shared by all tenants
 * is never made. Stateless and thread-safe.
 */
public final class TenantKeyGenerator implements KeyGenerator {
    @Override
    public Object generate(Object target, Method method, Object... params) {
        String tenant = TenantContext.require("a tenant-scoped cache key").id().value();
        return new TenantKey(tenant, SimpleKeyGenerator.generateKey(params));
    }
}
