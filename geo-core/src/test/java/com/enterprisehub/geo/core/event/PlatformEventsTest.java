package com.enterprisehub.geo.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.enterprisehub.geo.core.tenant.Tenant;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlatformEventsTest {
    private final Tenant tenant = Tenant.builder("acme").market("us-ca").organization("Acme").build();

    @Test
    void listenersGetEventsInSubscriptionOrderAndAFailingOneDoesNotStopTheOthers() {
        PlatformEvents events = PlatformEvents.create();
        List<String> seen = new ArrayList<>();
        events.subscribe(e -> seen.add("first:" + e.type()));
        events.subscribe(e -> {
            throw new IllegalStateException("listener bug");
        });
        PlatformEvents.Subscription third = events.subscribe(e -> seen.add("third:" + e.type()));

        events.publish(new TenantCreated(Instant.EPOCH, tenant));
        third.close();
        events.publish(new TenantCreated(Instant.EPOCH, tenant));

        assertThat(seen).containsExactly("first:tenant.created", "third:tenant.created", "first:tenant.created");
    }
}
