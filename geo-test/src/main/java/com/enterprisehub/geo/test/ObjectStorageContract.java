package com.enterprisehub.geo.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.spi.cloud.KeyManagement;
import com.enterprisehub.geo.spi.cloud.ObjectProtection;
import com.enterprisehub.geo.spi.cloud.ObjectStorage;
import com.enterprisehub.geo.spi.cloud.StoredObject;
import com.enterprisehub.geo.spi.crypto.Digests;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link ObjectStorage} must pass. Extend it, implement {@link #newObjectStorage}, and run it with
 * JUnit 5:
 *
 * <pre>{@code
 * class S3ObjectStorageTest extends ObjectStorageContract {
 *     protected ObjectStorage newObjectStorage() {
 *         return new S3ObjectStorage(s3, bucket, "geo-test/" + UUID.randomUUID() + "/");
 *     }
 * }
 * }</pre>
 *
 * <p>Each test gets a fresh, empty storage. It checks the semantics the {@link ObjectStorage} Javadoc states:
 * <ul>
 *   <li>{@code put} returns what {@code head} and {@code list} report: the key, the size and the SHA-256 (lowercase
 *       hex, as {@link Digests} computes it) of the content, and {@code get} and {@code open} give the content back;
 *       an empty object is an object;</li>
 *   <li>{@code put} replaces; writing the same content twice leaves one object; {@code delete} removes and is
 *       idempotent;</li>
 *   <li>{@code list(prefix)} gives every object whose key starts with the prefix (a string prefix, not a folder),
 *       ordered by key, and nothing else;</li>
 *   <li>a folder of keys ({@code a/b} of {@code a/b/c}) is not an object; a key may be a folder of other keys too,
 *       or be refused with a {@link GeoException} while its folder has objects, but once they are deleted the key is
 *       free;</li>
 *   <li>invalid keys (empty, a leading or trailing '/', an empty, '.' or '..' segment, a space or a backslash) are
 *       refused with a {@link GeoValidationException} by {@code put}, {@code get}, {@code open}, {@code head} and
 *       {@code delete};</li>
 *   <li>an object of several megabytes is streamed in and out whole, and {@code put} reads the stream without
 *       closing it;</li>
 *   <li>a stream that fails part-way stores nothing: {@code put} throws {@link UncheckedIOException} and the old
 *       object, if any, stays whole;</li>
 *   <li>8 writers of one key at once leave one of their complete contents, and readers meanwhile see a complete
 *       content each time, never a mix;</li>
 *   <li>the caller's arrays are not shared with the storage;</li>
 *   <li>{@link ObjectProtection}: {@code providerDefault()} given to any operation is the plain operation. A storage
 *       whose {@code protectsWithMasterKeys()} is {@code false} refuses every operation given a master key with a
 *       {@link GeoException} and stores nothing. One whose answer is {@code true} (its test must then override
 *       {@link #regionKeys()}) keeps an object put under a tenant's master key readable with that key only: another
 *       tenant's key, the plain {@code get}/{@code open} and a key where none was used are refused, while
 *       {@code head}, {@code list} and {@code delete} work on every object; a put under another key replaces the
 *       protection; large streams go in and out whole under a key, a failing one stores nothing; a key the region
 *       did not issue, or one destroyed, stores nothing; once an object's key is destroyed it opens no more but can
 *       be deleted.</li>
 * </ul>
 * Implementations must be thread-safe; the kit itself is not (JUnit makes one instance per test).
 */
public abstract class ObjectStorageContract {
    /** Bytes in the large-object test: more than a few MB, not a multiple of any buffer size. */
    protected static final int LARGE = 6 * 1024 * 1024 + 7;

    /** The storage under test, made by {@link #newObjectStorage} before each test. */
    protected ObjectStorage objects;

    /** A new, empty object storage (a fresh directory, a fresh bucket prefix, ...). */
    protected abstract ObjectStorage newObjectStorage() throws Exception;

    /**
     * The key management of the storage's region, whose key ids {@link ObjectProtection#masterKey} names in the
     * protection tests. Required (non-empty) when the storage's {@code protectsWithMasterKeys()} is {@code true};
     * called after {@link #newObjectStorage}. Default: empty.
     */
    protected Optional<KeyManagement> regionKeys() throws Exception {
        return Optional.empty();
    }

    /** Releases what {@link #newObjectStorage} opened. Default: nothing. */
    protected void close(ObjectStorage objects) throws Exception {
    }

    @BeforeEach
    void openStorage() throws Exception {
        objects = newObjectStorage();
        assertThat(objects).as("newObjectStorage()").isNotNull();
    }

    @AfterEach
    void closeStorage() throws Exception {
        if (objects != null) {
            close(objects);
        }
    }

    /** UTF-8 bytes of {@code text}. */
    protected static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** What {@code objects} must say of {@code content} stored under {@code key}. */
    protected static StoredObject described(String key, byte[] content) {
        return new StoredObject(key, content.length, Digests.sha256Hex(content));
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    @Test
    void whatIsPutIsWhatIsGotHeadedOpenedAndListed() throws Exception {
        String key = "markets/us-ca/l10n/en-US.json";
        byte[] content = utf8("{\"listing.price\":\"Price\",\"é\":\"€\"}");
        StoredObject stored = objects.put(key, content);
        assertThat(stored).as("what put returns").isEqualTo(described(key, content));
        assertThat(objects.get(key)).as("get").hasValueSatisfying(c -> assertThat(c).isEqualTo(content));
        assertThat(objects.head(key)).as("head").contains(stored);
        assertThat(readAll(objects.open(key).orElseThrow())).as("open").isEqualTo(content);
        assertThat(objects.list("")).as("list(\"\")").containsExactly(stored);
        assertThat(objects.list(key)).as("list(its own key)").containsExactly(stored);
    }

    @Test
    void anAbsentKeyHasNothing() {
        assertThat(objects.get("markets/gb/none.json")).isEmpty();
        assertThat(objects.head("markets/gb/none.json")).isEmpty();
        assertThat(objects.open("markets/gb/none.json")).isEmpty();
        assertThat(objects.list("")).isEmpty();
        assertThat(objects.list("markets/")).isEmpty();
    }

    @Test
    void anEmptyObjectIsAnObject() throws Exception {
        StoredObject stored = objects.put("empty.bin", new byte[0]);
        assertThat(stored).isEqualTo(new StoredObject("empty.bin", 0,
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
        assertThat(objects.get("empty.bin")).hasValueSatisfying(c -> assertThat(c).isEmpty());
        assertThat(objects.head("empty.bin")).contains(stored);
        assertThat(readAll(objects.open("empty.bin").orElseThrow())).isEmpty();
        assertThat(objects.list("")).containsExactly(stored);
    }

    @Test
    void putReplacesWhatWasThere() {
        objects.put("reports/today.json", utf8("first, and longer than the second"));
        byte[] second = utf8("second");
        StoredObject stored = objects.put("reports/today.json", second);
        assertThat(stored).isEqualTo(described("reports/today.json", second));
        assertThat(objects.get("reports/today.json")).hasValueSatisfying(c -> assertThat(c).isEqualTo(second));
        assertThat(objects.head("reports/today.json")).contains(stored);
        assertThat(objects.list("")).containsExactly(stored);
    }

    @Test
    void writingTheSameContentTwiceLeavesOneObject() {
        byte[] content = utf8("the same bundle");
        StoredObject first = objects.put("markets/gb/l10n/en-GB.json", content);
        StoredObject second = objects.put("markets/gb/l10n/en-GB.json", content.clone());
        assertThat(second).isEqualTo(first);
        assertThat(objects.list("")).containsExactly(first);
        StoredObject streamed = objects.put("markets/gb/l10n/en-GB.json", new ByteArrayInputStream(content));
        assertThat(streamed).as("the same content streamed").isEqualTo(first);
        assertThat(objects.list("")).containsExactly(first);
    }

    @Test
    void listGivesEveryObjectUnderAStringPrefixOrderedByKey() {
        List<String> keys = List.of("markets/us-ca/l10n/en-US.json", "markets/gb/l10n/en-GB.json", "exports/acme/rows",
                "markets/us-ny/mls/onekey.json", "markets/us-ca/coverage.json", "a0", "a-c", "a.b", "a/b", "Z",
                "markets.json", "markets/us-ca/l10n/en-US.json.sha256");
        List<StoredObject> stored = new ArrayList<>();
        for (String key : keys) {
            stored.add(objects.put(key, utf8("content of " + key)));
        }
        List<StoredObject> byKey = stored.stream().sorted((a, b) -> a.key().compareTo(b.key())).toList();
        assertThat(objects.list("")).as("list(\"\"), ordered by key").containsExactlyElementsOf(byKey);
        assertThat(objects.list("markets/")).extracting(StoredObject::key).containsExactly(
                "markets/gb/l10n/en-GB.json", "markets/us-ca/coverage.json", "markets/us-ca/l10n/en-US.json",
                "markets/us-ca/l10n/en-US.json.sha256", "markets/us-ny/mls/onekey.json");
        assertThat(objects.list("markets/us")).as("a prefix that ends inside a segment").extracting(StoredObject::key)
                .containsExactly("markets/us-ca/coverage.json", "markets/us-ca/l10n/en-US.json",
                        "markets/us-ca/l10n/en-US.json.sha256", "markets/us-ny/mls/onekey.json");
        assertThat(objects.list("markets/us-ca/l10n/en-US.json")).extracting(StoredObject::key)
                .containsExactly("markets/us-ca/l10n/en-US.json", "markets/us-ca/l10n/en-US.json.sha256");
        assertThat(objects.list("a")).extracting(StoredObject::key).containsExactly("a-c", "a.b", "a/b", "a0");
        assertThat(objects.list("markets/fr/")).isEmpty();
        assertThat(objects.list("exports/acme/rows")).containsExactly(described("exports/acme/rows",
                utf8("content of exports/acme/rows")));
    }

    @Test
    void deleteRemovesOneObjectAndIsIdempotent() {
        StoredObject kept = objects.put("markets/gb/a.json", utf8("a"));
        objects.put("markets/gb/b.json", utf8("b"));
        objects.delete("markets/gb/b.json");
        assertThat(objects.get("markets/gb/b.json")).isEmpty();
        assertThat(objects.head("markets/gb/b.json")).isEmpty();
        assertThat(objects.open("markets/gb/b.json")).isEmpty();
        assertThat(objects.list("")).containsExactly(kept);
        objects.delete("markets/gb/b.json");
        objects.delete("markets/never/was.json");
        assertThat(objects.list("")).containsExactly(kept);
        StoredObject again = objects.put("markets/gb/b.json", utf8("b again"));
        assertThat(objects.list("")).containsExactly(kept, again);
    }

    @Test
    void aFolderOfKeysIsNotAnObject() {
        StoredObject child = objects.put("markets/gb/l10n/en-GB.json", utf8("{}"));
        for (String folder : List.of("markets", "markets/gb", "markets/gb/l10n")) {
            assertThat(objects.get(folder)).as("get(%s)", folder).isEmpty();
            assertThat(objects.head(folder)).as("head(%s)", folder).isEmpty();
            assertThat(objects.open(folder)).as("open(%s)", folder).isEmpty();
            objects.delete(folder);
            assertThat(objects.list("")).as("after delete(%s)", folder).containsExactly(child);
        }
    }

    @Test
    void aKeyIsFreeOnceTheObjectsUnderItAreDeleted() {
        objects.put("exports/acme/rows.jsonl", utf8("rows"));
        objects.delete("exports/acme/rows.jsonl");
        StoredObject stored = objects.put("exports/acme", utf8("now an object"));
        assertThat(objects.get("exports/acme")).hasValueSatisfying(c -> assertThat(c).isEqualTo(utf8("now an object")));
        assertThat(objects.list("")).containsExactly(stored);

        objects.delete("exports/acme");
        StoredObject under = objects.put("exports/acme/manifest.json", utf8("{}"));
        assertThat(objects.list("")).containsExactly(under);
    }

    @Test
    void aKeyAndKeysUnderItCoexistOrTheSecondIsRefusedCleanly() {
        StoredObject parent = objects.put("markets/gb", utf8("parent"));
        Throwable refused = catchThrowable(() -> objects.put("markets/gb/l10n.json", utf8("child")));
        if (refused == null) {
            assertThat(objects.list("markets/gb/")).extracting(StoredObject::key)
                    .containsExactly("markets/gb/l10n.json");
            assertThat(objects.get("markets/gb/l10n.json"))
                    .hasValueSatisfying(c -> assertThat(c).isEqualTo(utf8("child")));
        } else {
            assertThat(refused).as("storing a key under an object's key, if refused").isInstanceOf(GeoException.class);
            assertThat(objects.list("markets/gb/")).isEmpty();
        }
        assertThat(objects.head("markets/gb")).as("the object whose key is the folder").contains(parent);

        StoredObject child = objects.put("exports/acme/rows.jsonl", utf8("rows"));
        refused = catchThrowable(() -> objects.put("exports/acme", utf8("parent")));
        if (refused == null) {
            assertThat(objects.get("exports/acme")).hasValueSatisfying(c -> assertThat(c).isEqualTo(utf8("parent")));
        } else {
            assertThat(refused).as("storing an object whose key is a folder of objects, if refused")
                    .isInstanceOf(GeoException.class);
            assertThat(objects.head("exports/acme")).isEmpty();
        }
        assertThat(objects.head("exports/acme/rows.jsonl")).as("the object in the folder").contains(child);
    }

    @Test
    void invalidKeysAreRefused() {
        for (String bad : List.of("", "/", "/markets/gb", "markets/gb/", "markets//gb", "..", ".", "../outside",
                "markets/../../etc", "markets/./gb", "markets/..", "with space", "back\\slash", "tab\tkey",
                "new\nline")) {
            assertThatThrownBy(() -> objects.put(bad, utf8("x"))).as("put('%s')", bad)
                    .isInstanceOf(GeoValidationException.class);
            assertThatThrownBy(() -> objects.put(bad, new ByteArrayInputStream(utf8("x")))).as("put('%s', stream)", bad)
                    .isInstanceOf(GeoValidationException.class);
            assertThatThrownBy(() -> objects.get(bad)).as("get('%s')", bad).isInstanceOf(GeoValidationException.class);
            assertThatThrownBy(() -> objects.open(bad)).as("open('%s')", bad)
                    .isInstanceOf(GeoValidationException.class);
            assertThatThrownBy(() -> objects.head(bad)).as("head('%s')", bad)
                    .isInstanceOf(GeoValidationException.class);
            assertThatThrownBy(() -> objects.delete(bad)).as("delete('%s')", bad)
                    .isInstanceOf(GeoValidationException.class);
        }
        assertThat(objects.list("")).as("nothing was stored").isEmpty();
        for (String good : List.of("x", "A_b-c.d/E.F", "markets/us-ca/l10n/messages_en_US.properties", "2026/11/24")) {
            assertThat(objects.put(good, utf8(good))).as("put('%s')", good).isEqualTo(described(good, utf8(good)));
        }
    }

    @Test
    void aLargeObjectIsStreamedInAndOutWhole() throws Exception {
        byte[] content = new byte[LARGE];
        new Random(7).nextBytes(content);
        AtomicBoolean closed = new AtomicBoolean();
        InputStream source = new FilterInputStream(new ByteArrayInputStream(content)) {
            @Override
            public void close() throws IOException {
                closed.set(true);
                super.close();
            }
        };
        StoredObject stored = objects.put("exports/acme/rows.jsonl.sealed", source);
        assertThat(closed).as("put read the stream but did not close it").isFalse();
        assertThat(stored).isEqualTo(described("exports/acme/rows.jsonl.sealed", content));
        assertThat(objects.head("exports/acme/rows.jsonl.sealed")).contains(stored);
        assertThat(objects.list("exports/")).containsExactly(stored);

        MessageDigest digest = Digests.sha256();
        long size = 0;
        byte[] first = new byte[64];
        try (InputStream in = objects.open("exports/acme/rows.jsonl.sealed").orElseThrow()) {
            int n = in.readNBytes(first, 0, first.length);
            digest.update(first, 0, n);
            size += n;
            byte[] buffer = new byte[8192];
            for (int read; (read = in.read(buffer)) != -1; ) {
                digest.update(buffer, 0, read);
                size += read;
            }
        }
        assertThat(first).as("the first bytes opened").isEqualTo(Arrays.copyOf(content, first.length));
        assertThat(size).as("bytes opened").isEqualTo(LARGE);
        assertThat(Digests.hex(digest)).as("SHA-256 of what was opened").isEqualTo(stored.sha256());
        assertThat(objects.get("exports/acme/rows.jsonl.sealed"))
                .hasValueSatisfying(c -> assertThat(c).isEqualTo(content));
    }

    /** A stream of {@code good} bytes of 'x', then an {@link IOException}. */
    protected static InputStream failingAfter(int good) {
        return new InputStream() {
            private int left = good;

            @Override
            public int read() throws IOException {
                if (left <= 0) {
                    throw new IOException("the source died after " + good + " bytes");
                }
                left--;
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                if (left <= 0) {
                    throw new IOException("the source died after " + good + " bytes");
                }
                int n = Math.min(len, left);
                Arrays.fill(b, off, off + n, (byte) 'x');
                left -= n;
                return n;
            }
        };
    }

    @Test
    void aStreamThatFailsPartWayStoresNothing() {
        byte[] old = utf8("the old content, whole");
        StoredObject stored = objects.put("exports/acme/rows.jsonl", old);
        assertThatThrownBy(() -> objects.put("exports/acme/rows.jsonl", failingAfter(3 * 1024 * 1024 + 11)))
                .as("a stream that fails part-way").isInstanceOf(UncheckedIOException.class);
        assertThat(objects.get("exports/acme/rows.jsonl")).as("the old content").hasValueSatisfying(
                c -> assertThat(c).isEqualTo(old));
        assertThat(objects.head("exports/acme/rows.jsonl")).contains(stored);
        assertThat(objects.list("")).containsExactly(stored);

        assertThatThrownBy(() -> objects.put("exports/acme/new.jsonl", failingAfter(100_000)))
                .isInstanceOf(UncheckedIOException.class);
        assertThat(objects.head("exports/acme/new.jsonl")).as("a new key whose stream failed").isEmpty();
        assertThat(objects.get("exports/acme/new.jsonl")).isEmpty();
        assertThat(objects.list("")).containsExactly(stored);
    }

    @Test
    void concurrentWritersOfOneKeyLeaveOneCompleteContent() throws Exception {
        int writers = 8;
        int size = 512 * 1024 + 3;
        List<byte[]> contents = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            byte[] content = new byte[size];
            Arrays.fill(content, (byte) ('a' + w));
            contents.add(content);
        }
        String key = "markets/us-ca/l10n/en-US.json";
        objects.put(key, contents.get(0));
        int threads = writers + 4; // 8 writers and 4 readers
        AtomicInteger next = new AtomicInteger();
        List<String> problems = Kits.race(threads, () -> {
            int me = next.getAndIncrement();
            List<String> seen = new ArrayList<>();
            for (int round = 0; round < 6; round++) {
                if (me < writers) {
                    byte[] mine = contents.get(me);
                    StoredObject stored = round % 2 == 0 ? objects.put(key, mine)
                            : objects.put(key, new ByteArrayInputStream(mine));
                    if (!stored.equals(described(key, mine))) {
                        seen.add("put returned " + stored);
                    }
                }
                byte[] read = objects.get(key).orElse(null);
                if (read == null || !isOneOf(read, contents)) {
                    seen.add("get returned " + (read == null ? "nothing" : "a mix of " + read.length + " bytes"));
                }
            }
            return String.join("; ", seen);
        });
        assertThat(problems).as("what each thread saw that was not one complete content").allMatch(String::isEmpty);
        byte[] last = objects.get(key).orElseThrow();
        assertThat(isOneOf(last, contents)).as("the content left is one writer's, whole").isTrue();
        assertThat(objects.head(key)).contains(described(key, last));
        assertThat(objects.list("")).containsExactly(described(key, last));
    }

    private static boolean isOneOf(byte[] read, List<byte[]> contents) {
        return contents.stream().anyMatch(c -> Arrays.equals(c, read));
    }

    @Test
    void theCallersArraysAreNotShared() {
        byte[] content = utf8("original");
        objects.put("a.txt", content);
        Arrays.fill(content, (byte) '!');
        byte[] got = objects.get("a.txt").orElseThrow();
        assertThat(got).as("after the caller changed the array it put").isEqualTo(utf8("original"));
        Arrays.fill(got, (byte) '?');
        assertThat(objects.get("a.txt")).as("after the caller changed the array it got")
                .hasValueSatisfying(c -> assertThat(c).isEqualTo(utf8("original")));
    }

    // ---- Protection at rest (ObjectProtection) ----

    /** The region's key management, when the storage protects with master keys (the protection tests need it). */
    private KeyManagement keysOrSkip() throws Exception {
        assumeTrue(objects.protectsWithMasterKeys(), "this storage does not protect objects with master keys"
                + " (protectsWithMasterKeys() is false); the refusal test covers it");
        Optional<KeyManagement> keys = regionKeys();
        assertThat(keys).as("regionKeys(): a storage that protects with master keys needs its test to give the key"
                + " management of its region").isPresent();
        return keys.orElseThrow();
    }

    private static void assertRefused(Throwable thrown, String what) {
        assertThat(thrown).as(what).isInstanceOf(GeoException.class);
        assertThat(thrown.getMessage()).as("the message of " + what).isNotBlank();
    }

    @Test
    void theProviderDefaultProtectionIsThePlainOperation() throws Exception {
        ObjectProtection none = ObjectProtection.providerDefault();
        byte[] content = utf8("bundle");
        StoredObject stored = objects.put("markets/gb/bundle.json", content, none);
        assertThat(objects.head("markets/gb/bundle.json")).as("head of what put(default) stored").contains(stored);
        assertThat(objects.get("markets/gb/bundle.json")).hasValueSatisfying(c -> assertThat(c).isEqualTo(content));
        assertThat(objects.get("markets/gb/bundle.json", none)).hasValueSatisfying(c -> assertThat(c).isEqualTo(content));
        assertThat(readAll(objects.open("markets/gb/bundle.json", none).orElseThrow())).isEqualTo(content);
        assertThat(objects.head("markets/gb/bundle.json", none)).contains(stored);
        StoredObject streamed = objects.put("markets/gb/streamed.json", new ByteArrayInputStream(content), none);
        assertThat(objects.get("markets/gb/streamed.json")).hasValueSatisfying(c -> assertThat(c).isEqualTo(content));
        assertThat(objects.head("markets/gb/streamed.json", none)).contains(streamed);
        assertThat(objects.get("markets/gb/none.json", none)).isEmpty();
        assertThat(objects.open("markets/gb/none.json", none)).isEmpty();
        assertThat(objects.head("markets/gb/none.json", none)).isEmpty();
    }

    @Test
    void withoutMasterKeysEveryOperationGivenOneIsRefused() throws Exception {
        assumeTrue(!objects.protectsWithMasterKeys(), "this storage protects objects with master keys; the other"
                + " protection tests cover it");
        ObjectProtection key = ObjectProtection.masterKey("tenant-acme-key");
        objects.put("exports/acme/rows.jsonl", utf8("plain"));
        assertRefused(catchThrowable(() -> objects.put("exports/acme/new.jsonl", utf8("x"), key)), "put under a key");
        assertRefused(catchThrowable(() -> objects.put("exports/acme/new.jsonl", new ByteArrayInputStream(utf8("x")),
                key)), "a streamed put under a key");
        assertRefused(catchThrowable(() -> objects.get("exports/acme/rows.jsonl", key)), "get expecting a key");
        assertRefused(catchThrowable(() -> objects.open("exports/acme/rows.jsonl", key)), "open expecting a key");
        assertRefused(catchThrowable(() -> objects.head("exports/acme/rows.jsonl", key)), "head expecting a key");
        assertThat(objects.list("")).extracting(StoredObject::key).as("nothing stored by the refused puts")
                .containsExactly("exports/acme/rows.jsonl");
    }

    @Test
    void anObjectUnderATenantKeyOpensWithThatKeyOnly() throws Exception {
        KeyManagement keys = keysOrSkip();
        ObjectProtection acme = ObjectProtection.masterKey(keys.createKey("tenant-acme"));
        ObjectProtection globex = ObjectProtection.masterKey(keys.createKey("tenant-globex"));
        String key = "exports/acme/rows.jsonl";
        byte[] content = utf8("{\"row\":1,\"owner\":\"Ada Lovelace\"}");
        StoredObject stored = objects.put(key, content, acme);
        assertThat(stored).as("what put under a key returns").isEqualTo(described(key, content));
        assertThat(objects.get(key, acme)).as("get with its key").hasValueSatisfying(c -> assertThat(c)
                .isEqualTo(content));
        assertThat(readAll(objects.open(key, acme).orElseThrow())).as("open with its key").isEqualTo(content);
        assertThat(objects.head(key, acme)).as("head with its key").contains(stored);
        assertThat(objects.head(key)).as("head without a key describes it").contains(stored);
        assertThat(objects.list("exports/")).as("list describes it").containsExactly(stored);

        assertRefused(catchThrowable(() -> objects.get(key, globex)), "get with another tenant's key");
        assertRefused(catchThrowable(() -> objects.open(key, globex)), "open with another tenant's key");
        assertRefused(catchThrowable(() -> objects.head(key, globex)), "head with another tenant's key");
        assertRefused(catchThrowable(() -> objects.get(key)), "the plain get of an object under a key");
        assertRefused(catchThrowable(() -> objects.open(key)), "the plain open of an object under a key");
        assertRefused(catchThrowable(() -> objects.get(key, ObjectProtection.providerDefault())),
                "get expecting the provider's default of an object under a key");
        assertRefused(catchThrowable(() -> objects.head(key, ObjectProtection.providerDefault())),
                "head expecting the provider's default of an object under a key");

        objects.delete(key);
        assertThat(objects.get(key, acme)).as("after delete").isEmpty();
        assertThat(objects.head(key, acme)).as("head after delete").isEmpty();
        assertThat(objects.list("")).isEmpty();
    }

    @Test
    void aPlainObjectIsRefusedWhereAKeyIsExpected() throws Exception {
        KeyManagement keys = keysOrSkip();
        ObjectProtection acme = ObjectProtection.masterKey(keys.createKey("tenant-acme"));
        StoredObject plain = objects.put("exports/acme/rows.jsonl", utf8("not under the tenant's key"));
        assertRefused(catchThrowable(() -> objects.get("exports/acme/rows.jsonl", acme)), "get expecting a key");
        assertRefused(catchThrowable(() -> objects.open("exports/acme/rows.jsonl", acme)), "open expecting a key");
        assertRefused(catchThrowable(() -> objects.head("exports/acme/rows.jsonl", acme)), "head expecting a key");
        assertThat(objects.get("exports/acme/rows.jsonl", ObjectProtection.providerDefault())).as("the same object read as it was stored").hasValueSatisfying(c -> assertThat(c)
                .isEqualTo(utf8("not under the tenant's key")));
        assertThat(objects.get("exports/acme/none.jsonl", acme)).as("an absent key expecting a key").isEmpty();
        assertThat(objects.list("")).containsExactly(plain);
    }

    @Test
    void aPutUnderAnotherKeyReplacesTheProtection() throws Exception {
        KeyManagement keys = keysOrSkip();
        ObjectProtection acme = ObjectProtection.masterKey(keys.createKey("tenant-acme"));
        ObjectProtection globex = ObjectProtection.masterKey(keys.createKey("tenant-globex"));
        String key = "exports/shared/rows.jsonl";
        objects.put(key, utf8("acme's"), acme);
        StoredObject second = objects.put(key, new ByteArrayInputStream(utf8("globex's")), globex);
        assertThat(objects.get(key, globex)).hasValueSatisfying(c -> assertThat(c).isEqualTo(utf8("globex's")));
        assertRefused(catchThrowable(() -> objects.get(key, acme)), "get with the key it was stored under before");
        StoredObject plain = objects.put(key, utf8("plain now"));
        assertThat(objects.get(key)).hasValueSatisfying(c -> assertThat(c).isEqualTo(utf8("plain now")));
        assertRefused(catchThrowable(() -> objects.get(key, globex)), "get with a key after a plain put");
        assertThat(second).isNotEqualTo(plain);
        assertThat(objects.list("")).containsExactly(plain);
    }

    @Test
    void aLargeObjectUnderAKeyIsStreamedInAndOutWhole() throws Exception {
        KeyManagement keys = keysOrSkip();
        ObjectProtection acme = ObjectProtection.masterKey(keys.createKey("tenant-acme"));
        byte[] content = new byte[2 * 1024 * 1024 + 7];
        new Random(11).nextBytes(content);
        StoredObject stored = objects.put("exports/acme/rows.jsonl.sealed", new ByteArrayInputStream(content), acme);
        assertThat(stored).isEqualTo(described("exports/acme/rows.jsonl.sealed", content));
        assertThat(objects.head("exports/acme/rows.jsonl.sealed", acme)).contains(stored);
        MessageDigest digest = Digests.sha256();
        long size = 0;
        try (InputStream in = objects.open("exports/acme/rows.jsonl.sealed", acme).orElseThrow()) {
            byte[] buffer = new byte[8192];
            for (int read; (read = in.read(buffer)) != -1; ) {
                digest.update(buffer, 0, read);
                size += read;
            }
        }
        assertThat(size).as("bytes opened").isEqualTo(content.length);
        assertThat(Digests.hex(digest)).as("SHA-256 of what was opened").isEqualTo(stored.sha256());

        assertThatThrownBy(() -> objects.put("exports/acme/rows.jsonl.sealed", failingAfter(1024 * 1024 + 3), acme))
                .as("a stream under a key that fails part-way").isInstanceOf(UncheckedIOException.class);
        assertThat(objects.get("exports/acme/rows.jsonl.sealed", acme)).as("the old content, whole")
                .hasValueSatisfying(c -> assertThat(c).isEqualTo(content));
        assertThat(objects.list("")).containsExactly(stored);
    }

    @Test
    void aKeyTheRegionDidNotIssueOrThatWasDestroyedStoresNothing() throws Exception {
        KeyManagement keys = keysOrSkip();
        String acmeId = keys.createKey("tenant-acme");
        for (String bogus : List.of("no-such-key", acmeId + "0")) {
            assertRefused(catchThrowable(() -> objects.put("exports/x/rows.jsonl", utf8("x"),
                    ObjectProtection.masterKey(bogus))), "put under key '" + bogus + "'");
        }
        String doomed = keys.createKey("tenant-doomed");
        keys.destroyKey(doomed);
        assertRefused(catchThrowable(() -> objects.put("exports/doomed/rows.jsonl", utf8("x"),
                ObjectProtection.masterKey(doomed))), "put under a destroyed key");
        assertRefused(catchThrowable(() -> objects.put("exports/doomed/rows.jsonl", new ByteArrayInputStream(utf8("x")),
                ObjectProtection.masterKey(doomed))), "a streamed put under a destroyed key");
        assertThat(objects.list("")).as("nothing stored").isEmpty();
    }

    @Test
    void anObjectWhoseKeyWasDestroyedOpensNoMoreButCanBeDeleted() throws Exception {
        KeyManagement keys = keysOrSkip();
        String leaving = keys.createKey("tenant-leaving");
        ObjectProtection key = ObjectProtection.masterKey(leaving);
        StoredObject stored = objects.put("exports/leaving/rows.jsonl", utf8("the rows of a tenant leaving"), key);
        keys.destroyKey(leaving);
        assertRefused(catchThrowable(() -> objects.get("exports/leaving/rows.jsonl", key)),
                "get after the key was destroyed");
        // The object is still there (list finds it): open refuses it with the SDK's exception, or gives a stream
        // whose read fails with an IOException; it never hides the object or fails outside those.
        List<Optional<InputStream>> opened = new ArrayList<>();
        Throwable refused = catchThrowable(() -> opened.add(objects.open("exports/leaving/rows.jsonl", key)));
        if (refused != null) {
            assertRefused(refused, "open after the key was destroyed");
        } else {
            assertThat(opened.get(0)).as("open after the key was destroyed: the object is still there, so open"
                    + " refuses it or gives a stream whose read fails, never nothing").isPresent();
            try (InputStream in = opened.get(0).get()) {
                assertThat(catchThrowable(in::readAllBytes)).as("a read of what open gave after the key was destroyed")
                        .isInstanceOf(IOException.class);
            }
        }
        assertThat(objects.list("")).as("list still finds it, for offboarding").containsExactly(stored);
        objects.delete("exports/leaving/rows.jsonl");
        assertThat(objects.list("")).isEmpty();
    }
}
