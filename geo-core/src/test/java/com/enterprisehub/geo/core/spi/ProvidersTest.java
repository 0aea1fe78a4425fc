package com.enterprisehub.geo.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.ProviderSelectionException;
import com.enterprisehub.geo.core.event.PlatformEvents;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
        TenantCatalog catalog = provider.open(Map.of(), PlatformEvents.create());
        assertThat(catalog.count()).isZero();
        assertThatThrownBy(() -> provider.open(Map.of("url", "x"), PlatformEvents.create()))
                .hasMessageContaining("no settings");
    }

    /** A provider of its own class path: a second catalog provider declared through META-INF/services. */
    public static final class RivalCatalogProvider implements TenantCatalogProvider {
        @Override
        public String name() {
            return "rival";
        }

        @Override
        public TenantCatalog open(Map<String, String> settings, PlatformEvents events) {
            return TenantCatalog.inMemory();
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
        public TenantCatalog open(Map<String, String> settings, PlatformEvents events) {
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
