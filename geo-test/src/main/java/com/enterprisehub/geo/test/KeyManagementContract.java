package com.enterprisehub.geo.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.spi.cloud.KeyManagement;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link KeyManagement} must pass. Extend it, implement {@link #newKeyManagement}, and run it
 * with JUnit 5:
 *
 * <pre>{@code
 * class VaultKeyManagementTest extends KeyManagementContract {
 *     protected KeyManagement newKeyManagement() {
 *         return new VaultKeyManagement(vaultClient, "geo-test-" + UUID.randomUUID());
 *     }
 *     protected void close(KeyManagement kms) { ((VaultKeyManagement) kms).close(); }
 * }
 * }</pre>
 *
 * <p>Each test gets a fresh key management holding no key. It checks that:
 * <ul>
 *   <li>{@code createKey} is idempotent per alias (the same id again), and different aliases get different keys;</li>
 *   <li>{@code wrap} then {@code unwrap} with the same key and context gives back the data key, and the wrapped form
 *       never holds the data key (not even 8 consecutive bytes of it);</li>
 *   <li>another context, another key, a flipped bit anywhere, a truncated or empty wrapped key are refused with a
 *       {@link GeoException};</li>
 *   <li>after {@code destroyKey} nothing the key wrapped opens again, not even under a key created anew with the same
 *       alias, and destroying again is harmless;</li>
 *   <li>key ids it never issued are refused with a {@link GeoException};</li>
 *   <li>aliases that are not lowercase slugs are refused with a {@link GeoValidationException};</li>
 *   <li>{@code createKey} of one alias from 16 threads at once yields one id and one key (what each thread wrapped
 *       opens with the id any other got);</li>
 *   <li>neither the caller's arrays nor the returned ones are shared with the key management.</li>
 * </ul>
 * Implementations must be thread-safe; the kit itself is not (JUnit makes one instance per test).
 */
public abstract class KeyManagementContract {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The key management under test, made by {@link #newKeyManagement} before each test. */
    protected KeyManagement kms;

    /** A new key management that holds no key yet (a fresh directory, a fresh namespace of a real service, ...). */
    protected abstract KeyManagement newKeyManagement() throws Exception;

    /** Releases what {@link #newKeyManagement} opened. Default: nothing. */
    protected void close(KeyManagement kms) throws Exception {
    }

    @BeforeEach
    void openKeyManagement() throws Exception {
        kms = newKeyManagement();
        assertThat(kms).as("newKeyManagement()").isNotNull();
    }

    @AfterEach
    void closeKeyManagement() throws Exception {
        if (kms != null) {
            close(kms);
        }
    }

    /** A random data key of {@code length} bytes. */
    protected static byte[] dataKey(int length) {
        byte[] key = new byte[length];
        RANDOM.nextBytes(key);
        return key;
    }

    @Test
    void createKeyIsIdempotentPerAlias() {
        String acme = kms.createKey("tenant-acme");
        assertThat(acme).as("a key id").isNotBlank();
        assertThat(kms.createKey("tenant-acme")).as("the same alias again").isEqualTo(acme);
        String bay = kms.createKey("tenant-bay");
        assertThat(bay).as("another alias").isNotEqualTo(acme);

        byte[] data = dataKey(32);
        byte[] wrapped = kms.wrap(acme, data, "tenant:acme");
        kms.createKey("tenant-acme");
        assertThat(kms.unwrap(acme, wrapped, "tenant:acme")).as("creating it again keeps the key").isEqualTo(data);
    }

    @Test
    void wrapThenUnwrapGivesTheDataKeyBack() {
        String key = kms.createKey("tenant-acme");
        for (int length : new int[] {16, 32, 64}) {
            byte[] data = dataKey(length);
            byte[] wrapped = kms.wrap(key, data, "tenant:acme");
            assertThat(kms.unwrap(key, wrapped, "tenant:acme")).as(length + "-byte data key").isEqualTo(data);
            assertThat(kms.unwrap(key, wrapped, "tenant:acme")).as("unwrapping twice").isEqualTo(data);
        }
        byte[] unicode = dataKey(32);
        byte[] wrapped = kms.wrap(key, unicode, "tenant:Montréal/é€");
        assertThat(kms.unwrap(key, wrapped, "tenant:Montréal/é€")).as("a context outside ASCII").isEqualTo(unicode);
    }

    @Test
    void theWrappedFormDoesNotHoldTheDataKey() {
        String key = kms.createKey("tenant-acme");
        for (int i = 0; i < 20; i++) {
            byte[] data = dataKey(32);
            byte[] wrapped = kms.wrap(key, data, "tenant:acme");
            assertThat(Kits.contains(wrapped, data)).as("the wrapped form holds the data key").isFalse();
            assertThat(Kits.containsAnyRun(wrapped, data, 8)).as("the wrapped form holds 8 bytes of the data key in"
                    + " a row").isFalse();
        }
        byte[] zeros = new byte[32];
        byte[] wrapped = kms.wrap(key, zeros, "tenant:acme");
        assertThat(Kits.contains(wrapped, zeros)).as("a data key of zeros is not stored as it is").isFalse();
    }

    @Test
    void anotherContextIsRefused() {
        String key = kms.createKey("tenant-acme");
        byte[] wrapped = kms.wrap(key, dataKey(32), "tenant:acme");
        for (String other : List.of("tenant:bay", "tenant:acm", "tenant:acme ", "TENANT:ACME", "")) {
            assertThatThrownBy(() -> kms.unwrap(key, wrapped, other)).as("context '%s'", other)
                    .isInstanceOf(GeoException.class);
        }
    }

    @Test
    void anotherKeyIsRefused() {
        String acme = kms.createKey("tenant-acme");
        String bay = kms.createKey("tenant-bay");
        byte[] wrapped = kms.wrap(acme, dataKey(32), "tenant:acme");
        assertThatThrownBy(() -> kms.unwrap(bay, wrapped, "tenant:acme")).isInstanceOf(GeoException.class);
    }

    @Test
    void aFlippedBitAnywhereIsRefused() {
        String key = kms.createKey("tenant-acme");
        byte[] wrapped = kms.wrap(key, dataKey(32), "tenant:acme");
        Set<Integer> positions = new HashSet<>(List.of(0, 1, wrapped.length / 2, wrapped.length - 1));
        for (int i = 0; i < wrapped.length; i += 7) {
            positions.add(i);
        }
        for (int position : positions) {
            for (int bit : new int[] {0, 7}) {
                byte[] altered = wrapped.clone();
                altered[position] ^= (byte) (1 << bit);
                assertThatThrownBy(() -> kms.unwrap(key, altered, "tenant:acme"))
                        .as("bit %d of byte %d of %d flipped", bit, position, wrapped.length)
                        .isInstanceOf(GeoException.class);
            }
        }
    }

    @Test
    void aTruncatedEmptyOrLengthenedWrappedKeyIsRefused() {
        String key = kms.createKey("tenant-acme");
        byte[] wrapped = kms.wrap(key, dataKey(32), "tenant:acme");
        assertThatThrownBy(() -> kms.unwrap(key, Arrays.copyOf(wrapped, wrapped.length - 1), "tenant:acme"))
                .as("the last byte cut off").isInstanceOf(GeoException.class);
        assertThatThrownBy(() -> kms.unwrap(key, Arrays.copyOf(wrapped, wrapped.length + 1), "tenant:acme"))
                .as("a byte appended").isInstanceOf(GeoException.class);
        assertThatThrownBy(() -> kms.unwrap(key, Arrays.copyOfRange(wrapped, 1, wrapped.length), "tenant:acme"))
                .as("the first byte cut off").isInstanceOf(GeoException.class);
        assertThatThrownBy(() -> kms.unwrap(key, new byte[0], "tenant:acme")).as("nothing")
                .isInstanceOf(GeoException.class);
    }

    @Test
    void aDestroyedKeyOpensNothingEverAgain() {
        String key = kms.createKey("tenant-acme");
        byte[] wrapped = kms.wrap(key, dataKey(32), "tenant:acme");
        String other = kms.createKey("tenant-bay");
        byte[] otherData = dataKey(32);
        byte[] otherWrapped = kms.wrap(other, otherData, "tenant:bay");

        kms.destroyKey(key);
        assertThatThrownBy(() -> kms.unwrap(key, wrapped, "tenant:acme")).as("unwrap after destroyKey")
                .isInstanceOf(GeoException.class);
        assertThatThrownBy(() -> kms.wrap(key, dataKey(32), "tenant:acme")).as("wrap after destroyKey")
                .isInstanceOf(GeoException.class);
        kms.destroyKey(key); // idempotent
        assertThatThrownBy(() -> kms.unwrap(key, wrapped, "tenant:acme")).as("unwrap after a second destroyKey")
                .isInstanceOf(GeoException.class);
        assertThat(kms.unwrap(other, otherWrapped, "tenant:bay")).as("another key is untouched").isEqualTo(otherData);

        // A key created anew under the alias (if the implementation allows it) is another key.
        Throwable refused = catchThrowable(() -> kms.createKey("tenant-acme"));
        if (refused == null) {
            String again = kms.createKey("tenant-acme");
            assertThatThrownBy(() -> kms.unwrap(again, wrapped, "tenant:acme"))
                    .as("what the destroyed key wrapped, under the key created anew with its alias")
                    .isInstanceOf(GeoException.class);
        } else {
            assertThat(refused).as("re-creating a destroyed alias, if refused").isInstanceOf(GeoException.class);
        }
    }

    @Test
    void keyIdsItNeverIssuedAreRefused() {
        String issued = kms.createKey("tenant-acme");
        byte[] wrapped = kms.wrap(issued, dataKey(32), "tenant:acme");
        for (String unknown : List.of(issued + "x", issued + "-other", "no-such-key", "tenant-acme", "")) {
            if (unknown.equals(issued)) {
                continue;
            }
            assertThatThrownBy(() -> kms.wrap(unknown, dataKey(32), "tenant:acme")).as("wrap with '%s'", unknown)
                    .isInstanceOf(GeoException.class);
            assertThatThrownBy(() -> kms.unwrap(unknown, wrapped, "tenant:acme")).as("unwrap with '%s'", unknown)
                    .isInstanceOf(GeoException.class);
        }
    }

    @Test
    void aliasesThatAreNotLowercaseSlugsAreRefused() {
        for (String bad : List.of("", " ", "Tenant-Acme", "TENANT", "tenant acme", "../etc", "a/b", "tenant\\acme",
                "tenant\u0000acme", "ténant", "tenant:acme", "-tenant", "tenant-")) {
            assertThatThrownBy(() -> kms.createKey(bad)).as("alias '%s'", bad)
                    .isInstanceOf(GeoValidationException.class);
        }
    }

    @Test
    void concurrentCreatesOfOneAliasYieldOneKey() throws Exception {
        record Created(String id, byte[] data, byte[] wrapped) {
        }
        List<Created> created = Kits.race(16, () -> {
            String id = kms.createKey("tenant-race");
            byte[] data = dataKey(32);
            return new Created(id, data, kms.wrap(id, data, "tenant:race"));
        });
        assertThat(created.stream().map(Created::id).distinct()).as("ids from 16 concurrent creates").hasSize(1);
        String id = created.get(0).id();
        for (Created c : created) {
            assertThat(kms.unwrap(id, c.wrapped(), "tenant:race"))
                    .as("what each creator wrapped opens: there is one key, not one per creator").isEqualTo(c.data());
        }
    }

    @Test
    void arraysAreNotSharedWithTheCaller() {
        String key = kms.createKey("tenant-acme");
        byte[] data = dataKey(32);
        byte[] original = data.clone();
        byte[] wrapped = kms.wrap(key, data, "tenant:acme");
        Arrays.fill(data, (byte) 0);
        byte[] opened = kms.unwrap(key, wrapped, "tenant:acme");
        assertThat(opened).as("the data key as it was when wrapped").isEqualTo(original);
        Arrays.fill(opened, (byte) 0);
        assertThat(kms.unwrap(key, wrapped, "tenant:acme")).as("after the caller cleared what unwrap returned")
                .isEqualTo(original);
    }
}
