package com.enterprisehub.geo.spring;

import com.enterprisehub.geo.isolation.TenantDataSource;

/**
 * Adjusts the builder of the starter's {@code dataSource} after the {@code geo.*} properties were applied and before
 * it is built: key management, tenant affinity, a clock, anything {@link TenantDataSource.Builder} offers that has
 * no property. Every bean of this type is applied, in their order. With geo-platform, a {@code Cloud} and a control
 * plane, the starter's own customizer sets each tenant's key management in its market's region (so the
 * {@code Platform} bean can prove a tenant's data key when it provisions it).
 */
@FunctionalInterface
public interface TenantDataSourceCustomizer {
    /**
     * Customizes {@code builder}.
     *
     * @param builder the data source's builder, with the properties applied
     */
    void customize(TenantDataSource.Builder builder);
}
