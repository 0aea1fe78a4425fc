/**
 * The {@code memory} cloud ({@link com.example.geo.memory.MemoryCloud}) and its provider. Only
 * {@link com.example.geo.memory.MemoryCloud} and {@link com.example.geo.memory.MemoryCloud.Provider} are public; the
 * services of a region are package-private implementations of the SPI's interfaces.
 */
package com.example.geo.memory;
