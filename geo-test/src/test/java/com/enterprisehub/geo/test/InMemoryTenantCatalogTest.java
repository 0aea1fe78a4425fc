package com.enterprisehub.geo.test;

import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import java.time.Clock;

class InMemoryTenantCatalogTest extends TenantCatalogContract {
    @Override
    protected TenantCatalog newCatalog(PlatformEvents events, Clock clock) {
        return InMemoryTenantCatalog.create(events, clock);
    }
}
