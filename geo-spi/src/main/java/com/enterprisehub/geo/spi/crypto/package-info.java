/**
 * Support types for providers and modules that keep data encrypted: the SDK's AES-GCM value format
 * ({@link com.enterprisehub.geo.spi.crypto.AesGcm}) and SHA-256 digests as the SDK records them
 * ({@link com.enterprisehub.geo.spi.crypto.Digests}).
 */
package com.enterprisehub.geo.spi.crypto;
