/**
 * The {@code memory} cloud provider: every region's master keys, secrets and objects held in this JVM's memory, for
 * host tests and demos that want no files. A provider written outside the SDK: it requires geo-spi and nothing else
 * of it. It exports no package: hosts reach it through the service it provides
 * ({@code Providers.fromClassPath().select(CloudProvider.class, "memory")}), never by its classes.
 */
module com.example.geo.memory {
    requires com.enterprisehub.geo.spi;

    provides com.enterprisehub.geo.spi.cloud.CloudProvider with com.example.geo.memory.MemoryCloud.Provider;
}
