package com.enterprisehub.geo.cloud.local;

import com.enterprisehub.geo.core.ConfigKeys;
import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.spi.ProviderContext;
import com.enterprisehub.geo.spi.cloud.Cloud;
import com.enterprisehub.geo.spi.cloud.CloudProvider;
import com.enterprisehub.geo.spi.cloud.CloudRegion;
import com.enterprisehub.geo.spi.cloud.KeyManagement;
import com.enterprisehub.geo.spi.cloud.ObjectProtection;
import com.enterprisehub.geo.spi.cloud.ObjectStorage;
import com.enterprisehub.geo.spi.cloud.SecretStore;
import com.enterprisehub.geo.spi.cloud.StoredObject;
import com.enterprisehub.geo.spi.crypto.Digests;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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
 * temporary file first and are moved into place atomically. Objects and secrets are files and the folders of their
 * names directories, so a name cannot also be a folder of other names ({@code exports/acme} beside
 * {@code exports/acme/rows.jsonl}): the second is refused with a {@link GeoValidationException} (a folder emptied by
 * deletes makes room again). For development, tests and the quickstart:
 * keys and secrets lie unencrypted on the local disk (owner-only where the file system allows). An object put under
 * a master key ({@link com.enterprisehub.geo.spi.cloud.ObjectProtection#masterKey}, a key of the same region) is
 * stored sealed, in envelope encryption under that key, and opens only with it: another key, a read expecting none,
 * a destroyed key (crypto-shredding) or a key of another region are refused. On this cloud that protects against a
 * copied object file, not against someone who can read the {@code keys/} directory beside it.
 * Thread-safe. Open one with {@code Providers.fromClassPath().select(CloudProvider.class, "local")} or
 * {@link #open(Path, Set)}.
 */
public final class LocalCloud implements Cloud {
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    /** Secret names are lower case (the SPI says so): on a case-insensitive file system 'A' and 'a' would meet. */
    private static final Pattern LOWERCASE_SEGMENT = Pattern.compile("[a-z0-9_][a-z0-9._-]{0,127}");
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

    /** An object key as a path under {@code dir}; refuses anything that could escape. */
    static Path resolve(Path dir, String name, String what) {
        return resolve(dir, name, what, SEGMENT, "letters, digits");
    }

    /** A secret name (lower case) as a path under {@code dir}; refuses anything that could escape. */
    static Path resolveLowercase(Path dir, String name, String what) {
        return resolve(dir, name, what, LOWERCASE_SEGMENT, "lowercase letters, digits");
    }

    private static Path resolve(Path dir, String name, String what, Pattern segments, String letters) {
        if (name == null || name.isEmpty() || name.length() > 1024) {
            throw new GeoValidationException("A " + what + " is 1 to 1024 characters; got '" + name + "'.");
        }
        Path path = dir;
        for (String segment : name.split("/", -1)) {
            if (!segments.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
                throw new GeoValidationException("A " + what + " is a path of segments of " + letters + ", '.',"
                        + " '_' and '-' separated by '/' (not starting with '.' or '-'), with no empty, '.' or '..'"
                        + " segment; got '" + name + "'.");
            }
            path = path.resolve(segment);
        }
        return path;
    }

    /**
     * Writes {@code content} to {@code name} under {@code dir}: to a temporary file first, then moved into place
     * atomically.
     */
    static void write(Path dir, String name, String what, byte[] content) {
        write(dir, name, what, out -> out.write(content));
    }

    /**
     * Writes what {@code content} produces to {@code name} (a checked key or name) under {@code dir}: to a temporary
     * file first, then moved into place atomically, so readers see the old or the new content. Names are files and
     * their folders directories, so a name cannot be both: an empty folder left by deleted names is removed to make
     * room; a name under another's, or one whose folder still holds names, is refused.
     */
    static void write(Path dir, String name, String what, Content content) {
        Path target = dir.resolve(name);
        try {
            Path temp = temporaryBeside(dir, name, what, target);
            try {
                try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.TRUNCATE_EXISTING)) {
                    content.writeTo(out);
                }
                makeRoom(name, what, target);
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

    /** A new temporary file in {@code target}'s directory, which is created if needed. */
    private static Path temporaryBeside(Path dir, String name, String what, Path target) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                Files.createDirectories(target.getParent());
            } catch (IOException e) {
                refuseNameUnderAnother(dir, name, what);
                throw e;
            }
            try {
                return Files.createTempFile(target.getParent(), ".tmp-", "");
            } catch (NoSuchFileException e) {
                if (attempt == 3) {
                    throw e; // the folder keeps vanishing: a concurrent write of its own name removes it
                }
            }
        }
    }

    /** Refuses {@code name} if one of its folders is itself a name (a file). */
    private static void refuseNameUnderAnother(Path dir, String name, String what) {
        Path path = dir;
        String[] segments = name.split("/");
        for (int i = 0; i < segments.length - 1; i++) {
            path = path.resolve(segments[i]);
            if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                String parent = String.join("/", java.util.Arrays.copyOf(segments, i + 1));
                throw new GeoValidationException("The local cloud cannot store the " + what + " '" + name + "': it"
                        + " keeps them as files, and '" + parent + "' is a " + what + " already, so nothing can be"
                        + " stored under '" + parent + "/'. Delete '" + parent + "' first, or choose another " + what
                        + ".");
            }
        }
    }

    /** Removes an empty directory standing where {@code name}'s file goes; refuses if it holds names. */
    private static void makeRoom(String name, String what, Path target) throws IOException {
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.deleteIfExists(target);
            } catch (DirectoryNotEmptyException e) {
                throw new GeoValidationException("The local cloud cannot store the " + what + " '" + name + "': it"
                        + " keeps them as files, and '" + name + "/' holds others. Delete those first, or choose"
                        + " another " + what + ".");
            }
        }
    }

    /** What a write puts into the file. */
    @FunctionalInterface
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** The content of the name in {@code path}; empty if there is none (a folder of names is not a name). */
    static Optional<byte[]> read(Path path) {
        try {
            return Optional.of(Files.readAllBytes(path));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            throw new UncheckedIOException("Reading " + path + " failed: " + e.getMessage(), e);
        }
    }

    /** Deletes the name in {@code path}, if there is one (a folder of names is not a name: it stays). */
    static void delete(Path path) {
        try {
            if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                Files.deleteIfExists(path);
            }
        } catch (DirectoryNotEmptyException e) {
            // a folder appeared there meanwhile: not a name, nothing to delete
        } catch (IOException e) {
            throw new UncheckedIOException("Deleting " + path + " failed: " + e.getMessage(), e);
        }
    }

    private record Region(DeploymentRegion region, Path dir, KeyManagement keys, SecretStore secrets,
            ObjectStorage objects) implements CloudRegion {
        Region(DeploymentRegion region, Path dir) {
            this(region, dir, new Keys(dir.resolve("keys"), "local/" + dir.getFileName() + "/"));
        }

        private Region(DeploymentRegion region, Path dir, Keys keys) {
            this(region, dir, keys, new Secrets(dir.resolve("secrets")), new Objects_(dir.resolve("objects"), region,
                    keys));
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
            return read(resolveLowercase(dir, name, "secret name")).map(b -> new String(b, StandardCharsets.UTF_8));
        }

        @Override
        public void put(String name, String value) {
            resolveLowercase(dir, name, "secret name");
            write(dir, name, "secret name", Objects.requireNonNull(value, "value").getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void delete(String name) {
            LocalCloud.delete(resolveLowercase(dir, name, "secret name"));
        }

        @Override
        public String toString() {
            return "LocalCloud.Secrets(" + dir + ")"; // never the values
        }
    }

    /**
     * Objects as files. One put under a master key is sealed ({@link SealedObject}: envelope encryption under that
     * key of this region); a plain one is the content as is.
     */
    private static final class Objects_ implements ObjectStorage {
        private final Path dir;
        private final DeploymentRegion region;
        private final Keys keys;

        Objects_(Path dir, DeploymentRegion region, Keys keys) {
            this.dir = dir;
            this.region = region;
            this.keys = keys;
        }

        @Override
        public boolean protectsWithMasterKeys() {
            return true;
        }

        /** The master key id {@code protection} names, refused unless this region's; null for the default. */
        private String keyOf(ObjectProtection protection, String key) {
            Objects.requireNonNull(protection, "protection");
            if (!(protection instanceof ObjectProtection.MasterKey master)) {
                return null;
            }
            if (!master.keyId().startsWith(keys.prefix)) {
                throw new GeoException("Object '" + key + "' of the local cloud's " + region + " region cannot be"
                        + " protected by master key '" + master.keyId() + "': it is not a key of " + region + " (its"
                        + " keys start with '" + keys.prefix + "'). Protect " + region + " objects with a key " + region
                        + "'s key management issued (cloud.requireRegion(" + region + ").keys().createKey(alias)), so"
                        + " that they are encrypted by a key kept in their region.");
            }
            return master.keyId();
        }

        @Override
        public StoredObject put(String key, byte[] content) {
            return put(key, content, ObjectProtection.providerDefault());
        }

        @Override
        public StoredObject put(String key, byte[] content, ObjectProtection protection) {
            Objects.requireNonNull(content, "content");
            return put(key, new java.io.ByteArrayInputStream(content.clone()), protection);
        }

        @Override
        public StoredObject put(String key, InputStream content) {
            return put(key, content, ObjectProtection.providerDefault());
        }

        @Override
        public StoredObject put(String key, InputStream content, ObjectProtection protection) {
            Objects.requireNonNull(content, "content");
            resolve(dir, key, "object key");
            String keyId = keyOf(protection, key);
            StoredObject[] stored = new StoredObject[1];
            if (keyId != null) {
                write(dir, key, "object key", out -> stored[0] = SealedObject.write(key, content, keys, keyId, out));
                return stored[0];
            }
            MessageDigest digest = Digests.sha256();
            write(dir, key, "object key", out -> {
                Prefix prefix = new Prefix(new DigestOutputStream(out, digest));
                long size = content.transferTo(prefix);
                if (SealedObject.isSealed(prefix.first, prefix.length)) {
                    throw new GeoValidationException("The local cloud cannot store object '" + key + "' plain: its"
                            + " content starts with the marker of objects sealed under a master key. Store it under a"
                            + " master key (ObjectProtection.masterKey), or change its first bytes.");
                }
                stored[0] = new StoredObject(key, size, Digests.hex(digest));
            });
            return stored[0];
        }

        /** Keeps the first bytes written. */
        private static final class Prefix extends java.io.FilterOutputStream {
            final byte[] first = new byte[SealedObject.MAGIC.length];
            int length;

            Prefix(OutputStream out) {
                super(out);
            }

            @Override
            public void write(int b) throws IOException {
                if (length < first.length) {
                    first[length++] = (byte) b;
                }
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                int n = Math.min(len, first.length - length);
                if (n > 0) {
                    System.arraycopy(b, off, first, length, n);
                    length += n;
                }
                out.write(b, off, len);
            }
        }

        @Override
        public Optional<byte[]> get(String key) {
            return get(key, ObjectProtection.providerDefault());
        }

        @Override
        public Optional<byte[]> get(String key, ObjectProtection expected) {
            Optional<InputStream> in = open(key, expected);
            if (in.isEmpty()) {
                return Optional.empty();
            }
            try (InputStream content = in.get()) {
                return Optional.of(content.readAllBytes());
            } catch (IOException e) {
                throw new GeoException("Reading object '" + key + "' of the local cloud's " + region + " region failed: "
                        + e.getMessage() + " Restore it from a backup or write it again.", e);
            }
        }

        @Override
        public Optional<InputStream> open(String key) {
            return open(key, ObjectProtection.providerDefault());
        }

        @Override
        public Optional<InputStream> open(String key, ObjectProtection expected) {
            Path file = resolve(dir, key, "object key");
            String keyId = keyOf(expected, key);
            try {
                return SealedObject.open(key, file, keys, keyId, region.name());
            } catch (IOException e) {
                throw readFailure(key, e);
            }
        }

        @Override
        public Optional<StoredObject> head(String key) {
            return describeAny(key, resolve(dir, key, "object key"), null, false);
        }

        @Override
        public Optional<StoredObject> head(String key, ObjectProtection expected) {
            Path file = resolve(dir, key, "object key");
            return describeAny(key, file, keyOf(expected, key), true);
        }

        /** The object in {@code file} however it is protected; if {@code check}, refused unless under {@code keyId}. */
        private Optional<StoredObject> describeAny(String key, Path file, String keyId, boolean check) {
            try {
                return SealedObject.describe(key, file, check, keyId, region.name());
            } catch (IOException e) {
                throw readFailure(key, e);
            }
        }

        /**
         * A read of object {@code key} that failed, as the SDK's exception naming the object key; never the file's
         * path (the cause is kept only when its message does not carry the path either).
         */
        private GeoException readFailure(String key, IOException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            boolean carriesPath = reason.contains(dir.toString()) || reason.contains(dir.toAbsolutePath().toString());
            if (carriesPath) {
                reason = e.getClass().getSimpleName();
            } else if (e instanceof EOFException || e instanceof java.io.UTFDataFormatException) {
                reason = "its sealed header is cut short or corrupt (" + reason + ").";
            }
            String message = "Reading object '" + key + "' of the local cloud's " + region + " region failed: "
                    + reason + " Restore it from a backup or write it again.";
            return carriesPath ? new GeoException(message) : new GeoException(message, e);
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
                        describeAny(key, file, null, false).ifPresent(found::add);
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
