/**
 * The cloud SPI: a {@link com.enterprisehub.geo.spi.cloud.Cloud} offers regions, and in each
 * {@link com.enterprisehub.geo.spi.cloud.KeyManagement key management},
 * {@link com.enterprisehub.geo.spi.cloud.SecretStore secrets} and
 * {@link com.enterprisehub.geo.spi.cloud.ObjectStorage object storage} (objects optionally protected by a tenant's master key,
 * {@link com.enterprisehub.geo.spi.cloud.ObjectProtection}). Providers implement
 * {@link com.enterprisehub.geo.spi.cloud.CloudProvider}.
 */
package com.enterprisehub.geo.spi.cloud;
