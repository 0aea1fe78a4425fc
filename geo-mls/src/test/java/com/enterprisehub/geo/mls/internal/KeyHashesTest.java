package com.enterprisehub.geo.mls.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** KeyHashes with timestamps: each key keeps its newest timestamp through the sort, repeats and growth. */
class KeyHashesTest {

    @Test
    void everyKeyIsFoundWithItsNewestTimestamp() {
        Random random = new Random(42);
        Map<String, Long> expected = new HashMap<>();
        KeyHashes set = new KeyHashes();
        set.add("NO-STAMP"); // added before the first timestamp: stays without one
        for (int i = 0; i < 20_000; i++) {
            String key = "K" + random.nextInt(5_000); // many repeats, in no order
            long stamp = random.nextInt(1_000_000);
            set.add(key, stamp);
            expected.merge(key, stamp, Math::max);
        }
        set.seal();
        assertThat(set.size()).isEqualTo(expected.size() + 1);
        expected.forEach((key, stamp) -> assertThat(set.stamp(set.indexOf(key))).as(key).isEqualTo(stamp));
        assertThat(set.stamp(set.indexOf("NO-STAMP"))).isEqualTo(KeyHashes.NO_STAMP);
        assertThat(set.indexOf("absent")).isNegative();
        assertThat(set.unmatched()).isZero();
    }
}
