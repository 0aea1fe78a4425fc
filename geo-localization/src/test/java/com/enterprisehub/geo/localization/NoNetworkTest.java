package com.enterprisehub.geo.localization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketImpl;
import java.net.SocketImplFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.money.Monetary;
import org.javamoney.moneta.Money;
import org.junit.jupiter.api.Test;

/**
 * Issue 4: nothing reaches the network, and moneta-core works without the HTTP client and Kotlin runtime its
 * POM drags in (the parent POM excludes them; this module's tests run without them on the class path).
 */
class NoNetworkTest {
    @Test
    void monetaRunsWithoutOkHttpOrKotlin() {
        assertThatThrownBy(() -> Class.forName("okhttp3.OkHttpClient")).isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("okio.Okio")).isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("kotlin.Unit")).isInstanceOf(ClassNotFoundException.class);
        // Amounts, currencies, roundings and conversions all work without them.
        assertThat(Monetary.getCurrency("CAD").getDefaultFractionDigits()).isEqualTo(2);
        assertThat(Money.of(10, "USD").multiply(3).divide(4)).isEqualTo(Money.of(7.5, "USD"));
        assertThat(Money.of(1.005, "USD").with(Monetary.getDefaultRounding())).isEqualTo(Money.of(1.0, "USD"));
    }

    @Test
    void creatingAndUsingALocalizerOpensNoSocket() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        long before = openSockets();
        try {
            Socket.setSocketImplFactory(new SocketImplFactory() {
                @Override
                public SocketImpl createSocketImpl() {
                    attempts.incrementAndGet();
                    throw new IllegalStateException("geo-localization must not open sockets");
                }
            });
        } catch (IOException | Error e) {
            throw new AssertionError("another test set the JVM's socket factory first; run this test alone", e);
        }
        OfflineRates rates = OfflineRates.load(getClass().getResourceAsStream("/test-rates.properties"), "test");
        Localization l10n = Localization.builder().rates(rates).build();
        for (var market : Fixtures.MARKETS.markets()) {
            for (Locale locale : market.locales()) {
                MarketLocalizer l = l10n.localizer(market, locale);
                l.money(Money.of(1_000_000, market.currency().getCurrencyCode()));
                l.compact(Money.of(1_000_000, market.currency().getCurrencyCode()));
                l.area(Area.of(100, AreaUnit.SQUARE_METRE), AreaKind.FLOOR);
                l.dateTime(Fixtures.NOW);
                l.relative(Fixtures.NOW);
                l.message("listing.bedrooms", Map.of("beds", 2));
                l.convert(Money.of(100, "USD"), Monetary.getCurrency("CAD"));
            }
        }
        Money.of(1, "USD").with(Monetary.getDefaultRounding());
        assertThat(attempts.get()).as("socket creations").isZero();
        assertThat(openSockets()).as("open socket descriptors").isLessThanOrEqualTo(before);
        // The guard is live: a socket created now is caught.
        assertThatThrownBy(Socket::new).isInstanceOf(IllegalStateException.class);
        assertThat(attempts.get()).isEqualTo(1);
    }

    /** Sockets this process holds open (Linux: /proc/self/fd links to socket:[inode]); -1 elsewhere. */
    private static long openSockets() throws IOException {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return -1;
        }
        try (var list = Files.list(fds)) {
            return list.filter(p -> {
                try {
                    return Files.readSymbolicLink(p).toString().startsWith("socket:");
                } catch (IOException e) {
                    return false;
                }
            }).count();
        }
    }
}
