package com.enterprisehub.geo.platform;

import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.test.TenantCatalogContract;
import java.time.Clock;

/** The catalog contract through the cache as a generic decorator: over the in-memory catalog (no change signal). */
class CachingInMemoryTenantCatalogTest extends TenantCatalogContract {
    @Override
    protected TenantCatalog newCatalog(PlatformEvents events, Clock clock) {
        return CachingTenantCatalog.builder(InMemoryTenantCatalog.create(events, clock)).build();
    }

    @Override
    protected void closeCatalog(TenantCatalog catalog) {
        ((CachingTenantCatalog) catalog).close();
    }
}
