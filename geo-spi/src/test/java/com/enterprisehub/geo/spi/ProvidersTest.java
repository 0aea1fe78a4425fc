package com.enterprisehub.geo.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalogProvider;
import com.enterprisehub.geo.spi.cloud.CloudProvider;
import com.enterprisehub.geo.spi.tax.TransferTaxCalculator;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProvidersTest {

    /** A provider kind used only by these tests. */
    public interface WidgetProvider extends GeoProvider {
    }

    record Widget(String name, int priority) implements WidgetProvider {
    }

    private static Providers with(WidgetProvider... found) {
        return Providers.using(new ProviderLoader() {
            @Override
            @SuppressWarnings("unchecked")
            public <P> List<P> load(Class<P> type) {
                return type == WidgetProvider.class ? (List<P>) List.of(found) : List.of();
            }
        });
    }

    @Test
    void theHighestPriorityWins() {
        Providers providers = with(new Widget("low", -1), new Widget("high", 10), new Widget("mid", 0));
        assertThat(providers.select(WidgetProvider.class).name()).isEqualTo("high");
        assertThat(providers.all(WidgetProvider.class)).extracting(GeoProvider::name)
                .containsExactly("high", "mid", "low");
    }

    @Test
    void aHostSelectsByName() {
        Providers providers = with(new Widget("low", -1), new Widget("high", 10));
        assertThat(providers.select(WidgetProvider.class, "low").name()).isEqualTo("low");
        assertThat(providers.find(WidgetProvider.class, "low")).isPresent();
        assertThat(providers.find(WidgetProvider.class, "none")).isEmpty();
    }

    @Test
    void aSystemPropertySelectsByName() {
        Providers providers = with(new Widget("low", -1), new Widget("high", 10));
        String property = Providers.propertyFor(WidgetProvider.class);
        assertThat(property).isEqualTo("geo.provider.WidgetProvider");
        System.setProperty(property, "low");
        try {
            assertThat(providers.select(WidgetProvider.class).name()).isEqualTo("low");
        } finally {
            System.clearProperty(property);
        }
    }

    @Test
    void noProviderFailsSayingWhatToAdd() {
        assertThatThrownBy(() -> with().select(WidgetProvider.class))
                .isInstanceOf(ProviderSelectionException.class)
                .hasMessageContaining("No provider of " + WidgetProvider.class.getName())
                .hasMessageContaining("META-INF/services/" + WidgetProvider.class.getName());
    }

    @Test
    void anUnknownNameFailsListingWhatWasFound() {
        assertThatThrownBy(() -> with(new Widget("jdbc", 0), new Widget("dynamodb", 0))
                .select(WidgetProvider.class, "redis"))
                .isInstanceOf(ProviderSelectionException.class)
                .hasMessageContaining("'redis'").hasMessageContaining("'jdbc'").hasMessageContaining("'dynamodb'");
    }

    @Test
    void aTieAtTheTopFailsAndSaysHowToChoose() {
        assertThatThrownBy(() -> with(new Widget("jdbc", 5), new Widget("dynamodb", 5), new Widget("memory", -100))
                .select(WidgetProvider.class))
                .isInstanceOf(ProviderSelectionException.class)
                .hasMessageContaining("share the highest priority (5)")
                .hasMessageContaining("'dynamodb'").hasMessageContaining("'jdbc'")
                .hasMessageContaining("-Dgeo.provider.WidgetProvider=");
    }

    @Test
    void duplicateOrInvalidNamesFail() {
        assertThatThrownBy(() -> with(new Widget("jdbc", 1), new Widget("jdbc", 2)).all(WidgetProvider.class))
                .isInstanceOf(ProviderSelectionException.class).hasMessageContaining("Two providers");
        assertThatThrownBy(() -> with(new Widget("Bad Name", 1)).all(WidgetProvider.class))
                .isInstanceOf(ProviderSelectionException.class).hasMessageContaining("'Bad Name'");
    }

    @Test
    void theClassPathOffersTheBuiltInInMemoryCatalog() {
        TenantCatalogProvider provider = Providers.fromClassPath().select(TenantCatalogProvider.class);
        assertThat(provider.name()).isEqualTo("in-memory");
        assertThat(provider.priority()).isNegative();
        TenantCatalog catalog = provider.open(ProviderContext.empty());
        assertThat(catalog.count()).isZero();
        assertThatThrownBy(() -> provider.open(ProviderContext.of(Map.of("url", "x"))))
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("takes none").hasMessageContaining("url");
    }

    @Test
    void theContextGivesTheCatalogItsEventsAndClock() {
        PlatformEvents events = PlatformEvents.create();
        List<String> seen = new java.util.ArrayList<>();
        events.subscribe(e -> seen.add(e.type() + "@" + e.at()));
        Clock clock = Clock.fixed(Instant.parse("2026-12-03T00:00:00Z"), ZoneOffset.UTC);
        TenantCatalog catalog = Providers.fromClassPath().select(TenantCatalogProvider.class, "in-memory")
                .open(ProviderContext.builder().events(events).clock(clock).build());
        catalog.create(com.enterprisehub.geo.core.tenant.Tenant.builder("acme").market("us-ca").organization("Acme")
                .build());
        assertThat(seen).containsExactly("tenant.created@2026-12-03T00:00:00Z");
    }

    @Test
    void aMissingNamedProviderNamesTheArtifactThatProvidesIt() {
        assertThatThrownBy(() -> Providers.fromClassPath().select(TenantCatalogProvider.class, "jdbc"))
                .isInstanceOf(ProviderSelectionException.class)
                .hasMessageContaining("'jdbc' is provided by com.enterprisehub.geo:geo-platform")
                .hasMessageContaining("'in-memory'");
        assertThatThrownBy(() -> Providers.fromClassPath().select(CloudProvider.class))
                .isInstanceOf(ProviderSelectionException.class)
                .hasMessageContaining("Add com.enterprisehub.geo:geo-cloud-local (local) or"
                        + " com.enterprisehub.geo:geo-spi-aws (aws) as a dependency");
        assertThatThrownBy(() -> Providers.fromClassPath().select(CloudProvider.class, "local"))
                .hasMessageContaining("com.enterprisehub.geo:geo-cloud-local");
        assertThatThrownBy(() -> Providers.fromClassPath().select(CloudProvider.class, "aws"))
                .hasMessageContaining("'aws' is provided by com.enterprisehub.geo:geo-spi-aws");
        assertThat(Providers.fromClassPath().all(TransferTaxCalculator.class)).isEmpty();
        assertThatThrownBy(() -> Providers.fromClassPath().select(ModelProvider.class, "onnx"))
                .hasMessageContaining("'onnx' is provided by com.enterprisehub.geo:geo-models (and"
                        + " com.microsoft.onnxruntime:onnxruntime)");
        assertThatThrownBy(() -> Providers.fromClassPath().select(ModelProvider.class))
                .hasMessageContaining("Add com.enterprisehub.geo:geo-models (xgboost, onnx) as a dependency");
    }

    /** Named as geo-models' SPI is: the fix-it messages go by the SPI's simple name. */
    interface ModelProvider extends GeoProvider {
    }

    @Test
    void typedSettingsTellWhichSettingIsWrongAndHowToGiveIt() {
        ProviderContext context = ProviderContext.builder().setting("pool-size", "12").setting("timeout", "PT2S")
                .setting("strict", "true").setting("bad-size", "twelve").setting("bad-timeout", "-PT1S")
                .setting("bad-flag", "yes").setting("blank", "  ").build();
        assertThat(context.intSetting("pool-size", 4, 1, 64, "the x provider")).isEqualTo(12);
        assertThat(context.intSetting("absent", 4, 1, 64, "the x provider")).isEqualTo(4);
        assertThat(context.durationSetting("timeout", Duration.ofSeconds(9), "x")).isEqualTo(Duration.ofSeconds(2));
        assertThat(context.booleanSetting("strict", false, "x")).isTrue();
        assertThat(context.setting("blank")).isEmpty();
        assertThatThrownBy(() -> context.intSetting("bad-size", 4, 1, 64, "the x provider"))
                .isInstanceOf(GeoValidationException.class)
                .hasMessage("The x provider's setting 'bad-size' must be a whole number from 1 to 64; got 'twelve'.");
        assertThatThrownBy(() -> context.intSetting("pool-size", 4, 1, 8, "the x provider"))
                .hasMessageContaining("from 1 to 8; got '12'");
        assertThatThrownBy(() -> context.durationSetting("bad-timeout", Duration.ZERO, "the x provider"))
                .hasMessageContaining("positive ISO-8601 duration");
        assertThatThrownBy(() -> context.booleanSetting("bad-flag", false, "the x provider"))
                .hasMessageContaining("must be true or false; got 'yes'");
        assertThatThrownBy(() -> context.requireSetting("directory", "the local cloud", "where it keeps its keys"))
                .hasMessage("The local cloud needs the setting 'directory': where it keeps its keys. Give it with"
                        + " ProviderContext.builder().setting(\"directory\", ...).");
        assertThatThrownBy(() -> context.refuseSettingsOtherThan(Set.of("pool-size"), "the x provider"))
                .hasMessageContaining("[bad-flag, bad-size, bad-timeout, blank, strict, timeout]")
                .hasMessageContaining("it reads [pool-size]");
        assertThatThrownBy(() -> ProviderContext.builder().setting("Bad Key", "v"))
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("'Bad Key'");
        assertThat(context.toString()).doesNotContain("twelve").contains("pool-size");
    }

    @Test
    void objectsAreFoundByTheirTypeAndAMissingOneSaysHowToGiveIt() {
        ProviderContext empty = ProviderContext.empty();
        assertThat(empty.object(DataSource.class)).isEmpty();
        assertThatThrownBy(() -> empty.requireObject(DataSource.class, "the jdbc tenant catalog", "the control plane"))
                .isInstanceOf(GeoValidationException.class)
                .hasMessage("The jdbc tenant catalog needs a javax.sql.DataSource (the control plane). Give it with"
                        + " ProviderContext.builder().object(DataSource.class, ...).");
        Clock clock = Clock.systemUTC();
        assertThat(ProviderContext.builder().object(Clock.class, clock).build().object(Clock.class)).containsSame(clock);
        assertThat(ProviderContext.empty().events()).isNotSameAs(ProviderContext.empty().events());
    }

    /** A provider of its own class path: a second catalog provider declared through META-INF/services. */
    public static final class RivalCatalogProvider implements TenantCatalogProvider {
        @Override
        public String name() {
            return "rival";
        }

        @Override
        public TenantCatalog open(ProviderContext context) {
            return InMemoryTenantCatalog.create();
        }
    }

    /** A declared provider class that cannot be instantiated. */
    public static final class BrokenProvider implements TenantCatalogProvider {
        public BrokenProvider() {
            throw new IllegalStateException("broken on purpose");
        }

        @Override
        public String name() {
            return "broken";
        }

        @Override
        public TenantCatalog open(ProviderContext context) {
            throw new AssertionError();
        }
    }

    @Test
    void aRealServiceLoaderScenarioOnItsOwnClassPath(@TempDir Path dir) throws IOException {
        try (URLClassLoader loader = classPathDeclaring(dir, RivalCatalogProvider.class.getName())) {
            Providers providers = Providers.using(ProviderLoader.serviceLoader(loader));
            assertThat(providers.all(TenantCatalogProvider.class)).extracting(GeoProvider::name)
                    .containsExactly("rival", "in-memory");
            assertThat(providers.select(TenantCatalogProvider.class).name()).isEqualTo("rival");
        }
    }

    @Test
    void aBrokenDeclaredProviderFailsWithAClearError(@TempDir Path dir) throws IOException {
        try (URLClassLoader loader = classPathDeclaring(dir, BrokenProvider.class.getName())) {
            assertThatThrownBy(() -> Providers.using(ProviderLoader.serviceLoader(loader))
                    .select(TenantCatalogProvider.class))
                    .isInstanceOf(ProviderSelectionException.class)
                    .hasMessageContaining("could not be loaded");
        }
    }

    private static URLClassLoader classPathDeclaring(Path dir, String providerClass) throws IOException {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(TenantCatalogProvider.class.getName()), providerClass + "\n");
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, ProvidersTest.class.getClassLoader());
    }
}
