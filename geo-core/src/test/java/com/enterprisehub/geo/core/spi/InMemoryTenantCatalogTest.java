package com.enterprisehub.geo.core.spi;

import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.core.tck.TenantCatalogContract;
import java.time.Clock;

class InMemoryTenantCatalogTest extends TenantCatalogContract {
    @Override
    protected TenantCatalog newCatalog(PlatformEvents events, Clock clock) {
        return TenantCatalog.inMemory(events, clock);
    }
}
