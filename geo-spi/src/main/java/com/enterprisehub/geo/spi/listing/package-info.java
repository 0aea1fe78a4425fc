/**
 * The listing-feed SPI: the listing model, normalised from the RESO Data Dictionary 2.0 (names as in the Property
 * and Media resources, <a href="https://ddwiki.reso.org/display/DDW20/Data+Dictionary+2.0+Wiki">DD 2.0 wiki</a>),
 * and the pull-based feed a {@link com.enterprisehub.geo.spi.listing.ListingFeedProvider} opens for one tenant.
 * Replication (checkpoints, writing into the tenant's tables) is geo-mls's; the contract kit is geo-test's
 * {@code ListingFeedContract}.
 */
package com.enterprisehub.geo.spi.listing;
