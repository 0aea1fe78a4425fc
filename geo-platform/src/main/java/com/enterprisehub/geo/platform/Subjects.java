package com.enterprisehub.geo.platform;

import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.tenant.TenantId;

/**
 * The subjects the control plane files journals, audit trails, locks and configurations under: {@code market:<id>}
 * and {@code tenant:<id>}. Stored: never change them. Stateless.
 */
final class Subjects {
    private Subjects() {
    }

    static String of(MarketId id) {
        return "market:" + id.value();
    }

    static String of(TenantId id) {
        return "tenant:" + id.value();
    }
}
