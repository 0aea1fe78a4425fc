package com.enterprisehub.geo.core.internal;

import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.core.spi.TenantCatalog;
import com.enterprisehub.geo.core.spi.TenantCatalogProvider;
import java.time.Clock;
import java.util.Map;

/** The built-in {@code in-memory} catalog provider; it takes no settings. Not part of the API. */
public final class InMemoryTenantCatalogProvider implements TenantCatalogProvider {
    @Override
    public String name() {
        return "in-memory";
    }

    @Override
    public int priority() {
        return -100;
    }

    @Override
    public TenantCatalog open(Map<String, String> settings, PlatformEvents events) {
        if (!settings.isEmpty()) {
            throw new com.enterprisehub.geo.core.GeoValidationException("The in-memory tenant catalog takes no"
                    + " settings; got " + settings.keySet() + ".");
        }
        return new InMemoryTenantCatalog(events, Clock.systemUTC());
    }
}
