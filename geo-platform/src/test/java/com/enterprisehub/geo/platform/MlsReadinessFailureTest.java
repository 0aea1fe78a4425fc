package com.enterprisehub.geo.platform;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.enterprisehub.geo.core.market.FeedProtocol;
import com.enterprisehub.geo.core.market.Market;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.core.market.MlsIntegration;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.spi.ProviderContext;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import com.enterprisehub.geo.spi.cloud.SecretStore;
import com.enterprisehub.geo.spi.listing.FeedSubscription;
import com.enterprisehub.geo.spi.listing.ListingFeed;
import com.enterprisehub.geo.spi.listing.ListingFeedProvider;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A provider failing with an unexpected exception: a finding, and a WARN with its stack trace and no secret. */
class MlsReadinessFailureTest {
    private static final String SECRET = "Very-Secret-Value-42";

    @Test
    void anUnexpectedProviderFailureIsAFindingAndLoggedWithItsStackTraceButNoSecret() {
        Market market = MarketCatalog.defaults().require(MarketId.of("us-ca"));
        MlsIntegration feed = market.mlsIntegrations().get(0);
        Tenant tenant = InMemoryTenantCatalog.create().create(Tenant.builder("broken-co").market("us-ca")
                .organization("Broken").isolationLevel(IsolationLevel.BASIC).state(TenantState.ACTIVE).build());
        Map<String, String> secrets = new HashMap<>(Map.of("mls/" + feed.id() + "/client-id", "id-1",
                "mls/" + feed.id() + "/client-secret", SECRET));
        SecretStore store = new SecretStore() {
            @Override
            public Optional<String> get(String name) {
                return Optional.ofNullable(secrets.get(name));
            }

            @Override
            public void put(String name, String value) {
                secrets.put(name, value);
            }

            @Override
            public void delete(String name) {
                secrets.remove(name);
            }
        };
        ListingFeedProvider broken = new ListingFeedProvider() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public FeedProtocol protocol() {
                return feed.protocol();
            }

            @Override
            public ListingFeed open(FeedSubscription subscription, ProviderContext context) {
                throw new IllegalStateException("bug: token request with " + context.object(SecretStore.class)
                        .orElseThrow().get("mls/" + feed.id() + "/client-secret").orElseThrow()
                        + " to https://u:pw@mls.example.com/token?k=v");
            }
        };
        MlsReadiness readiness = new MlsReadiness(InMemoryTenantCatalog.create(), Map.of(feed.id(), Map.of("a", "b")),
                Clock.systemUTC());
        Logger logger = (Logger) LoggerFactory.getLogger(MlsReadiness.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            Optional<String> why = readiness.firstPage(market, feed, List.of(broken), store, tenant);
            assertThat(why).hasValueSatisfying(w -> assertThat(w).contains("broken", "IllegalStateException")
                    .doesNotContain(SECRET));
            assertThat(appender.list).singleElement().satisfies(e -> {
                assertThat(e.getLevel()).isEqualTo(Level.WARN);
                assertThat(e.getThrowableProxy()).as("the stack trace is logged").isNotNull();
                String logged = e.getFormattedMessage() + ThrowableProxyUtil.asString(e.getThrowableProxy());
                assertThat(logged).contains("broken-co", "IllegalStateException", "MlsReadinessFailureTest")
                        .doesNotContain(SECRET, "pw@", "k=v");
            });
        } finally {
            logger.detachAppender(appender);
        }
    }
}
