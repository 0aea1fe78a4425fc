package com.enterprisehub.geo.isolation;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link TenantDataSource#move} did.
 *
 * @param from where the tenant was
 * @param to where it is now (equal to {@code from} when it was there already and nothing was moved)
 * @param rows the tenant's rows per table on the target, verified equal to the source's (count and checksum)
 * @param caughtUp rows copied again or deleted after the snapshot, while the tenant was frozen (changes made
 *     during the copy)
 * @param writePause how long the tenant's new connections waited, in this instance, for the switch (its writes were
 *     frozen on every instance for about as long); zero when nothing was moved
 * @param resumed whether this call finished a move an earlier call had started
 */
public record MoveResult(TenantPlacement from, TenantPlacement to, Map<String, Long> rows, long caughtUp,
        Duration writePause, boolean resumed) {
    public MoveResult {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        rows = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(rows));
        Objects.requireNonNull(writePause, "writePause");
    }
}
