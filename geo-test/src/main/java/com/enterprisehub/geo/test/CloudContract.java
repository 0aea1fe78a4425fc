package com.enterprisehub.geo.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.spi.cloud.Cloud;
import com.enterprisehub.geo.spi.cloud.CloudRegion;
import com.enterprisehub.geo.spi.cloud.KeyManagement;
import com.enterprisehub.geo.spi.cloud.ObjectProtection;
import com.enterprisehub.geo.spi.cloud.StoredObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Cloud} must pass, on top of the kits of its services ({@link KeyManagementContract},
 * {@link ObjectStorageContract}, {@link SecretStoreContract}, which a provider runs on one region's services).
 * Extend it, implement {@link #newCloud}, and run it with JUnit 5:
 *
 * <pre>{@code
 * class AwsCloudTest extends CloudContract {
 *     protected Cloud newCloud(Set<DeploymentRegion> regions) {
 *         return new AwsCloudProvider().open(ProviderContext.builder()
 *                 .setting("regions", regions.stream().map(Enum::name).collect(Collectors.joining(",")))
 *                 .setting("namespace", "geo-test-" + UUID.randomUUID()).build());
 *     }
 * }
 * }</pre>
 *
 * <p>Each test gets a fresh cloud, asked to offer {@link #regionsToOffer()} (handed over in reverse order, so the
 * cloud must order them itself). It checks that:
 * <ul>
 *   <li>{@code name()} is a provider name (lowercase letters and digits in groups joined by '-');</li>
 *   <li>{@code regions()} is not empty, is the regions asked for, in {@link DeploymentRegion} order;</li>
 *   <li>{@code region(r)} is present exactly for the offered regions and is that region's services;
 *       {@code requireRegion} of a region not offered throws a {@link GeoException} whose message lists every
 *       offered region;</li>
 *   <li>each region has a location, key management, secrets and object storage, which work;</li>
 *   <li>regions are isolated: an object or a secret written in one is not visible in another, and a key id one
 *       region issued is refused by another's key management (and cannot be destroyed through it); these tests are
 *       skipped (an assumption) when the cloud offers one region only;</li>
 *   <li>an object is never protected by a key of another region (checked with the key-id test): a region's object
 *       storage given a master key id another region issued refuses it ({@link GeoException}, whose message names the storage's region when the
 *       storage protects with master keys at all) and stores nothing; where it protects with master keys, its own
 *       region's key works (skipped with one region);</li>
 *   <li>a secret's value appears in no {@code toString} of the cloud or its regions;</li>
 *   <li>{@code close()} works, twice too, and a new cloud opens after it.</li>
 * </ul>
 * Implementations must be thread-safe; the kit itself is not (JUnit makes one instance per test).
 */
public abstract class CloudContract {
    private static final Pattern PROVIDER_NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    /** The cloud under test, made by {@link #newCloud} from {@link #regionsToOffer()} before each test. */
    protected Cloud cloud;

    /**
     * A new cloud offering exactly {@code regions} (in whatever order it is given), holding no key, secret or object
     * yet (a fresh directory, a fresh account namespace, ...).
     */
    protected abstract Cloud newCloud(Set<DeploymentRegion> regions) throws Exception;

    /**
     * The regions each test asks {@link #newCloud} for. Default: {@code US_WEST}, {@code CANADA} and {@code EUROPE}.
     * A provider that can offer one region only returns it; the region-isolation tests are then skipped.
     */
    protected Set<DeploymentRegion> regionsToOffer() {
        return EnumSet.of(DeploymentRegion.US_WEST, DeploymentRegion.CANADA, DeploymentRegion.EUROPE);
    }

    /** Releases what {@link #newCloud} opened. Default: {@link Cloud#close()}. */
    protected void close(Cloud cloud) throws Exception {
        cloud.close();
    }

    private Set<DeploymentRegion> asked() {
        List<DeploymentRegion> reversed = new ArrayList<>(EnumSet.copyOf(regionsToOffer()));
        Collections.reverse(reversed);
        return Collections.unmodifiableSet(new LinkedHashSet<>(reversed));
    }

    @BeforeEach
    void openCloud() throws Exception {
        assertThat(regionsToOffer()).as("regionsToOffer()").isNotEmpty();
        cloud = newCloud(asked());
        assertThat(cloud).as("newCloud(...)").isNotNull();
    }

    @AfterEach
    void closeCloud() throws Exception {
        if (cloud != null) {
            close(cloud);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private List<CloudRegion> offered() {
        return cloud.regions().stream().map(cloud::requireRegion).toList();
    }

    private void assumeSeveralRegions() {
        assumeTrue(cloud.regions().size() >= 2, "region isolation needs a cloud offering two regions or more; this one"
                + " offers " + cloud.regions());
    }

    @Test
    void itsNameIsAProviderName() {
        assertThat(cloud.name()).as("name()").isNotNull().matches(PROVIDER_NAME);
    }

    @Test
    void itOffersTheRegionsAskedInDeploymentRegionOrder() {
        assertThat(cloud.regions()).as("regions()").isNotEmpty();
        assertThat(cloud.regions()).as("regions(), in DeploymentRegion order")
                .containsExactlyElementsOf(EnumSet.copyOf(regionsToOffer()));
        assertThat(cloud.regions()).as("regions() asked again").containsExactlyElementsOf(cloud.regions());
    }

    @Test
    void regionIsPresentExactlyForTheOfferedRegions() {
        for (DeploymentRegion r : DeploymentRegion.values()) {
            Optional<CloudRegion> region = cloud.region(r);
            assertThat(region.isPresent()).as("region(%s) present", r).isEqualTo(cloud.regions().contains(r));
            region.ifPresent(services -> {
                assertThat(services.region()).as("region(%s).region()", r).isEqualTo(r);
                assertThat(cloud.requireRegion(r).region()).as("requireRegion(%s).region()", r).isEqualTo(r);
            });
        }
    }

    @Test
    void requireRegionOfARegionNotOfferedSaysWhatIsOffered() {
        EnumSet<DeploymentRegion> missing = EnumSet.complementOf(EnumSet.copyOf(cloud.regions()));
        assumeTrue(!missing.isEmpty(), "the cloud offers every region");
        for (DeploymentRegion r : missing) {
            Throwable thrown = catchThrowable(() -> cloud.requireRegion(r));
            assertThat(thrown).as("requireRegion(%s)", r).isInstanceOf(GeoException.class);
            for (DeploymentRegion offered : cloud.regions()) {
                assertThat(thrown.getMessage()).as("the message of requireRegion(%s)", r).contains(offered.name());
            }
        }
    }

    @Test
    void eachRegionHasServicesThatWork() {
        for (CloudRegion region : offered()) {
            String where = region.region().name();
            assertThat(region.location()).as("location() of %s", where).isNotBlank();
            assertThat(region.keys()).as("keys() of %s", where).isNotNull();
            assertThat(region.secrets()).as("secrets() of %s", where).isNotNull();
            assertThat(region.objects()).as("objects() of %s", where).isNotNull();

            String key = region.keys().createKey("market-probe");
            byte[] data = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
            assertThat(region.keys().unwrap(key, region.keys().wrap(key, data, "market:probe"), "market:probe"))
                    .as("a key of %s", where).isEqualTo(data);
            region.secrets().put("probe/secret", "value in " + where);
            assertThat(region.secrets().get("probe/secret")).as("a secret of %s", where).contains("value in " + where);
            region.objects().put("probe/object.txt", utf8("object in " + where));
            assertThat(region.objects().get("probe/object.txt")).as("an object of %s", where)
                    .hasValueSatisfying(c -> assertThat(c).isEqualTo(utf8("object in " + where)));
        }
    }

    @Test
    void anObjectWrittenInOneRegionIsNotVisibleInAnother() {
        assumeSeveralRegions();
        List<CloudRegion> regions = offered();
        CloudRegion first = regions.get(0);
        StoredObject only = first.objects().put("markets/gb/l10n/en-GB.json", utf8("only in " + first.region()));
        for (CloudRegion other : regions.subList(1, regions.size())) {
            assertThat(other.objects().get(only.key())).as("get in %s", other.region()).isEmpty();
            assertThat(other.objects().head(only.key())).as("head in %s", other.region()).isEmpty();
            assertThat(other.objects().open(only.key())).as("open in %s", other.region()).isEmpty();
            assertThat(other.objects().list("")).as("list in %s", other.region()).isEmpty();
        }
        for (CloudRegion region : regions) {
            region.objects().put("shared/key.txt", utf8("content of " + region.region()));
        }
        for (CloudRegion region : regions) {
            assertThat(region.objects().get("shared/key.txt")).as("one key written in every region, read in %s",
                    region.region()).hasValueSatisfying(c -> assertThat(c).isEqualTo(utf8("content of "
                            + region.region())));
        }
        regions.get(1).objects().delete(only.key());
        assertThat(first.objects().head(only.key())).as("after deleting its key in another region").contains(only);
    }

    @Test
    void aSecretWrittenInOneRegionIsNotVisibleInAnother() {
        assumeSeveralRegions();
        List<CloudRegion> regions = offered();
        CloudRegion first = regions.get(0);
        first.secrets().put("mls/crmls/credentials", "only-in-first");
        for (CloudRegion other : regions.subList(1, regions.size())) {
            assertThat(other.secrets().get("mls/crmls/credentials")).as("get in %s", other.region()).isEmpty();
        }
        for (CloudRegion region : regions) {
            region.secrets().put("db/password", "password of " + region.region());
        }
        for (CloudRegion region : regions) {
            assertThat(region.secrets().get("db/password")).as("one name written in every region, read in %s",
                    region.region()).contains("password of " + region.region());
        }
        regions.get(1).secrets().delete("mls/crmls/credentials");
        assertThat(first.secrets().get("mls/crmls/credentials")).as("after deleting its name in another region")
                .contains("only-in-first");
    }

    @Test
    void aKeyIdIssuedInOneRegionIsRefusedByAnother() {
        assumeSeveralRegions();
        List<CloudRegion> regions = offered();
        KeyManagement first = regions.get(0).keys();
        String id = first.createKey("tenant-acme");
        byte[] data = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        byte[] wrapped = first.wrap(id, data, "tenant:acme");
        for (CloudRegion other : regions.subList(1, regions.size())) {
            KeyManagement keys = other.keys();
            assertThatThrownBy(() -> keys.wrap(id, data, "tenant:acme")).as("wrap in %s with a key id of %s",
                    other.region(), regions.get(0).region()).isInstanceOf(GeoException.class);
            assertThatThrownBy(() -> keys.unwrap(id, wrapped, "tenant:acme")).as("unwrap in %s with a key id of %s",
                    other.region(), regions.get(0).region()).isInstanceOf(GeoException.class);

            // The same alias there is another key: what the first region wrapped does not open with it.
            String sameAlias = keys.createKey("tenant-acme");
            assertThatThrownBy(() -> keys.unwrap(sameAlias, wrapped, "tenant:acme"))
                    .as("unwrap in %s, with its own key of the same alias, of what %s wrapped", other.region(),
                            regions.get(0).region()).isInstanceOf(GeoException.class);

            // Destroying it through another region is refused or does nothing: never destroys the first region's key.
            Throwable refused = catchThrowable(() -> keys.destroyKey(id));
            if (refused != null) {
                assertThat(refused).as("destroyKey in %s of a key id of %s, if refused", other.region(),
                        regions.get(0).region()).isInstanceOf(GeoException.class);
            }
            assertThat(first.unwrap(id, wrapped, "tenant:acme")).as("the key after destroyKey in %s", other.region())
                    .isEqualTo(data);
        }
        objectsRefuseKeysOfAnotherRegion(regions);
    }

    /** The object storages of the other regions refuse the first region's keys; their own keys work. */
    private void objectsRefuseKeysOfAnotherRegion(List<CloudRegion> regions) {
        CloudRegion first = regions.get(0);
        String foreign = first.keys().createKey("tenant-initech");
        byte[] content = utf8("rows of acme");
        for (CloudRegion other : regions.subList(1, regions.size())) {
            ObjectProtection key = ObjectProtection.masterKey(foreign);
            for (Throwable refused : List.of(
                    catchThrowable(() -> other.objects().put("exports/acme/rows.jsonl", content, key)),
                    catchThrowable(() -> other.objects().put("exports/acme/rows.jsonl",
                            new java.io.ByteArrayInputStream(content), key)))) {
                assertThat(refused).as("storing in %s under a key of %s", other.region(), first.region())
                        .isInstanceOf(GeoException.class);
                if (other.objects().protectsWithMasterKeys()) {
                    assertThat(refused.getMessage()).as("the refusal names the region whose key to use")
                            .contains(other.region().name());
                }
            }
            assertThat(other.objects().list("")).as("objects in %s after the refusals", other.region()).isEmpty();
            if (other.objects().protectsWithMasterKeys()) {
                ObjectProtection own = ObjectProtection.masterKey(other.keys().createKey("tenant-acme"));
                other.objects().put("exports/acme/rows.jsonl", content, own);
                assertThat(other.objects().get("exports/acme/rows.jsonl", own)).as("with its own region's key in %s",
                        other.region()).hasValueSatisfying(c -> assertThat(c).isEqualTo(content));
                assertThatThrownBy(() -> other.objects().get("exports/acme/rows.jsonl", key))
                        .as("reading in %s expecting a key of %s", other.region(), first.region())
                        .isInstanceOf(GeoException.class);
            }
        }
    }

    @Test
    void aSecretValueAppearsInNoToString() {
        String value = "Sup3r-S3cret-" + Arrays.toString(new int[] {7, 1, 3});
        for (CloudRegion region : offered()) {
            region.secrets().put("mls/crmls/credentials", value);
        }
        assertThat(String.valueOf(cloud)).as("the cloud's toString").doesNotContain(value);
        for (CloudRegion region : offered()) {
            assertThat(String.valueOf(region)).as("toString of %s", region.region()).doesNotContain(value);
            assertThat(String.valueOf(region.secrets())).as("toString of the secrets of %s", region.region())
                    .doesNotContain(value);
        }
    }

    @Test
    void closingWorksTwiceAndANewCloudOpensAfterIt() throws Exception {
        cloud.requireRegion(cloud.regions().iterator().next()).objects().put("before/close.txt", utf8("x"));
        close(cloud);
        close(cloud);
        Cloud again = newCloud(asked());
        try {
            assertThat(again.regions()).containsExactlyElementsOf(EnumSet.copyOf(regionsToOffer()));
            again.requireRegion(again.regions().iterator().next()).objects().put("after/close.txt", utf8("y"));
        } finally {
            close(again);
        }
    }
}
