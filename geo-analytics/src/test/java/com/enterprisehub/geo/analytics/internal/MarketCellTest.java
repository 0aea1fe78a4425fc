package com.enterprisehub.geo.analytics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.enterprisehub.geo.core.tenant.TenantId;
import java.util.Currency;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MarketCellTest {

    /** Memory depends on the spread of the values, not on how many there are. */
    @Test
    void memoryDoesNotGrowWithVolume() {
        MarketCell cell = new MarketCell(Currency.getInstance("USD"));
        SplittableRandom random = new SplittableRandom(1);
        TenantId tenant = TenantId.of("acme");
        // the full spread first: 1 µs to 5 s, and 1 s to 30 days for responses
        cell.recordLatency(1);
        cell.recordLatency(5_000_000);
        cell.recordResponse(1_000);
        cell.recordResponse(30L * 24 * 3600 * 1000);
        long before = cell.histogramBytes();
        for (int i = 0; i < 2_000_000; i++) {
            cell.recordLatency(1 + random.nextLong(5_000_000));
            cell.recordResponse(1_000 + random.nextLong(30L * 24 * 3600 * 1000));
            cell.tenant(tenant).incrementAndGet(Counter.REQUESTS);
        }
        assertThat(cell.histogramBytes()).isEqualTo(before);
        // and it is small: about 2,000 and 2,800 buckets of 8 bytes (two significant digits)
        assertThat(before).isLessThan(100_000);
        CellData copy = cell.copy();
        assertThat(copy.tenants().get(tenant)[Counter.REQUESTS]).isEqualTo(2_000_000);
        assertThat(copy.latencyMicros().getTotalCount()).isEqualTo(2_000_002);
    }
}
