package com.enterprisehub.geo.test;

import static org.assertj.core.api.Assertions.assertThat;

import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.market.Jurisdiction;
import com.enterprisehub.geo.spi.cloud.Cloud;
import com.enterprisehub.geo.spi.cloud.CloudRegion;
import com.enterprisehub.geo.spi.cloud.KeyManagement;
import com.enterprisehub.geo.spi.cloud.ObjectProtection;
import com.enterprisehub.geo.spi.cloud.ObjectStorage;
import com.enterprisehub.geo.spi.cloud.SecretStore;
import com.enterprisehub.geo.spi.cloud.StoredObject;
import com.enterprisehub.geo.spi.tax.Payer;
import com.enterprisehub.geo.spi.tax.TaxLine;
import com.enterprisehub.geo.spi.tax.TransferTaxCalculator;
import com.enterprisehub.geo.spi.tax.TransferTaxRequest;
import com.enterprisehub.geo.spi.tax.TransferTaxResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Every kit can fail: each is run, through the JUnit Platform Launcher, against implementations broken in one way,
 * and exactly the kit tests that check that way fail (where a race makes another failure likely but not certain, it
 * is allowed, not required). The broken implementations and the kit subclasses running them are static nested
 * classes, which Surefire does not run by themselves.
 */
class BrokenImplementationsFailTheKitsTest {

    /** Asserts that the run of {@code testClass} failed in every one of {@code expected} and nowhere else. */
    private static KitRun assertFails(Class<?> testClass, String... expected) {
        return assertFails(testClass, Set.of(expected), Set.of());
    }

    private static KitRun assertFails(Class<?> testClass, Set<String> expected, Set<String> allowed) {
        KitRun run = KitRun.of(testClass);
        assertThat(run.failed()).as("the kit tests failing for %s: %s", testClass.getSimpleName(), run)
                .containsAll(expected);
        Set<String> unexpected = new TreeSet<>(run.failed());
        unexpected.removeAll(expected);
        unexpected.removeAll(allowed);
        assertThat(unexpected).as("kit tests that failed for %s but should not have: %s", testClass.getSimpleName(),
                run).isEmpty();
        assertThat(run.succeeded()).as("the other kit tests passed for %s", testClass.getSimpleName()).isNotEmpty();
        assertThat(run.skipped()).isEmpty();
        return run;
    }

    // ============================================================== key management

    /** Appends an HMAC to the plain data key: authenticated, but the data key is there for anyone to read. */
    static class LeakyWrapKeys extends MemoryKeyManagement {
        private static byte[] mac(SecretKey key, String context, byte[] data) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
                mac.update(context.getBytes(StandardCharsets.UTF_8));
                return mac.doFinal(data);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public byte[] wrap(String keyId, byte[] dataKey, String context) {
            byte[] mac = mac(key(keyId), context, dataKey);
            byte[] wrapped = Arrays.copyOf(dataKey, dataKey.length + mac.length);
            System.arraycopy(mac, 0, wrapped, dataKey.length, mac.length);
            return wrapped;
        }

        @Override
        public byte[] unwrap(String keyId, byte[] wrapped, String context) {
            SecretKey key = key(keyId);
            if (wrapped.length < 32) {
                throw new GeoException("too short");
            }
            byte[] data = Arrays.copyOf(wrapped, wrapped.length - 32);
            if (!MessageDigest.isEqual(mac(key, context, data), Arrays.copyOfRange(wrapped, data.length,
                    wrapped.length))) {
                throw new GeoException("does not open");
            }
            return data;
        }
    }

    static class LeakyWrapKit extends KeyManagementContract {
        @Override
        protected KeyManagement newKeyManagement() {
            return new LeakyWrapKeys();
        }
    }

    @Test
    void keyManagementKitFindsAWrapThatHoldsTheDataKey() {
        assertFails(LeakyWrapKit.class, "theWrappedFormDoesNotHoldTheDataKey");
    }

    static class ContextBlindKit extends KeyManagementContract {
        @Override
        protected KeyManagement newKeyManagement() {
            return new MemoryKeyManagement() {
                @Override
                protected byte[] aad(String context) {
                    return new byte[0];
                }
            };
        }
    }

    @Test
    void keyManagementKitFindsAWrapThatIgnoresTheContext() {
        assertFails(ContextBlindKit.class, "anotherContextIsRefused");
    }

    static class SoftDestroyKit extends KeyManagementContract {
        @Override
        protected KeyManagement newKeyManagement() {
            return new MemoryKeyManagement() {
                @Override
                public void destroyKey(String keyId) {
                    // "scheduled for deletion": still usable
                }
            };
        }
    }

    @Test
    void keyManagementKitFindsADestroyThatKeepsTheKey() {
        assertFails(SoftDestroyKit.class, "aDestroyedKeyOpensNothingEverAgain");
    }

    static class ReplacingCreateKit extends KeyManagementContract {
        @Override
        protected KeyManagement newKeyManagement() {
            return new MemoryKeyManagement() {
                @Override
                public String createKey(String alias) {
                    String id = prefix + checkAlias(alias);
                    keys().put(id, newKey());
                    return id;
                }
            };
        }
    }

    @Test
    void keyManagementKitFindsACreateThatReplacesTheKey() {
        assertFails(ReplacingCreateKit.class, Set.of("createKeyIsIdempotentPerAlias"),
                Set.of("concurrentCreatesOfOneAliasYieldOneKey")); // fails unless every create ran before every wrap
    }

    static class ThreadLocalKeysKit extends KeyManagementContract {
        @Override
        protected KeyManagement newKeyManagement() {
            ThreadLocal<Map<String, SecretKey>> perThread = ThreadLocal.withInitial(ConcurrentHashMap::new);
            return new MemoryKeyManagement() {
                @Override
                protected Map<String, SecretKey> keys() {
                    return perThread.get();
                }
            };
        }
    }

    @Test
    void keyManagementKitFindsKeysNotSharedBetweenThreads() {
        assertFails(ThreadLocalKeysKit.class, "concurrentCreatesOfOneAliasYieldOneKey");
    }

    static class LaxAliasKit extends KeyManagementContract {
        @Override
        protected KeyManagement newKeyManagement() {
            return new MemoryKeyManagement() {
                @Override
                protected String checkAlias(String alias) {
                    return alias;
                }
            };
        }
    }

    @Test
    void keyManagementKitFindsAliasesNotChecked() {
        assertFails(LaxAliasKit.class, "aliasesThatAreNotLowercaseSlugsAreRefused");
    }

    static class UnknownKeyIsIllegalArgumentKit extends KeyManagementContract {
        @Override
        protected KeyManagement newKeyManagement() {
            return new MemoryKeyManagement() {
                @Override
                protected SecretKey key(String keyId) {
                    SecretKey key = keys().get(keyId);
                    if (key == null) {
                        throw new IllegalArgumentException("no key " + keyId);
                    }
                    return key;
                }
            };
        }
    }

    @Test
    void keyManagementKitFindsUnknownKeysRefusedWithTheWrongException() {
        assertFails(UnknownKeyIsIllegalArgumentKit.class, "keyIdsItNeverIssuedAreRefused",
                "aDestroyedKeyOpensNothingEverAgain");
    }

    static class UncheckedTagFailureKit extends KeyManagementContract {
        @Override
        protected KeyManagement newKeyManagement() {
            return new MemoryKeyManagement() {
                @Override
                public byte[] unwrap(String keyId, byte[] wrapped, String context) {
                    try {
                        return com.enterprisehub.geo.spi.crypto.AesGcm.open(key(keyId), wrapped, aad(context));
                    } catch (GeneralSecurityException e) {
                        throw new IllegalStateException(e);
                    }
                }
            };
        }
    }

    @Test
    void keyManagementKitFindsAlteredWrapsRefusedWithTheWrongException() {
        assertFails(UncheckedTagFailureKit.class, "anotherContextIsRefused", "anotherKeyIsRefused",
                "aFlippedBitAnywhereIsRefused", "aTruncatedEmptyOrLengthenedWrappedKeyIsRefused",
                "aDestroyedKeyOpensNothingEverAgain");
    }

    static class CachingUnwrapKit extends KeyManagementContract {
        @Override
        protected KeyManagement newKeyManagement() {
            Map<String, byte[]> cache = new ConcurrentHashMap<>();
            return new MemoryKeyManagement() {
                @Override
                public byte[] unwrap(String keyId, byte[] wrapped, String context) {
                    key(keyId);
                    return cache.computeIfAbsent(keyId + "|" + context + "|" + Base64.getEncoder()
                            .encodeToString(wrapped), k -> super.unwrap(keyId, wrapped, context));
                }
            };
        }
    }

    @Test
    void keyManagementKitFindsArraysSharedWithTheCaller() {
        assertFails(CachingUnwrapKit.class, "arraysAreNotSharedWithTheCaller");
    }

    // ============================================================== object storage

    static class InsertionOrderKit extends ObjectStorageContract {
        @Override
        protected ObjectStorage newObjectStorage() {
            Map<String, byte[]> inserted = Collections.synchronizedMap(new LinkedHashMap<>());
            return new MemoryObjectStorage() {
                @Override
                protected Map<String, byte[]> objects() {
                    return inserted;
                }
            };
        }
    }

    @Test
    void objectStorageKitFindsAListNotOrderedByKey() {
        assertFails(InsertionOrderKit.class, "listGivesEveryObjectUnderAStringPrefixOrderedByKey");
    }

    static class LaxKeyKit extends ObjectStorageContract {
        @Override
        protected ObjectStorage newObjectStorage() {
            return new MemoryObjectStorage() {
                @Override
                protected String check(String key) {
                    return key;
                }
            };
        }
    }

    @Test
    void objectStorageKitFindsKeysNotChecked() {
        assertFails(LaxKeyKit.class, "invalidKeysAreRefused");
    }

    static class PartialStreamKit extends ObjectStorageContract {
        @Override
        protected ObjectStorage newObjectStorage() {
            return new MemoryObjectStorage() {
                @Override
                public StoredObject put(String key, InputStream content) {
                    check(key);
                    ByteArrayOutputStream read = new ByteArrayOutputStream();
                    byte[] buffer = new byte[8192];
                    try {
                        for (int n; (n = content.read(buffer)) != -1; ) {
                            read.write(buffer, 0, n);
                        }
                    } catch (IOException e) {
                        put(key, read.toByteArray()); // "keep what arrived"
                        throw new UncheckedIOException(e);
                    }
                    return put(key, read.toByteArray());
                }
            };
        }
    }

    @Test
    void objectStorageKitFindsAFailedStreamThatLeavesAPartialObject() {
        assertFails(PartialStreamKit.class, "aStreamThatFailsPartWayStoresNothing");
    }

    static class ClosingStreamKit extends ObjectStorageContract {
        @Override
        protected ObjectStorage newObjectStorage() {
            return new MemoryObjectStorage() {
                @Override
                public StoredObject put(String key, InputStream content) {
                    try (content) {
                        return put(key, content.readAllBytes());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            };
        }
    }

    @Test
    void objectStorageKitFindsAPutThatClosesTheCallersStream() {
        assertFails(ClosingStreamKit.class, "aLargeObjectIsStreamedInAndOutWhole");
    }

    static class VersionListingKit extends ObjectStorageContract {
        @Override
        protected ObjectStorage newObjectStorage() {
            Map<String, Integer> versions = new ConcurrentHashMap<>();
            return new MemoryObjectStorage() {
                @Override
                public StoredObject put(String key, byte[] content) {
                    StoredObject stored = super.put(key, content);
                    versions.merge(key, 1, Integer::sum);
                    return stored;
                }

                @Override
                public void delete(String key) {
                    super.delete(key);
                    versions.remove(key);
                }

                @Override
                public List<StoredObject> list(String prefix) {
                    List<StoredObject> all = new ArrayList<>();
                    for (StoredObject o : super.list(prefix)) {
                        all.addAll(Collections.nCopies(versions.getOrDefault(o.key(), 1), o));
                    }
                    return all;
                }
            };
        }
    }

    @Test
    void objectStorageKitFindsRewritesThatLeaveSeveralObjects() {
        assertFails(VersionListingKit.class, "putReplacesWhatWasThere", "writingTheSameContentTwiceLeavesOneObject",
                "concurrentWritersOfOneKeyLeaveOneCompleteContent");
    }

    static class ThreadLocalObjectsKit extends ObjectStorageContract {
        @Override
        protected ObjectStorage newObjectStorage() {
            ThreadLocal<Map<String, byte[]>> perThread = ThreadLocal.withInitial(
                    java.util.concurrent.ConcurrentSkipListMap::new);
            return new MemoryObjectStorage() {
                @Override
                protected Map<String, byte[]> objects() {
                    return perThread.get();
                }
            };
        }
    }

    @Test
    void objectStorageKitFindsObjectsNotSharedBetweenThreads() {
        assertFails(ThreadLocalObjectsKit.class, "concurrentWritersOfOneKeyLeaveOneCompleteContent");
    }

    static class FoldersFailKit extends ObjectStorageContract {
        @Override
        protected ObjectStorage newObjectStorage() {
            return new MemoryObjectStorage() {
                private void refuseFolder(String key) {
                    if (!objects().containsKey(check(key)) && objects().keySet().stream()
                            .anyMatch(k -> k.startsWith(key + "/"))) {
                        throw new UncheckedIOException(new IOException(key + ": Is a directory"));
                    }
                }

                @Override
                public Optional<byte[]> get(String key) {
                    refuseFolder(key);
                    return super.get(key);
                }

                @Override
                public Optional<StoredObject> head(String key) {
                    refuseFolder(key);
                    return super.head(key);
                }
            };
        }
    }

    @Test
    void objectStorageKitFindsFoldersTakenForObjects() {
        assertFails(FoldersFailKit.class, "aFolderOfKeysIsNotAnObject");
    }

    static class SharedArrayKit extends ObjectStorageContract {
        @Override
        protected ObjectStorage newObjectStorage() {
            return new MemoryObjectStorage() {
                @Override
                public StoredObject put(String key, byte[] content) {
                    objects().put(check(key), content);
                    return describe(key, content);
                }
            };
        }
    }

    @Test
    void objectStorageKitFindsTheCallersArrayKept() {
        assertFails(SharedArrayKit.class, "theCallersArraysAreNotShared");
    }

    static class UpperCaseDigestKit extends ObjectStorageContract {
        @Override
        protected ObjectStorage newObjectStorage() {
            return new MemoryObjectStorage() {
                @Override
                protected StoredObject describe(String key, byte[] content) {
                    try {
                        return new StoredObject(key, content.length, HexFormat.of().withUpperCase().formatHex(
                                MessageDigest.getInstance("SHA-256").digest(content)));
                    } catch (GeneralSecurityException e) {
                        throw new IllegalStateException(e);
                    }
                }
            };
        }
    }

    @Test
    void objectStorageKitFindsADigestNotInLowercaseHex() {
        assertFails(UpperCaseDigestKit.class, "whatIsPutIsWhatIsGotHeadedOpenedAndListed", "anEmptyObjectIsAnObject",
                "putReplacesWhatWasThere", "listGivesEveryObjectUnderAStringPrefixOrderedByKey",
                "invalidKeysAreRefused",
                "aLargeObjectIsStreamedInAndOutWhole", "concurrentWritersOfOneKeyLeaveOneCompleteContent");
    }

    /**
     * Says it protects objects with master keys and checks the key on every put (an unknown or destroyed key stores
     * nothing), but never compares keys on a read: any key, or none, opens any object.
     */
    static class KeyBlindReadsKit extends ObjectStorageContract {
        private final MemoryKeyManagement keys = new MemoryKeyManagement();

        @Override
        protected Optional<KeyManagement> regionKeys() {
            return Optional.of(keys);
        }

        @Override
        protected ObjectStorage newObjectStorage() {
            return new MemoryObjectStorage() {
                private void usable(ObjectProtection protection) {
                    if (protection instanceof ObjectProtection.MasterKey key) {
                        keys.wrap(key.keyId(), new byte[32], "probe");   // refuses an unknown or destroyed key
                    }
                }

                @Override
                public boolean protectsWithMasterKeys() {
                    return true;
                }

                @Override
                public StoredObject put(String key, byte[] content, ObjectProtection protection) {
                    usable(protection);
                    return put(key, content);
                }

                @Override
                public StoredObject put(String key, InputStream content, ObjectProtection protection) {
                    usable(protection);
                    return put(key, content);
                }

                @Override
                public Optional<byte[]> get(String key, ObjectProtection expected) {
                    return get(key);
                }

                @Override
                public Optional<InputStream> open(String key, ObjectProtection expected) {
                    return open(key);
                }

                @Override
                public Optional<StoredObject> head(String key, ObjectProtection expected) {
                    return head(key);
                }
            };
        }
    }

    @Test
    void objectStorageKitFindsReadsThatIgnoreTheKey() {
        assertFails(KeyBlindReadsKit.class, "anObjectUnderATenantKeyOpensWithThatKeyOnly",
                "aPlainObjectIsRefusedWhereAKeyIsExpected", "aPutUnderAnotherKeyReplacesTheProtection",
                "anObjectWhoseKeyWasDestroyedOpensNoMoreButCanBeDeleted");
    }

    /**
     * A correct storage under master keys for the kit's own tests: it records each object's key and checks it on
     * every read (a destroyed key refuses a read, as the key management refuses to unwrap). Content is kept as is:
     * what the kit checks is the refusals, not the encryption.
     */
    static class KeyTrackingStorage extends MemoryObjectStorage {
        final MemoryKeyManagement keys;
        private final Map<String, String> protectedBy = new java.util.concurrent.ConcurrentHashMap<>();

        KeyTrackingStorage(MemoryKeyManagement keys) {
            this.keys = keys;
        }

        static String keyIdOf(ObjectProtection protection) {
            return protection instanceof ObjectProtection.MasterKey key ? key.keyId() : null;
        }

        void usable(String keyId) {
            if (keyId != null) {
                keys.wrap(keyId, new byte[32], "probe"); // refuses an unknown or destroyed key
            }
        }

        void expect(String key, ObjectProtection expected) {
            if (objects().containsKey(check(key))
                    && !java.util.Objects.equals(protectedBy.get(key), keyIdOf(expected))) {
                throw new GeoException("Object '" + key + "' is protected otherwise than expected.");
            }
        }

        @Override
        public boolean protectsWithMasterKeys() {
            return true;
        }

        @Override
        public synchronized StoredObject put(String key, byte[] content, ObjectProtection protection) {
            String keyId = keyIdOf(protection);
            usable(keyId);
            StoredObject stored = super.put(key, content);
            if (keyId == null) {
                protectedBy.remove(key);
            } else {
                protectedBy.put(key, keyId);
            }
            return stored;
        }

        @Override
        public StoredObject put(String key, byte[] content) {
            return put(key, content, ObjectProtection.providerDefault());
        }

        @Override
        public StoredObject put(String key, InputStream content, ObjectProtection protection) {
            try {
                return put(key, content.readAllBytes(), protection);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Optional<byte[]> get(String key) {
            return get(key, ObjectProtection.providerDefault());
        }

        @Override
        public synchronized Optional<byte[]> get(String key, ObjectProtection expected) {
            expect(key, expected);
            usable(keyIdOf(expected));
            return super.get(key);
        }

        @Override
        public Optional<InputStream> open(String key, ObjectProtection expected) {
            return get(key, expected).map(java.io.ByteArrayInputStream::new);
        }

        @Override
        public synchronized Optional<StoredObject> head(String key, ObjectProtection expected) {
            expect(key, expected);
            return head(key);
        }

        @Override
        public synchronized void delete(String key) {
            super.delete(key);
            protectedBy.remove(key);
        }
    }

    abstract static class KeyTrackingKit extends ObjectStorageContract {
        final MemoryKeyManagement keys = new MemoryKeyManagement();

        @Override
        protected Optional<KeyManagement> regionKeys() {
            return Optional.of(keys);
        }
    }

    static class KeyTrackingCorrectKit extends KeyTrackingKit {
        @Override
        protected ObjectStorage newObjectStorage() {
            return new KeyTrackingStorage(keys);
        }
    }

    @Test
    void theKeyTrackingStoragePassesTheObjectStorageKit() {
        KitRun run = KitRun.of(KeyTrackingCorrectKit.class);
        assertThat(run.failed()).as("%s", run).isEmpty();
        assertThat(run.skipped()).isEmpty();
    }

    /** Open after the key was destroyed hides the object (empty) instead of refusing it. */
    static class DestroyedKeyHidesKit extends KeyTrackingKit {
        @Override
        protected ObjectStorage newObjectStorage() {
            return new KeyTrackingStorage(keys) {
                @Override
                public Optional<InputStream> open(String key, ObjectProtection expected) {
                    try {
                        usable(keyIdOf(expected));
                    } catch (GeoException e) {
                        return Optional.empty();
                    }
                    return super.open(key, expected);
                }
            };
        }
    }

    /** Open after the key was destroyed fails with a NullPointerException, outside the SDK's hierarchy. */
    static class DestroyedKeyNpeKit extends KeyTrackingKit {
        @Override
        protected ObjectStorage newObjectStorage() {
            return new KeyTrackingStorage(keys) {
                @Override
                public Optional<InputStream> open(String key, ObjectProtection expected) {
                    try {
                        usable(keyIdOf(expected));
                    } catch (GeoException e) {
                        throw new NullPointerException("no data key");
                    }
                    return super.open(key, expected);
                }
            };
        }
    }

    @Test
    void objectStorageKitFindsAnOpenAfterCryptoShreddingThatHidesTheObjectOrFailsOutsideGeoException() {
        assertFails(DestroyedKeyHidesKit.class, "anObjectWhoseKeyWasDestroyedOpensNoMoreButCanBeDeleted");
        assertFails(DestroyedKeyNpeKit.class, "anObjectWhoseKeyWasDestroyedOpensNoMoreButCanBeDeleted");
    }

    /** Head expecting the provider's default describes an object stored under a master key. */
    static class HeadDefaultSeesKeyedKit extends KeyTrackingKit {
        @Override
        protected ObjectStorage newObjectStorage() {
            return new KeyTrackingStorage(keys) {
                @Override
                public Optional<StoredObject> head(String key, ObjectProtection expected) {
                    return expected instanceof ObjectProtection.ProviderDefault ? head(key) : super.head(key, expected);
                }
            };
        }
    }

    @Test
    void objectStorageKitFindsAHeadExpectingTheDefaultThatDescribesAKeyedObject() {
        assertFails(HeadDefaultSeesKeyedKit.class, "anObjectUnderATenantKeyOpensWithThatKeyOnly");
    }

    static class StrictDeleteKit extends ObjectStorageContract {
        @Override
        protected ObjectStorage newObjectStorage() {
            return new MemoryObjectStorage() {
                @Override
                public void delete(String key) {
                    if (objects().remove(check(key)) == null) {
                        throw new GeoException("No object " + key);
                    }
                }
            };
        }
    }

    @Test
    void objectStorageKitFindsADeleteThatIsNotIdempotent() {
        assertFails(StrictDeleteKit.class, "deleteRemovesOneObjectAndIsIdempotent", "aFolderOfKeysIsNotAnObject");
    }

    // ============================================================== secrets

    static class UpperCaseNamesKit extends SecretStoreContract {
        @Override
        protected SecretStore newSecretStore() {
            return new MemorySecretStore() {
                @Override
                protected String check(String name) {
                    return super.check(name.toLowerCase(java.util.Locale.ROOT));
                }
            };
        }
    }

    @Test
    void secretStoreKitFindsNamesThatAreNotLowercase() {
        assertFails(UpperCaseNamesKit.class, "namesThatAreNotLowercasePathsAreRefused",
                "aValueNeverAppearsInExceptionsOrToString");
    }

    static class ToStringLeakKit extends SecretStoreContract {
        @Override
        protected SecretStore newSecretStore() {
            return new MemorySecretStore() {
                @Override
                public String toString() {
                    return "MemorySecretStore" + secrets();
                }
            };
        }
    }

    @Test
    void secretStoreKitFindsValuesInToString() {
        assertFails(ToStringLeakKit.class, "aValueNeverAppearsInExceptionsOrToString");
    }

    static class MessageLeakKit extends SecretStoreContract {
        @Override
        protected SecretStore newSecretStore() {
            return new MemorySecretStore() {
                @Override
                public void put(String name, String value) {
                    try {
                        super.put(name, value);
                    } catch (GeoValidationException e) {
                        throw new GeoException("Storing '" + value + "' failed", e);
                    }
                }
            };
        }
    }

    @Test
    void secretStoreKitFindsValuesInExceptions() {
        // (the wrapping exception is no longer a GeoValidationException either)
        assertFails(MessageLeakKit.class, "aValueNeverAppearsInExceptionsOrToString",
                "namesThatAreNotLowercasePathsAreRefused");
    }

    static class StrictSecretDeleteKit extends SecretStoreContract {
        @Override
        protected SecretStore newSecretStore() {
            return new MemorySecretStore() {
                @Override
                public void delete(String name) {
                    if (secrets().remove(check(name)) == null) {
                        throw new GeoException("No secret " + name);
                    }
                }
            };
        }
    }

    @Test
    void secretStoreKitFindsADeleteThatIsNotIdempotent() {
        assertFails(StrictSecretDeleteKit.class, "getFindsWhatPutStoredAndDeleteRemovesIt",
                "namesAreDistinctAndAFolderIsNotASecret");
    }

    static class PrefixGetKit extends SecretStoreContract {
        @Override
        protected SecretStore newSecretStore() {
            return new MemorySecretStore() {
                @Override
                public Optional<String> get(String name) {
                    Optional<String> exact = super.get(name);
                    return exact.isPresent() ? exact : new java.util.TreeMap<>(secrets()).entrySet().stream()
                            .filter(e -> e.getKey().startsWith(name + "/")).map(Map.Entry::getValue).findFirst();
                }
            };
        }
    }

    @Test
    void secretStoreKitFindsAFolderTakenForASecret() {
        assertFails(PrefixGetKit.class, "namesAreDistinctAndAFolderIsNotASecret");
    }

    static class TrimmingKit extends SecretStoreContract {
        @Override
        protected SecretStore newSecretStore() {
            return new MemorySecretStore() {
                @Override
                public void put(String name, String value) {
                    super.put(name, value.strip());
                }
            };
        }
    }

    @Test
    void secretStoreKitFindsValuesNotKeptExactly() {
        assertFails(TrimmingKit.class, "valuesComeBackExactly");
    }

    static class ThreadLocalSecretsKit extends SecretStoreContract {
        @Override
        protected SecretStore newSecretStore() {
            ThreadLocal<Map<String, String>> perThread = ThreadLocal.withInitial(ConcurrentHashMap::new);
            return new MemorySecretStore() {
                @Override
                protected Map<String, String> secrets() {
                    return perThread.get();
                }
            };
        }
    }

    @Test
    void secretStoreKitFindsSecretsNotSharedBetweenThreads() {
        assertFails(ThreadLocalSecretsKit.class, "concurrentWritersOfOneSecretLeaveOneWholeValue");
    }

    // ============================================================== cloud

    /** A kit for a cloud made by {@code factory}. */
    abstract static class CloudKit extends CloudContract {
        abstract Cloud make(Set<DeploymentRegion> regions);

        @Override
        protected Cloud newCloud(Set<DeploymentRegion> regions) {
            return make(regions);
        }
    }

    static class GivenOrderKit extends CloudKit {
        @Override
        Cloud make(Set<DeploymentRegion> asked) {
            return new MemoryCloud(asked) {
                @Override
                public Set<DeploymentRegion> regions() {
                    return new LinkedHashSet<>(asked);
                }
            };
        }
    }

    @Test
    void cloudKitFindsRegionsNotInDeploymentRegionOrder() {
        assertFails(GivenOrderKit.class, "itOffersTheRegionsAskedInDeploymentRegionOrder",
                "closingWorksTwiceAndANewCloudOpensAfterIt");
    }

    static class SharedObjectsKit extends CloudKit {
        @Override
        Cloud make(Set<DeploymentRegion> regions) {
            ObjectStorage shared = new MemoryObjectStorage();
            return new MemoryCloud(regions) {
                @Override
                protected CloudRegion newRegion(DeploymentRegion r) {
                    CloudRegion own = super.newRegion(r);
                    return new Region(r, own.keys(), own.secrets(), shared);
                }
            };
        }
    }

    @Test
    void cloudKitFindsObjectsSharedBetweenRegions() {
        assertFails(SharedObjectsKit.class, "anObjectWrittenInOneRegionIsNotVisibleInAnother");
    }

    static class SharedSecretsKit extends CloudKit {
        @Override
        Cloud make(Set<DeploymentRegion> regions) {
            SecretStore shared = new MemorySecretStore();
            return new MemoryCloud(regions) {
                @Override
                protected CloudRegion newRegion(DeploymentRegion r) {
                    CloudRegion own = super.newRegion(r);
                    return new Region(r, own.keys(), shared, own.objects());
                }
            };
        }
    }

    @Test
    void cloudKitFindsSecretsSharedBetweenRegions() {
        assertFails(SharedSecretsKit.class, "aSecretWrittenInOneRegionIsNotVisibleInAnother");
    }

    static class SharedKeysKit extends CloudKit {
        @Override
        Cloud make(Set<DeploymentRegion> regions) {
            KeyManagement shared = new MemoryKeyManagement();
            return new MemoryCloud(regions) {
                @Override
                protected CloudRegion newRegion(DeploymentRegion r) {
                    CloudRegion own = super.newRegion(r);
                    return new Region(r, shared, own.secrets(), own.objects());
                }
            };
        }
    }

    @Test
    void cloudKitFindsKeysSharedBetweenRegions() {
        assertFails(SharedKeysKit.class, "aKeyIdIssuedInOneRegionIsRefusedByAnother");
    }

    /** Region-prefixed ids, but key material derived from the alias alone: the same in every region. */
    static class AliasDerivedKeysKit extends CloudKit {
        @Override
        Cloud make(Set<DeploymentRegion> regions) {
            return new MemoryCloud(regions) {
                @Override
                protected CloudRegion newRegion(DeploymentRegion r) {
                    CloudRegion own = super.newRegion(r);
                    KeyManagement derived = new MemoryKeyManagement("mem/" + r + "/") {
                        @Override
                        public String createKey(String alias) {
                            String id = prefix + checkAlias(alias);
                            keys().computeIfAbsent(id, k -> {
                                try {
                                    return new SecretKeySpec(MessageDigest.getInstance("SHA-256")
                                            .digest(alias.getBytes(StandardCharsets.UTF_8)), "AES");
                                } catch (GeneralSecurityException e) {
                                    throw new IllegalStateException(e);
                                }
                            });
                            return id;
                        }
                    };
                    return new Region(r, derived, own.secrets(), own.objects());
                }
            };
        }
    }

    @Test
    void cloudKitFindsTheSameKeyUnderOneAliasInEveryRegion() {
        assertFails(AliasDerivedKeysKit.class, "aKeyIdIssuedInOneRegionIsRefusedByAnother");
    }

    /** Region-checked wrap and unwrap, but one key table, and a destroy that does not check the region. */
    static class DestroyAnywhereKit extends CloudKit {
        @Override
        Cloud make(Set<DeploymentRegion> regions) {
            Map<String, SecretKey> table = new ConcurrentHashMap<>();
            return new MemoryCloud(regions) {
                @Override
                protected CloudRegion newRegion(DeploymentRegion r) {
                    CloudRegion own = super.newRegion(r);
                    KeyManagement keys = new MemoryKeyManagement("mem/" + r + "/") {
                        @Override
                        protected Map<String, SecretKey> keys() {
                            return table;
                        }

                        @Override
                        protected SecretKey key(String keyId) {
                            if (!keyId.startsWith(prefix)) {
                                throw new GeoException("not a key of " + r);
                            }
                            return super.key(keyId);
                        }
                    };
                    return new Region(r, keys, own.secrets(), own.objects());
                }
            };
        }
    }

    @Test
    void cloudKitFindsAKeyDestroyedThroughAnotherRegion() {
        assertFails(DestroyAnywhereKit.class, "aKeyIdIssuedInOneRegionIsRefusedByAnother");
    }

    static class EverywhereKit extends CloudKit {
        @Override
        Cloud make(Set<DeploymentRegion> regions) {
            return new MemoryCloud(regions) {
                private final Map<DeploymentRegion, CloudRegion> lazily = new ConcurrentHashMap<>();

                @Override
                public Optional<CloudRegion> region(DeploymentRegion region) {
                    return Optional.of(lazily.computeIfAbsent(region, this::newRegion));
                }
            };
        }
    }

    @Test
    void cloudKitFindsRegionsGivenThatAreNotOffered() {
        assertFails(EverywhereKit.class, "regionIsPresentExactlyForTheOfferedRegions",
                "requireRegionOfARegionNotOfferedSaysWhatIsOffered");
    }

    static class VagueRequireKit extends CloudKit {
        @Override
        Cloud make(Set<DeploymentRegion> regions) {
            return new MemoryCloud(regions) {
                @Override
                public CloudRegion requireRegion(DeploymentRegion region) {
                    return region(region).orElseThrow(() -> new GeoException("Region " + region
                            + " is not available."));
                }
            };
        }
    }

    @Test
    void cloudKitFindsARefusalThatDoesNotSayWhatIsOffered() {
        assertFails(VagueRequireKit.class, "requireRegionOfARegionNotOfferedSaysWhatIsOffered");
    }

    static class BadNameKit extends CloudKit {
        @Override
        Cloud make(Set<DeploymentRegion> regions) {
            return new MemoryCloud(regions) {
                @Override
                public String name() {
                    return "Memory Cloud";
                }
            };
        }
    }

    @Test
    void cloudKitFindsANameThatIsNotAProviderName() {
        assertFails(BadNameKit.class, "itsNameIsAProviderName");
    }

    static class TattlingRegionKit extends CloudKit {
        @Override
        Cloud make(Set<DeploymentRegion> regions) {
            return new MemoryCloud(regions) {
                @Override
                protected CloudRegion newRegion(DeploymentRegion r) {
                    CloudRegion own = super.newRegion(r);
                    Map<String, String> values = new ConcurrentHashMap<>();
                    SecretStore secrets = new MemorySecretStore() {
                        @Override
                        protected Map<String, String> secrets() {
                            return values;
                        }
                    };
                    return new Region(r, own.keys(), secrets, own.objects());
                }

                @Override
                public String toString() {
                    return "MemoryCloud" + regions.values().stream().map(region -> region.region() + "="
                            + ((MemorySecretStore) region.secrets()).secrets()).toList();
                }
            };
        }
    }

    @Test
    void cloudKitFindsSecretValuesInToString() {
        assertFails(TattlingRegionKit.class, "aSecretValueAppearsInNoToString");
    }

    static class OnceClosableKit extends CloudKit {
        @Override
        Cloud make(Set<DeploymentRegion> regions) {
            AtomicBoolean closed = new AtomicBoolean();
            return new MemoryCloud(regions) {
                @Override
                public void close() {
                    if (!closed.compareAndSet(false, true)) {
                        throw new IllegalStateException("already closed");
                    }
                }
            };
        }
    }

    @Test
    void cloudKitFindsACloseThatFailsTheSecondTime() {
        assertFails(OnceClosableKit.class, "closingWorksTwiceAndANewCloudOpensAfterIt");
    }

    static class SingleRegionKit extends CloudKit {
        @Override
        Cloud make(Set<DeploymentRegion> regions) {
            return new MemoryCloud(regions);
        }

        @Override
        protected Set<DeploymentRegion> regionsToOffer() {
            return EnumSet.of(DeploymentRegion.EUROPE);
        }
    }

    @Test
    void cloudKitSkipsRegionIsolationForASingleRegionCloud() {
        KitRun run = KitRun.of(SingleRegionKit.class);
        assertThat(run.failed()).as("failed: %s", run).isEmpty();
        assertThat(run.aborted()).containsExactlyInAnyOrder("anObjectWrittenInOneRegionIsNotVisibleInAnother",
                "aSecretWrittenInOneRegionIsNotVisibleInAnother", "aKeyIdIssuedInOneRegionIsRefusedByAnother");
    }

    // ============================================================== transfer-tax calculators

    /** A kit for {@code calculator} with the flat-rate samples. */
    abstract static class TaxKit extends TransferTaxCalculatorContract {
        abstract TransferTaxCalculator make();

        @Override
        protected TransferTaxCalculator calculator() {
            return make();
        }

        @Override
        protected List<TransferTaxRequest> sampleRequests() {
            return FlatRateCalculatorContractTest.samples();
        }
    }

    static class BadCalculatorNameKit extends TaxKit {
        @Override
        TransferTaxCalculator make() {
            return new FlatRateCalculator() {
                @Override
                public String name() {
                    return "Flat Rate";
                }
            };
        }
    }

    @Test
    void taxKitFindsANameThatIsNotAProviderName() {
        assertFails(BadCalculatorNameKit.class, "itsNameIsAProviderName");
    }

    static class LowerCaseJurisdictionsKit extends TaxKit {
        @Override
        TransferTaxCalculator make() {
            return new FlatRateCalculator() {
                @Override
                public Set<String> jurisdictions() {
                    return Set.of("us-nc", "us-ga");
                }
            };
        }
    }

    @Test
    void taxKitFindsJurisdictionsThatAreNotIsoCodes() {
        assertFails(LowerCaseJurisdictionsKit.class, "itsJurisdictionsAreIso31662Codes", "theSamplesFitTheCalculator",
                "aPlainRequestDatedBeforeEveryRegimeIsRefusedInEveryJurisdiction");
    }

    static class OffByACentKit extends TaxKit {
        @Override
        TransferTaxCalculator make() {
            return new FlatRateCalculator() {
                @Override
                public TransferTaxResult calculate(TransferTaxRequest r) {
                    TransferTaxResult right = super.calculate(r);
                    return new TransferTaxResult(r, right.lines(), right.total().add(amount(r, new BigDecimal("0.01"))),
                            right.notes());
                }
            };
        }
    }

    @Test
    void taxKitFindsATotalThatIsNotTheSumOfTheLines() {
        KitRun run = assertFails(OffByACentKit.class, "eachSampleIsItemizedConsistently");
        assertThat(run.failedTests()).as("every sample").hasSize(FlatRateCalculatorContractTest.samples().size());
    }

    static class NegativeReliefKit extends TaxKit {
        @Override
        TransferTaxCalculator make() {
            return new FlatRateCalculator() {
                @Override
                public TransferTaxResult calculate(TransferTaxRequest r) {
                    TransferTaxResult right = super.calculate(r);
                    List<TaxLine> lines = new ArrayList<>(right.lines());
                    javax.money.MonetaryAmount relief = amount(r, new BigDecimal("-100"));
                    lines.add(new TaxLine("Register of deeds", "Relief", relief, Payer.BUYER, List.of(),
                            "https://example.org/relief", List.of()));
                    return new TransferTaxResult(r, lines, right.total().add(relief), right.notes());
                }
            };
        }
    }

    @Test
    void taxKitFindsANegativeLine() {
        assertFails(NegativeReliefKit.class, "eachSampleIsItemizedConsistently");
    }

    /** A negative line stated in the open passes... */
    static class KnownNegativeReliefKit extends NegativeReliefKit {
        @Override
        protected Set<String> knownNegativeLines() {
            return Set.of("Relief");
        }
    }

    /** ...and a statement no sample bears out fails. */
    static class StaleNegativeReliefKit extends TaxKit {
        @Override
        TransferTaxCalculator make() {
            return new FlatRateCalculator();
        }

        @Override
        protected Set<String> knownNegativeLines() {
            return Set.of("Relief");
        }
    }

    @Test
    void taxKitHoldsKnownNegativeLinesToTheirStatement() {
        KitRun known = KitRun.of(KnownNegativeReliefKit.class);
        assertThat(known.failed()).as("a negative line stated: %s", known).isEmpty();
        assertFails(StaleNegativeReliefKit.class, "theKnownNegativeLinesStillOccur");
    }

    static class EuroKit extends TaxKit {
        @Override
        TransferTaxCalculator make() {
            return new FlatRateCalculator() {
                @Override
                protected javax.money.MonetaryAmount amount(TransferTaxRequest r, BigDecimal value) {
                    return r.price().getFactory().setCurrency("EUR").setNumber(value).create();
                }
            };
        }
    }

    @Test
    void taxKitFindsAmountsInAnotherCurrency() {
        assertFails(EuroKit.class, "eachSampleIsItemizedConsistently");
    }

    static class OtherRequestKit extends TaxKit {
        @Override
        TransferTaxCalculator make() {
            return new FlatRateCalculator() {
                @Override
                public TransferTaxResult calculate(TransferTaxRequest r) {
                    TransferTaxResult right = super.calculate(r);
                    return new TransferTaxResult(TransferTaxCalculatorContract.dated(r, r.transferDate().plusDays(1)),
                            right.lines(), right.total(), right.notes());
                }
            };
        }
    }

    @Test
    void taxKitFindsAResultForAnotherRequest() {
        assertFails(OtherRequestKit.class, "eachSampleIsItemizedConsistently");
    }

    static class ClockInNotesKit extends TaxKit {
        @Override
        TransferTaxCalculator make() {
            return new FlatRateCalculator() {
                @Override
                protected List<String> notes(TransferTaxRequest r) {
                    return List.of("Computed at " + System.nanoTime() + ".");
                }
            };
        }
    }

    @Test
    void taxKitFindsAResultThatChangesEachTime() {
        assertFails(ClockInNotesKit.class, "eachSampleGivesAnEqualResultEachTime",
                "eachSampleGivesTheSameResultFromEightThreadsAtOnce");
    }

    static class ThreadInNotesKit extends TaxKit {
        @Override
        TransferTaxCalculator make() {
            return new FlatRateCalculator() {
                @Override
                protected List<String> notes(TransferTaxRequest r) {
                    return List.of("Computed on " + Thread.currentThread().getName() + ".");
                }
            };
        }
    }

    @Test
    void taxKitFindsAResultThatDependsOnTheThread() {
        assertFails(ThreadInNotesKit.class, "eachSampleGivesTheSameResultFromEightThreadsAtOnce");
    }

    static class NoSuchElementCalculator extends FlatRateCalculator {
        @Override
        protected void checkDate(TransferTaxRequest r) {
            Map<String, String> regimes = new HashMap<>();
            if (!r.transferDate().isBefore(FROM)) {
                regimes.put("none", "since " + FROM);
            }
            Optional.ofNullable(regimes.get("none")).orElseThrow();
        }
    }

    static class NoSuchElementKit extends TaxKit {
        @Override
        TransferTaxCalculator make() {
            return new NoSuchElementCalculator();
        }
    }

    @Test
    void taxKitFindsAnEarlyDateRefusedWithTheWrongException() {
        KitRun run = assertFails(NoSuchElementKit.class, "eachSampleDatedBeforeEveryRegimeIsRefused",
                "aPlainRequestDatedBeforeEveryRegimeIsRefusedInEveryJurisdiction");
        assertThat(run.why("aPlainRequestDatedBeforeEveryRegimeIsRefusedInEveryJurisdiction[US-GA]"))
                .contains("NoSuchElementException");
    }

    static class GuessingKit extends TaxKit {
        @Override
        TransferTaxCalculator make() {
            return new FlatRateCalculator() {
                @Override
                protected void checkDate(TransferTaxRequest r) {
                    // today's rates for any date
                }
            };
        }
    }

    @Test
    void taxKitFindsAnEarlyDateComputedWithRatesOfAnotherTime() {
        assertFails(GuessingKit.class, "eachSampleDatedBeforeEveryRegimeIsRefused",
                "aPlainRequestDatedBeforeEveryRegimeIsRefusedInEveryJurisdiction");
    }

    /** A known defect stated in the open passes... */
    static class KnownDefectKit extends NoSuchElementKit {
        @Override
        protected Optional<Class<? extends RuntimeException>> knownDefectBeforeEveryRegime(Jurisdiction jurisdiction) {
            return Optional.of(NoSuchElementException.class);
        }
    }

    /** ...and fails once the defect is fixed, so the statement is removed. */
    static class FixedDefectKit extends TaxKit {
        @Override
        TransferTaxCalculator make() {
            return new FlatRateCalculator();
        }

        @Override
        protected Optional<Class<? extends RuntimeException>> knownDefectBeforeEveryRegime(Jurisdiction jurisdiction) {
            return jurisdiction.code().equals("US-GA") ? Optional.of(NoSuchElementException.class) : Optional.empty();
        }
    }

    @Test
    void taxKitHoldsAKnownDefectToItsStatement() {
        KitRun known = KitRun.of(KnownDefectKit.class);
        assertThat(known.failed()).as("a known defect stated: %s", known).isEmpty();
        KitRun fixed = assertFails(FixedDefectKit.class, "eachSampleDatedBeforeEveryRegimeIsRefused",
                "aPlainRequestDatedBeforeEveryRegimeIsRefusedInEveryJurisdiction");
        assertThat(fixed.failedTests()).as("only the jurisdiction said to be defective")
                .allMatch(t -> t.contains("US-GA"));
    }
}
