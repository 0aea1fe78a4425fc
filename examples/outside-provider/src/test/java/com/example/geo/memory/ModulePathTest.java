package com.example.geo.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The provider on the module path: the jar's module descriptor declares what META-INF/services declares, and a
 * module layer of this module and geo-spi's module graph finds the provider through {@code provides} alone and
 * opens a cloud with it. The other tests run on the class path, where META-INF/services is what counts.
 */
class ModulePathTest {
    private static final String MODULE = "com.example.geo.memory";
    private static final String SERVICE = "com.enterprisehub.geo.spi.cloud.CloudProvider";

    private static Path locationOf(String className) throws ClassNotFoundException, URISyntaxException {
        return Path.of(Class.forName(className).getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void theDescriptorProvidesWhatMetaInfServicesDeclares() throws Exception {
        Path classes = locationOf(MemoryCloud.class.getName());
        ModuleDescriptor descriptor;
        try (var in = Files.newInputStream(classes.resolve("module-info.class"))) {
            descriptor = ModuleDescriptor.read(in);
        }
        assertThat(descriptor.name()).isEqualTo(MODULE);
        assertThat(descriptor.requires()).extracting(ModuleDescriptor.Requires::name)
                .contains("com.enterprisehub.geo.spi");
        assertThat(descriptor.exports()).as("it exports nothing: hosts reach it through the service").isEmpty();
        List<String> services = Files.readAllLines(classes.resolve("META-INF/services/" + SERVICE)).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(services).containsExactly(MemoryCloud.Provider.class.getName());
        assertThat(descriptor.provides()).singleElement().satisfies(p -> {
            assertThat(p.service()).isEqualTo(SERVICE);
            assertThat(p.providers()).containsExactlyElementsOf(services);
        });
    }

    @Test
    void aModuleLayerFindsItThroughProvidesAndOpensACloud() throws Exception {
        // This module, and what it reads: geo-spi, geo-core and their required modules (from the test class path).
        List<Path> modulePath = new ArrayList<>();
        for (String className : List.of(MemoryCloud.class.getName(), "com.enterprisehub.geo.spi.Providers",
                "com.enterprisehub.geo.core.GeoException", "org.slf4j.Logger", "javax.money.MonetaryAmount",
                "com.fasterxml.jackson.databind.ObjectMapper", "com.fasterxml.jackson.core.JsonParser",
                "com.fasterxml.jackson.annotation.JsonProperty")) {
            modulePath.add(locationOf(className));
        }
        Configuration configuration = ModuleLayer.boot().configuration().resolveAndBind(
                ModuleFinder.of(modulePath.toArray(Path[]::new)), ModuleFinder.of(), Set.of(MODULE));
        ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(configuration,
                ClassLoader.getPlatformClassLoader());
        ClassLoader loader = layer.findLoader("com.enterprisehub.geo.spi");
        Class<?> service = loader.loadClass(SERVICE);

        List<Object> found = new ArrayList<>();
        ServiceLoader.load(layer, service).forEach(found::add);
        Object provider = found.stream().filter(p -> p.getClass().getModule().getName().equals(MODULE)).findFirst()
                .orElseThrow(() -> new AssertionError("no provider of " + SERVICE + " from " + MODULE + "; found "
                        + found));
        assertThat(provider.getClass().getName()).isEqualTo(MemoryCloud.Provider.class.getName());
        assertThat(provider.getClass()).as("the layer's class, not the class path's")
                .isNotSameAs(MemoryCloud.Provider.class);
        assertThat(service.getMethod("name").invoke(provider)).isEqualTo("memory");

        Object context = loader.loadClass("com.enterprisehub.geo.spi.ProviderContext").getMethod("empty").invoke(null);
        Method open = service.getMethod("open", context.getClass());
        Class<?> cloudType = loader.loadClass("com.enterprisehub.geo.spi.cloud.Cloud");
        try (AutoCloseable cloud = (AutoCloseable) open.invoke(provider, context)) {
            assertThat(cloudType.getMethod("name").invoke(cloud)).isEqualTo("memory");
            assertThat((Set<?>) cloudType.getMethod("regions").invoke(cloud)).hasSize(6);
        }
    }
}
