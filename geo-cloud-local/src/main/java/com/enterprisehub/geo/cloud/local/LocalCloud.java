package com.enterprisehub.geo.cloud.local;

import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.core.ConfigKeys;
import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.spi.ProviderContext;
import com.enterprisehub.geo.spi.cloud.Cloud;
import com.enterprisehub.geo.spi.crypto.Digests;
import com.enterprisehub.geo.spi.cloud.CloudProvider;
import com.enterprisehub.geo.spi.cloud.CloudRegion;
import com.enterprisehub.geo.spi.cloud.KeyManagement;
import com.enterprisehub.geo.spi.cloud.ObjectStorage;
import com.enterprisehub.geo.spi.cloud.SecretStore;
import com.enterprisehub.geo.spi.cloud.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code local} cloud: every region is a directory under one root, holding {@code keys/} (AES-256
 * master keys, one file each), {@code secrets/} and {@code objects/}. Opening it again on the same
 * directory finds everything it held, so work recorded as done survives a restart. Writes go to a
 * temporary file first and are moved into place atomically. For development, tests and the quickstart:
 * keys and secrets lie unencrypted on the local disk (owner-only where the file system allows).
 * Thread-safe. Open one with {@code Providers.fromClassPath().select(CloudProvider.class, "local")} or
 * {@link #open(Path, Set)}.
 */
public final class LocalCloud implements Cloud {
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path root;
    private final Map<DeploymentRegion, CloudRegion> regions = new EnumMap<>(DeploymentRegion.class);

    private LocalCloud(Path root, Set<DeploymentRegion> offered) {
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
        for (DeploymentRegion region : offered) {
            Path dir = this.root.resolve(region.name().toLowerCase(java.util.Locale.ROOT));
            regions.put(region, new Region(region, dir));
        }
    }

    /**
     * A local cloud under {@code root} offering {@code offered}; opening it again on the same root finds everything
     * it held.
     */
    public static LocalCloud open(Path root, Set<DeploymentRegion> offered) {
        return new LocalCloud(root, offered);
    }

    /** The provider behind {@code Providers.select(CloudProvider.class, "local")}. */
    public static final class Provider implements CloudProvider {
        /** For {@link java.util.ServiceLoader}. */
        public Provider() {
        }

        @Override
        public String name() {
            return "local";
        }

        @Override
        public int priority() {
            return -100;
        }

        /** Settings: {@code directory} (required), {@code regions} (comma-separated; default all). */
        @Override
        public Cloud open(ProviderContext context) {
            context.refuseSettingsOtherThan(Set.of("directory", "regions"), "the local cloud");
            String directory = context.requireSetting("directory", "the local cloud", "where it keeps its keys,"
                    + " secrets and objects (for example a directory under the application's data dir)");
            Set<DeploymentRegion> offered = EnumSet.allOf(DeploymentRegion.class);
            String listed = context.setting("regions").orElse(null);
            if (listed != null) {
                offered = EnumSet.noneOf(DeploymentRegion.class);
                for (String name : listed.split(",")) {
                    try {
                        offered.add(DeploymentRegion.valueOf(name.strip()));
                    } catch (IllegalArgumentException e) {
                        throw new GeoValidationException("The local cloud's setting 'regions' names '" + name.strip()
                                + "', which is not one of " + EnumSet.allOf(DeploymentRegion.class) + ".");
                    }
                }
            }
            return new LocalCloud(Path.of(directory), offered);
        }
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public Set<DeploymentRegion> regions() {
        return Collections.unmodifiableSet(regions.keySet()); // filled once, in the constructor; enum order
    }

    @Override
    public Optional<CloudRegion> region(DeploymentRegion region) {
        return Optional.ofNullable(regions.get(Objects.requireNonNull(region, "region")));
    }

    @Override
    public String toString() {
        return "LocalCloud(" + root + ", " + regions.keySet() + ")";
    }

    /** A key or secret name, or an object key, as a path under {@code dir}; refuses anything that could escape. */
    static Path resolve(Path dir, String name, String what) {
        if (name == null || name.isEmpty() || name.length() > 1024) {
            throw new GeoValidationException("A " + what + " is 1 to 1024 characters; got '" + name + "'.");
        }
        Path path = dir;
        for (String segment : name.split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
                throw new GeoValidationException("A " + what + " is a path of segments of letters, digits, '.', '_'"
                        + " and '-' separated by '/', with no empty, '.' or '..' segment; got '" + name + "'.");
            }
            path = path.resolve(segment);
        }
        return path;
    }

    static void write(Path target, byte[] content) {
        write(target, out -> out.write(content));
    }

    /** Writes what {@code content} produces to a temporary file, then moves it into place atomically. */
    static void write(Path target, Content content) {
        try {
            Files.createDirectories(target.getParent());
            Path temp = Files.createTempFile(target.getParent(), ".tmp-", "");
            try {
                try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.TRUNCATE_EXISTING)) {
                    content.writeTo(out);
                }
                try {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Writing " + target + " failed: " + e.getMessage(), e);
        }
    }

    /** What a write puts into the file. */
    @FunctionalInterface
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    static Optional<byte[]> read(Path path) {
        try {
            return Optional.of(Files.readAllBytes(path));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Reading " + path + " failed: " + e.getMessage(), e);
        }
    }

    static void delete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("Deleting " + path + " failed: " + e.getMessage(), e);
        }
    }

    /** The object in {@code file}, its digest computed as it streams by. */
    static Optional<StoredObject> describe(String key, Path file) {
        MessageDigest digest = Digests.sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            long size = in.transferTo(OutputStream.nullOutputStream());
            return Optional.of(new StoredObject(key, size, Digests.hex(digest)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Reading " + file + " failed: " + e.getMessage(), e);
        }
    }

    private record Region(DeploymentRegion region, Path dir, KeyManagement keys, SecretStore secrets,
            ObjectStorage objects) implements CloudRegion {
        Region(DeploymentRegion region, Path dir) {
            this(region, dir, new Keys(dir.resolve("keys"), "local/" + dir.getFileName() + "/"), new Secrets(dir.resolve("secrets")),
                    new Objects_(dir.resolve("objects")));
        }

        @Override
        public String location() {
            return dir.toString();
        }
    }

    /**
     * Master keys as files named by alias; creating one that exists returns it (no second key). Key ids name
     * their region ({@code local/us_west/tenant-acme}), so a key id given to another region's key management
     * is refused rather than taken for a missing key (destroying it there would otherwise "succeed").
     */
    private static final class Keys implements KeyManagement {
        private final Path dir;
        private final String prefix;

        Keys(Path dir, String prefix) {
            this.dir = dir;
            this.prefix = prefix;
        }

        @Override
        public String createKey(String alias) {
            String id = prefix + ConfigKeys.check(alias, "master key alias");
            Path file = dir.resolve(alias + ".key");
            if (Files.exists(file)) {
                return id;
            }
            byte[] material = new byte[32];
            RANDOM.nextBytes(material);
            try {
                Files.createDirectories(dir);
                // Written in full to an owner-only temporary file, then linked into place: readers never see a
                // partial key, and of two concurrent creators exactly one link succeeds.
                Path temp = Files.createTempFile(dir, ".tmp-", ".key");
                try {
                    Files.write(temp, material);
                    Files.createLink(file, temp);
                } catch (FileAlreadyExistsException raced) {
                    return id;
                } finally {
                    Files.deleteIfExists(temp);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Creating master key " + id + " failed: " + e.getMessage(), e);
            } finally {
                java.util.Arrays.fill(material, (byte) 0);
            }
            return id;
        }

        /** The file of a local key id; refuses ids of other key managers. */
        private Path file(String keyId) {
            Objects.requireNonNull(keyId, "keyId");
            if (!keyId.startsWith(prefix)) {
                throw new GeoException("Master key '" + keyId + "' is not a key of this region's local key management"
                        + " (its ids start with '" + prefix + "'): use the key management of the region that created it.");
            }
            return dir.resolve(ConfigKeys.check(keyId.substring(prefix.length()), "master key alias") + ".key");
        }

        private SecretKeySpec key(String keyId) {
            byte[] material = read(file(keyId)).orElseThrow(() -> new GeoException("Master key '" + keyId
                    + "' does not exist: it was never created, or it was destroyed (then what it wrapped can no longer"
                    + " be opened)."));
            return new SecretKeySpec(material, "AES");
        }

        @Override
        public byte[] wrap(String keyId, byte[] dataKey, String context) {
            return InMemoryKeyManagement.wrap(key(keyId), dataKey, context);
        }

        @Override
        public byte[] unwrap(String keyId, byte[] wrapped, String context) {
            return InMemoryKeyManagement.unwrap(key(keyId), keyId, wrapped, context);
        }

        @Override
        public void destroyKey(String keyId) {
            Path file = file(keyId);
            // Overwrite the key's own blocks (not a renamed copy) before unlinking it.
            try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file,
                    StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.wrap(new byte[(int) channel.size()]));
                channel.force(true);
            } catch (NoSuchFileException gone) {
                return; // idempotent
            } catch (IOException e) {
                throw new UncheckedIOException("Destroying master key " + keyId + " failed: " + e.getMessage(), e);
            }
            delete(file);
        }
    }

    private static final class Secrets implements SecretStore {
        private final Path dir;

        Secrets(Path dir) {
            this.dir = dir;
        }

        @Override
        public Optional<String> get(String name) {
            return read(resolve(dir, name, "secret name")).map(b -> new String(b, StandardCharsets.UTF_8));
        }

        @Override
        public void put(String name, String value) {
            write(resolve(dir, name, "secret name"), Objects.requireNonNull(value, "value")
                    .getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void delete(String name) {
            LocalCloud.delete(resolve(dir, name, "secret name"));
        }

        @Override
        public String toString() {
            return "LocalCloud.Secrets(" + dir + ")"; // never the values
        }
    }

    private static final class Objects_ implements ObjectStorage {
        private final Path dir;

        Objects_(Path dir) {
            this.dir = dir;
        }

        @Override
        public StoredObject put(String key, byte[] content) {
            Objects.requireNonNull(content, "content");
            write(resolve(dir, key, "object key"), content);
            return new StoredObject(key, content.length, Digests.sha256Hex(content));
        }

        @Override
        public Optional<byte[]> get(String key) {
            return read(resolve(dir, key, "object key"));
        }

        @Override
        public StoredObject put(String key, InputStream content) {
            Objects.requireNonNull(content, "content");
            MessageDigest digest = Digests.sha256();
            long[] size = new long[1];
            write(resolve(dir, key, "object key"), out -> size[0] = content.transferTo(new DigestOutputStream(out,
                    digest)));
            return new StoredObject(key, size[0], Digests.hex(digest));
        }

        @Override
        public Optional<InputStream> open(String key) {
            Path file = resolve(dir, key, "object key");
            try {
                return Optional.of(Files.newInputStream(file));
            } catch (NoSuchFileException e) {
                return Optional.empty();
            } catch (IOException e) {
                throw new UncheckedIOException("Reading " + file + " failed: " + e.getMessage(), e);
            }
        }

        @Override
        public Optional<StoredObject> head(String key) {
            return describe(key, resolve(dir, key, "object key"));
        }

        @Override
        public List<StoredObject> list(String prefix) {
            Objects.requireNonNull(prefix, "prefix");
            if (!Files.isDirectory(dir)) {
                return List.of();
            }
            List<StoredObject> found = new ArrayList<>();
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    String key = dir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
                    if (key.startsWith(prefix) && !file.getFileName().toString().startsWith(".tmp-")) {
                        describe(key, file).ifPresent(found::add);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Listing " + dir + " failed: " + e.getMessage(), e);
            }
            found.sort(java.util.Comparator.comparing(StoredObject::key));
            return found;
        }

        @Override
        public void delete(String key) {
            LocalCloud.delete(resolve(dir, key, "object key"));
        }
    }
}
