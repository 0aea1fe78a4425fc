package com.enterprisehub.geo.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.spi.cloud.SecretStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link SecretStore} must pass. Extend it, implement {@link #newSecretStore}, and run it with
 * JUnit 5:
 *
 * <pre>{@code
 * class VaultSecretStoreTest extends SecretStoreContract {
 *     protected SecretStore newSecretStore() {
 *         return new VaultSecretStore(vaultClient, "geo-test/" + UUID.randomUUID());
 *     }
 * }
 * }</pre>
 *
 * <p>Each test gets a fresh, empty store. It checks that:
 * <ul>
 *   <li>{@code get} finds what {@code put} stored, exactly (any Unicode, line breaks, 10,000 characters), a second
 *       {@code put} replaces it, and {@code delete} removes it and is idempotent;</li>
 *   <li>names are distinct ({@code a/b}, {@code a/c}, {@code a-b}), and a folder of names is not a secret;</li>
 *   <li>names that are not lowercase paths of letters, digits, '.', '_' and '-' separated by '/' (empty, upper case, a
 *       leading or trailing '/', an empty, '.' or '..' segment, a space) are refused with a
 *       {@link GeoValidationException} by {@code put}, {@code get} and {@code delete};</li>
 *   <li>a value never appears in what an exception says (its message, causes and suppressed exceptions) nor in the
 *       store's {@code toString};</li>
 *   <li>8 writers of one secret at once leave one of their values, and readers meanwhile see whole values.</li>
 * </ul>
 * Implementations must be thread-safe; the kit itself is not (JUnit makes one instance per test).
 */
public abstract class SecretStoreContract {
    /** A value that must never be seen outside {@code get}. */
    protected static final String SECRET = "client-id:Sup3r-S3cret-Válue-7f1c";

    /** The store under test, made by {@link #newSecretStore} before each test. */
    protected SecretStore secrets;

    /** A new, empty secret store (a fresh directory, a fresh namespace of a real service, ...). */
    protected abstract SecretStore newSecretStore() throws Exception;

    /** Releases what {@link #newSecretStore} opened. Default: nothing. */
    protected void close(SecretStore secrets) throws Exception {
    }

    @BeforeEach
    void openStore() throws Exception {
        secrets = newSecretStore();
        assertThat(secrets).as("newSecretStore()").isNotNull();
    }

    @AfterEach
    void closeStore() throws Exception {
        if (secrets != null) {
            close(secrets);
        }
    }

    @Test
    void getFindsWhatPutStoredAndDeleteRemovesIt() {
        assertThat(secrets.get("mls/crmls/credentials")).isEmpty();
        secrets.put("mls/crmls/credentials", SECRET);
        assertThat(secrets.get("mls/crmls/credentials")).contains(SECRET);
        secrets.put("mls/crmls/credentials", "rotated");
        assertThat(secrets.get("mls/crmls/credentials")).as("after a second put").contains("rotated");
        secrets.delete("mls/crmls/credentials");
        assertThat(secrets.get("mls/crmls/credentials")).as("after delete").isEmpty();
        secrets.delete("mls/crmls/credentials");
        secrets.delete("never/was");
        assertThat(secrets.get("mls/crmls/credentials")).isEmpty();
        secrets.put("mls/crmls/credentials", "again");
        assertThat(secrets.get("mls/crmls/credentials")).as("put after delete").contains("again");
    }

    @Test
    void valuesComeBackExactly() {
        List<String> values = List.of("pässwörd-€-日本-😀", "line one\nline two\r\n\ttabbed ",
                " leading and trailing ",
                "{\"user\":\"acme\",\"password\":\"p@ss\"}", "x".repeat(10_000), "a");
        for (int i = 0; i < values.size(); i++) {
            secrets.put("values/v" + i, values.get(i));
        }
        for (int i = 0; i < values.size(); i++) {
            assertThat(secrets.get("values/v" + i)).as("value %d", i).contains(values.get(i));
        }
    }

    @Test
    void namesAreDistinctAndAFolderIsNotASecret() {
        secrets.put("a/b", "1");
        secrets.put("a/c", "2");
        secrets.put("a-b", "3");
        secrets.put("a.b", "4");
        secrets.put("a_b/c/d", "5");
        assertThat(secrets.get("a/b")).contains("1");
        assertThat(secrets.get("a/c")).contains("2");
        assertThat(secrets.get("a-b")).contains("3");
        assertThat(secrets.get("a.b")).contains("4");
        assertThat(secrets.get("a_b/c/d")).contains("5");
        for (String folder : List.of("a", "a_b", "a_b/c")) {
            assertThat(secrets.get(folder)).as("get(%s)", folder).isEmpty();
            secrets.delete(folder);
        }
        assertThat(secrets.get("a/b")).as("after deleting its folder's name").contains("1");
        assertThat(secrets.get("a_b/c/d")).as("after deleting its folders' names").contains("5");
        secrets.delete("a/b");
        assertThat(secrets.get("a/c")).contains("2");
    }

    @Test
    void namesThatAreNotLowercasePathsAreRefused() {
        for (String bad : List.of("", "/", "/mls/key", "mls/key/", "mls//key", "..", ".", "../outside", "mls/../key",
                "mls/./key", "with space", "Mls/Key", "MLS", "mls\\key", "mls/ké", "tab\tname")) {
            assertThatThrownBy(() -> secrets.put(bad, SECRET)).as("put('%s')", bad)
                    .isInstanceOf(GeoValidationException.class);
            assertThatThrownBy(() -> secrets.get(bad)).as("get('%s')", bad).isInstanceOf(GeoValidationException.class);
            assertThatThrownBy(() -> secrets.delete(bad)).as("delete('%s')", bad)
                    .isInstanceOf(GeoValidationException.class);
        }
        for (String good : List.of("x", "mls/crmls/api-key", "db/geo_app.password", "2026/rotation-1")) {
            secrets.put(good, "v");
            assertThat(secrets.get(good)).as("get('%s')", good).contains("v");
        }
    }

    @Test
    void aValueNeverAppearsInExceptionsOrToString() {
        secrets.put("mls/crmls/credentials", SECRET);
        assertThat(String.valueOf(secrets)).as("the store's toString").doesNotContain(SECRET);
        for (String bad : List.of("", "Mls/Key", "../outside", "with space")) {
            Throwable thrown = catchThrowable(() -> secrets.put(bad, SECRET));
            assertThat(thrown).as("put('%s')", bad).isNotNull();
            assertThat(Kits.everythingSaid(thrown)).as("what put('%s') threw", bad).doesNotContain(SECRET);
        }
        assertThat(String.valueOf(secrets)).as("the store's toString at the end").doesNotContain(SECRET);
    }

    @Test
    void concurrentWritersOfOneSecretLeaveOneWholeValue() throws Exception {
        int writers = 8;
        List<String> values = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            values.add(String.valueOf((char) ('a' + w)).repeat(4096));
        }
        secrets.put("db/password", values.get(0));
        AtomicInteger next = new AtomicInteger();
        List<String> problems = Kits.race(writers + 4, () -> {
            int me = next.getAndIncrement();
            List<String> seen = new ArrayList<>();
            for (int round = 0; round < 20; round++) {
                if (me < writers) {
                    secrets.put("db/password", values.get(me));
                }
                String read = secrets.get("db/password").orElse(null);
                if (read == null || !values.contains(read)) {
                    seen.add(read == null ? "nothing" : "a mix of " + read.length() + " characters");
                }
            }
            return String.join("; ", seen);
        });
        assertThat(problems).as("what each thread read that was not one whole value").allMatch(String::isEmpty);
        assertThat(values).contains(secrets.get("db/password").orElseThrow());
    }
}
