package com.enterprisehub.geo.platform;

import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.spi.cloud.Cloud;
import com.enterprisehub.geo.spi.cloud.CloudRegion;
import com.enterprisehub.geo.spi.cloud.KeyManagement;
import com.enterprisehub.geo.spi.cloud.ObjectStorage;
import com.enterprisehub.geo.spi.cloud.SecretStore;
import com.enterprisehub.geo.spi.cloud.StoredObject;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fault injection around real providers: the first {@code failures} calls of one kind throw, as if the
 * process or the service died there; every other call goes to the real implementation.
 */
final class Flaky {
    private Flaky() {
    }

    /** A cloud whose object writes fail {@code failures} times. */
    static Cloud objectWrites(Cloud real, int failures) {
        AtomicInteger left = new AtomicInteger(failures);
        return objectWrites(real, () -> {
            if (left.getAndDecrement() > 0) {
                throw new GeoException("injected failure: object storage unavailable");
            }
        });
    }

    /** A cloud whose object writes each take {@code millis} longer. */
    static Cloud slowObjectWrites(Cloud real, long millis) {
        return objectWrites(real, () -> {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GeoException("interrupted");
            }
        });
    }

    /** A cloud that runs {@code beforeEachWrite} before each object write. */
    private static Cloud objectWrites(Cloud real, Runnable beforeEachWrite) {
        return new Cloud() {
            @Override
            public String name() {
                return real.name();
            }

            @Override
            public Set<DeploymentRegion> regions() {
                return real.regions();
            }

            @Override
            public Optional<CloudRegion> region(DeploymentRegion region) {
                return real.region(region).map(r -> new CloudRegion() {
                    @Override
                    public DeploymentRegion region() {
                        return r.region();
                    }

                    @Override
                    public String location() {
                        return r.location();
                    }

                    @Override
                    public KeyManagement keys() {
                        return r.keys();
                    }

                    @Override
                    public SecretStore secrets() {
                        return r.secrets();
                    }

                    @Override
                    public ObjectStorage objects() {
                        ObjectStorage objects = r.objects();
                        return new ObjectStorage() {
                            @Override
                            public StoredObject put(String key, byte[] content) {
                                beforeEachWrite.run();
                                return objects.put(key, content);
                            }

                            @Override
                            public StoredObject put(String key, java.io.InputStream content) {
                                beforeEachWrite.run();
                                return objects.put(key, content);
                            }

                            @Override
                            public Optional<java.io.InputStream> open(String key) {
                                return objects.open(key);
                            }

                            @Override
                            public Optional<byte[]> get(String key) {
                                return objects.get(key);
                            }

                            @Override
                            public Optional<StoredObject> head(String key) {
                                return objects.head(key);
                            }

                            @Override
                            public List<StoredObject> list(String prefix) {
                                return objects.list(prefix);
                            }

                            @Override
                            public void delete(String key) {
                                objects.delete(key);
                            }
                        };
                    }
                });
            }
        };
    }

    /** A key manager whose key creations fail while {@code failures} is positive. */
    static KeyManagement keyCreations(KeyManagement real, AtomicInteger failures) {
        return new KeyManagement() {
            @Override
            public String createKey(String alias) {
                if (failures.getAndDecrement() > 0) {
                    throw new GeoException("injected failure: key management unavailable");
                }
                return real.createKey(alias);
            }

            @Override
            public byte[] wrap(String keyId, byte[] dataKey, String context) {
                return real.wrap(keyId, dataKey, context);
            }

            @Override
            public byte[] unwrap(String keyId, byte[] wrapped, String context) {
                return real.unwrap(keyId, wrapped, context);
            }

            @Override
            public void destroyKey(String keyId) {
                real.destroyKey(keyId);
            }
        };
    }
}
