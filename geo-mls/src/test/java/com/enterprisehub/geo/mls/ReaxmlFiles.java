package com.enterprisehub.geo.mls;

import com.enterprisehub.geo.core.tenant.TenantId;
import com.enterprisehub.geo.spi.ProviderContext;
import com.enterprisehub.geo.spi.Providers;
import com.enterprisehub.geo.spi.listing.FeedSubscription;
import com.enterprisehub.geo.spi.listing.ListingFeed;
import com.enterprisehub.geo.spi.listing.ListingFeedProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Currency;
import java.util.List;

/** The sample REAXML files (test resources) and generated ones, in a fresh directory. */
final class ReaxmlFiles {
    static final Currency AUD = Currency.getInstance("AUD");
    static final List<String> SAMPLES = List.of("20260301-090000-residential.xml", "20260301-100000-rental.xml",
            "20260301-110000-land.xml", "20260301-120000-broken.xml");

    private ReaxmlFiles() {
    }

    static Path directoryWithSamples() throws IOException {
        Path dir = Files.createTempDirectory("geo-mls-reaxml");
        for (String name : SAMPLES) {
            try (InputStream in = ReaxmlFiles.class.getResourceAsStream("/reaxml/" + name)) {
                Files.copy(in, dir.resolve(name));
            }
        }
        return dir;
    }

    /** Writes {@code count} current residential listings G0000.. into {@code name}. */
    static void generate(Path dir, String name, int count, int firstNumber) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<propertyList>\n");
        for (int i = firstNumber; i < firstNumber + count; i++) {
            xml.append("<residential modTime=\"2026-03-02-09:").append(String.format("%02d", (i / 60) % 60))
                    .append(':').append(String.format("%02d", i % 60)).append("\" status=\"current\">")
                    .append("<agentID>GEN</agentID><uniqueID>G").append(String.format("%04d", i)).append("</uniqueID>")
                    .append("<price>").append(500_000 + i).append("</price><category name=\"House\"/>")
                    .append("<features><bedrooms>").append(1 + i % 4).append("</bedrooms><bathrooms>1</bathrooms>")
                    .append("</features><address><streetNumber>").append(i).append("</streetNumber><street>Gen St")
                    .append("</street><suburb>Perth</suburb><state>wa</state><postcode>6000</postcode></address>")
                    .append("</residential>\n");
        }
        xml.append("</propertyList>\n");
        try {
            Files.writeString(dir.resolve(name), xml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ListingFeed open(TenantId tenant, String feedId, Path dir) {
        ListingFeedProvider provider = Providers.fromClassPath().select(ListingFeedProvider.class, "reaxml");
        return provider.open(new FeedSubscription(tenant, feedId, AUD),
                ProviderContext.builder().setting("directory", dir.toString()).setting("settle-time", "PT0S").build());
    }
}
