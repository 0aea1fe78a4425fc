package com.enterprisehub.geo.core.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.MarketCatalogException;
import com.enterprisehub.geo.core.MarketCatalogException.Problem;
import com.enterprisehub.geo.core.UnknownMarketException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MarketCatalogTest {

    private static final String SOURCE = "test-catalog.json";

    // ---------- the default catalog carries the seed's twelve markets and figures ----------

    @Test
    void defaultCatalogHasTheSeedsTwelveMarketsByTier() {
        MarketCatalog catalog = MarketCatalog.defaults();

        assertThat(catalog.size()).isEqualTo(12);
        assertThat(names(catalog.inTier(MarketTier.TIER_1)))
                .containsExactly("California", "Florida", "New York", "Illinois", "Texas");
        assertThat(names(catalog.inTier(MarketTier.TIER_2)))
                .containsExactly("Arizona", "Colorado", "North Carolina", "Georgia");
        assertThat(names(catalog.inTier(MarketTier.INTERNATIONAL)))
                .containsExactly("Canada", "United Kingdom", "Australia");
        assertThat(catalog.inTier(MarketTier.EMERGING)).isEmpty();
    }

    @Test
    void defaultCatalogCarriesTheSeedsFiguresForCalifornia() {
        Market ca = MarketCatalog.defaults().require(MarketId.of("us-ca"));

        assertThat(ca.region()).isEqualTo(DeploymentRegion.US_WEST);
        assertThat(ca.currency()).isEqualTo(Currency.getInstance("USD"));
        assertThat(ca.defaultLocale()).isEqualTo(Locale.forLanguageTag("en-US"));
        assertThat(ca.timeZone()).isEqualTo(ZoneId.of("America/Los_Angeles"));
        assertThat(ca.jurisdictions()).containsExactly(Jurisdiction.of("US-CA"));
        assertThat(ca.cities()).extracting(City::name)
                .containsExactly("Los Angeles", "San Francisco", "San Diego", "Sacramento");
        assertThat(ca.size().annualTransactionVolume()).isEqualByComparingTo(new BigDecimal("800000000000"));
        assertThat(ca.targetCustomers()).contains(15_000L);
        assertThat(ca.regulatoryComplexity()).contains(Level.HIGH);
        assertThat(ca.competitionLevel()).contains(Level.HIGH);
        assertThat(ca.revenueRange().low()).isEqualByComparingTo("400000");
        assertThat(ca.revenueRange().high()).isEqualByComparingTo("700000");
        assertThat(ca.dataResidency().permits(DeploymentRegion.US_EAST)).isTrue();
        assertThat(ca.dataResidency().permits(DeploymentRegion.EUROPE)).isFalse();
        assertThat(ca.mlsIntegrations()).extracting(MlsIntegration::id).contains("crmls");
    }

    @Test
    void internationalMarketsCoverTheirJurisdictionsAndCitiesKeepTheirOwnZones() {
        MarketCatalog catalog = MarketCatalog.defaults();
        Market canada = catalog.require(MarketId.of("ca"));
        Market uk = catalog.require(MarketId.of("gb"));
        Market australia = catalog.require(MarketId.of("au"));

        assertThat(canada.jurisdictions()).extracting(Jurisdiction::code)
                .containsExactly("CA-ON", "CA-BC", "CA-QC", "CA-AB");
        assertThat(canada.locales()).containsExactly(Locale.forLanguageTag("en-CA"), Locale.forLanguageTag("fr-CA"));
        assertThat(canada.city("Vancouver").map(City::timeZone)).contains(ZoneId.of("America/Vancouver"));
        assertThat(canada.size().currency()).isEqualTo(Currency.getInstance("CAD"));
        assertThat(uk.city("Edinburgh").map(City::jurisdiction)).contains(Jurisdiction.of("GB-SCT"));
        assertThat(uk.size().currency()).isEqualTo(Currency.getInstance("GBP"));
        assertThat(australia.city("perth").map(City::timeZone)).contains(ZoneId.of("Australia/Perth"));
        assertThat(australia.jurisdictions()).extracting(Jurisdiction::code)
                .containsExactly("AU-NSW", "AU-VIC", "AU-QLD", "AU-WA");
        assertThat(australia.dataResidency().allowedRegions()).containsExactly(DeploymentRegion.ASIA_PACIFIC);
        // The seed gives no target-customer count for international markets: absent, not invented.
        assertThat(canada.targetCustomers()).isEmpty();
        assertThat(catalog.covering(Jurisdiction.of("CA-QC"))).containsExactly(canada);
    }

    @Test
    void defaultCatalogReproducesTheSeedsPerTierRevenueFromItsMarkets() {
        MarketCatalog catalog = MarketCatalog.defaults();
        // The seed: tier 1 $1.8M conservative; tier 2 $650K-$1.15M; international $750K-$1.5M.
        // (It states tier 1's aggressive total as $3.1M, but its markets sum to $3.0M.)
        assertThat(sum(catalog, MarketTier.TIER_1, true)).isEqualByComparingTo("1800000");
        assertThat(sum(catalog, MarketTier.TIER_1, false)).isEqualByComparingTo("3000000");
        assertThat(sum(catalog, MarketTier.TIER_2, true)).isEqualByComparingTo("650000");
        assertThat(sum(catalog, MarketTier.TIER_2, false)).isEqualByComparingTo("1150000");
        assertThat(sum(catalog, MarketTier.INTERNATIONAL, true)).isEqualByComparingTo("750000");
        assertThat(sum(catalog, MarketTier.INTERNATIONAL, false)).isEqualByComparingTo("1500000");
    }

    @Test
    void requireNamesTheKnownMarketsWhenOneIsMissing() {
        assertThatThrownBy(() -> MarketCatalog.defaults().require(MarketId.of("de")))
                .isInstanceOf(UnknownMarketException.class)
                .hasMessageContaining("'de'").hasMessageContaining("us-ca");
        assertThat(MarketCatalog.defaults().find(MarketId.of("de"))).isEmpty();
    }

    @Test
    void catalogListsAreUnmodifiable() {
        Market ca = MarketCatalog.defaults().require(MarketId.of("us-ca"));
        assertThatThrownBy(() -> ca.cities().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> MarketCatalog.defaults().markets().clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }

    // ---------- strict loading: each bad input is named by file, market and field ----------

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown currency          | \"currency\": \"USD\"                  | \"currency\": \"XYZ\"                  | currency                 | ISO 4217",
        "lowercase currency        | \"currency\": \"USD\"                  | \"currency\": \"usd\"                  | currency                 | ISO 4217",
        "unknown time zone         | \"timeZone\": \"America/Los_Angeles\"  | \"timeZone\": \"America/Springfield\"  | timeZone                 | IANA",
        "unknown locale language   | \"locales\": [\"en-US\"]               | \"locales\": [\"xx-US\"]               | locales[0]               | ISO 639",
        "malformed locale          | \"locales\": [\"en-US\"]               | \"locales\": [\"en_US!\"]              | locales[0]               | well-formed",
        "unknown jurisdiction      | \"jurisdictions\": [\"US-CA\"]         | \"jurisdictions\": [\"US-ZZ\"]         | jurisdictions[0]         | ISO 3166-2",
        "city with no jurisdiction | \"jurisdiction\": \"US-CA\"}          | \"note\": 1}                           | cities[0].jurisdiction   | required",
        "city outside the market   | \"jurisdiction\": \"US-CA\"}          | \"jurisdiction\": \"US-NV\"}          | cities[0].jurisdiction   | not one of the market's",
        "negative size             | \"annualTransactionVolume\": 100      | \"annualTransactionVolume\": -1       | marketSize.annualTransactionVolume | zero or more",
        "negative customers        | \"targetCustomers\": 10               | \"targetCustomers\": -10              | targetCustomers          | zero or more",
        "fractional customers      | \"targetCustomers\": 10               | \"targetCustomers\": 10.5             | targetCustomers          | whole number",
        "revenue low above high    | \"high\": 2                           | \"high\": 0.5                         | revenueRange             | low <= high",
        "unknown tier              | \"tier\": \"TIER_1\"                   | \"tier\": \"TIER_9\"                   | tier                     | TIER_1",
        "unknown field             | \"tier\": \"TIER_1\"                   | \"tier\": \"TIER_1\", \"teir\": 1      | teir                     | unknown field",
        "region outside residency  | \"region\": \"US_WEST\"                | \"region\": \"EUROPE\"                 | region                   | data-residency",
        "mls without https         | \"website\": \"https://x.example\"     | \"website\": \"http://x.example\"      | mlsIntegrations[0]       | https",
        "missing name              | \"name\": \"Test\",                    | \"title\": \"Test\",                   | name                     | required",
    })
    void eachBadInputIsNamedByFileMarketAndField(String label, String good, String bad, String field, String says) {
        String json = VALID.replace(good, bad);
        assertThat(json).as("the test must actually change the catalog").isNotEqualTo(VALID);

        MarketCatalogException e = catchLoad(json);

        assertThat(e.problems()).as(label).anySatisfy(p -> {
            assertThat(p.source()).isEqualTo(SOURCE);
            assertThat(p.market()).isEqualTo("us-test");
            assertThat(p.field()).isEqualTo(field);
            assertThat(p.message()).contains(says);
        });
        assertThat(e.getMessage()).contains(SOURCE).contains("us-test").contains(field);
    }

    @Test
    void validCatalogTemplateLoads() {
        MarketCatalog catalog = load(VALID);
        assertThat(catalog.ids()).containsExactly(MarketId.of("us-test"), MarketId.of("us-other"));
    }

    @Test
    void duplicateIdsAreReportedAndNothingIsLoaded() {
        String json = VALID.replace("\"id\": \"us-other\"", "\"id\": \"us-test\"");
        MarketCatalogException e = catchLoad(json);
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.market()).isEqualTo("us-test");
            assertThat(p.field()).isEqualTo("id");
            assertThat(p.message()).contains("duplicate").contains("markets[0]").contains("markets[1]");
        });
    }

    @Test
    void everyProblemIsReportedInOnePassAcrossMarkets() {
        String json = VALID.replace("\"currency\": \"USD\"", "\"currency\": \"XYZ\"")
                .replace("\"timeZone\": \"America/Chicago\"", "\"timeZone\": \"Mars/Olympus\"");
        MarketCatalogException e = catchLoad(json);
        Map<String, List<String>> fieldsByMarket = e.problems().stream().collect(Collectors.groupingBy(
                Problem::market, Collectors.mapping(Problem::field, Collectors.toList())));
        assertThat(fieldsByMarket.get("us-test")).contains("currency");
        assertThat(fieldsByMarket.get("us-other")).contains("currency", "timeZone");
    }

    @Test
    void aMarketWithoutAnIdIsNamedByItsPosition() {
        String json = VALID.replace("\"id\": \"us-other\",", "");
        MarketCatalogException e = catchLoad(json);
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.market()).isEqualTo("markets[1]");
            assertThat(p.field()).isEqualTo("id");
        });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"schemaVersion\": 2, \"markets\": []}                  | schemaVersion",
        "{\"schemaVersion\": 1, \"markets\": []}                  | markets",
        "{\"schemaVersion\": 1}                                  | markets",
        "[1, 2]                                                  | must be an object",
        "{\"schemaVersion\": 1, \"markets\": [ }                 | not valid JSON",
        "{\"schemaVersion\": 1, \"schemaVersion\": 1, \"markets\": [] } | not valid JSON",
    })
    void malformedFilesAreRefusedWithTheReason(String json, String says) {
        MarketCatalogException e = catchLoad(json);
        assertThat(e.getMessage()).contains(SOURCE).contains(says);
    }

    @Test
    void anEmptyFileIsRefused() {
        assertThat(catchLoad("").getMessage()).contains("empty");
    }

    @Test
    void loadsTheSameCatalogFromYamlAsFromJson(@TempDir Path dir) throws IOException {
        Path yaml = dir.resolve("markets.yaml");
        Files.writeString(yaml, YAML_EQUIVALENT);
        Path json = dir.resolve("markets.json");
        Files.writeString(json, VALID);

        MarketCatalog fromYaml = MarketCatalog.load(yaml);
        MarketCatalog fromJson = MarketCatalog.load(json);

        assertThat(fromYaml.markets()).isEqualTo(fromJson.markets());
    }

    @Test
    void yamlProblemsNameTheFile(@TempDir Path dir) throws IOException {
        Path yaml = dir.resolve("bad.yml");
        Files.writeString(yaml, YAML_EQUIVALENT.replace("currency: USD", "currency: DOLLARS"));
        assertThatThrownBy(() -> MarketCatalog.load(yaml))
                .isInstanceOf(MarketCatalogException.class)
                .hasMessageContaining(yaml.toString()).hasMessageContaining("currency");
    }

    @Test
    void theDefaultCatalogFileLoadsStrictlyFromDiskToo(@TempDir Path dir) throws IOException {
        Path copy = dir.resolve("default-markets.json");
        try (InputStream in = MarketCatalog.class.getResourceAsStream("default-markets.json")) {
            Files.copy(in, copy);
        }
        assertThat(MarketCatalog.load(copy).markets()).isEqualTo(MarketCatalog.defaults().markets());
    }

    // ---------- helpers ----------

    private static List<String> names(List<Market> markets) {
        return markets.stream().map(Market::name).toList();
    }

    private static BigDecimal sum(MarketCatalog catalog, MarketTier tier, boolean low) {
        return catalog.inTier(tier).stream().map(Market::revenueRange)
                .map(r -> low ? r.low() : r.high()).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static MarketCatalog load(String json) {
        return MarketCatalog.load(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), SOURCE,
                MarketCatalog.Format.JSON);
    }

    private static MarketCatalogException catchLoad(String json) {
        try {
            MarketCatalog catalog = load(json);
            throw new AssertionError("expected the catalog to be refused, but it loaded: " + catalog);
        } catch (MarketCatalogException e) {
            return e;
        }
    }

    static final String VALID = """
            {
              "schemaVersion": 1,
              "markets": [
                {
                  "id": "us-test",
                  "name": "Test",
                  "tier": "TIER_1",
                  "region": "US_WEST",
                  "currency": "USD",
                  "locales": ["en-US"],
                  "timeZone": "America/Los_Angeles",
                  "jurisdictions": ["US-CA"],
                  "cities": [{"name": "Los Angeles", "jurisdiction": "US-CA"}],
                  "marketSize": {"annualTransactionVolume": 100, "currency": "USD"},
                  "targetCustomers": 10,
                  "revenueRange": {"low": 1, "high": 2, "currency": "USD"},
                  "mlsIntegrations": [{"id": "x-mls", "name": "X MLS", "protocol": "RESO_WEB_API", "website": "https://x.example"}],
                  "dataResidency": {"restricted": true, "regions": ["US_WEST", "US_EAST"], "basis": "policy"}
                },
                {
                  "id": "us-other",
                  "name": "Other",
                  "tier": "TIER_2",
                  "region": "US_CENTRAL",
                  "currency": "USD",
                  "locales": ["en-US"],
                  "timeZone": "America/Chicago",
                  "jurisdictions": ["US-IL"],
                  "cities": [],
                  "marketSize": {"annualTransactionVolume": 5.5, "currency": "USD"},
                  "revenueRange": {"low": 0, "high": 0, "currency": "USD"},
                  "dataResidency": {"restricted": false, "basis": "policy"}
                }
              ]
            }
            """;

    static final String YAML_EQUIVALENT = """
            schemaVersion: 1
            markets:
              - id: us-test
                name: Test
                tier: TIER_1
                region: US_WEST
                currency: USD
                locales: [en-US]
                timeZone: America/Los_Angeles
                jurisdictions: [US-CA]
                cities:
                  - {name: Los Angeles, jurisdiction: US-CA}
                marketSize: {annualTransactionVolume: 100, currency: USD}
                targetCustomers: 10
                revenueRange: {low: 1, high: 2, currency: USD}
                mlsIntegrations:
                  - {id: x-mls, name: X MLS, protocol: RESO_WEB_API, website: "https://x.example"}
                dataResidency: {restricted: true, regions: [US_WEST, US_EAST], basis: policy}
              - id: us-other
                name: Other
                tier: TIER_2
                region: US_CENTRAL
                currency: USD
                locales: [en-US]
                timeZone: America/Chicago
                jurisdictions: [US-IL]
                cities: []
                marketSize: {annualTransactionVolume: 5.5, currency: USD}
                revenueRange: {low: 0, high: 0, currency: USD}
                dataResidency: {restricted: false, basis: policy}
            """;

    @Test
    void optionalFieldsAbsentInTheFileAreAbsentInTheMarket() {
        Market other = load(VALID).require(MarketId.of("us-other"));
        assertThat(other.targetCustomers()).isEqualTo(Optional.empty());
        assertThat(other.regulatoryComplexity()).isEmpty();
        assertThat(other.mlsIntegrations()).isEmpty();
        assertThat(other.dataResidency().restricted()).isFalse();
        assertThat(other.dataResidency().permits(DeploymentRegion.ASIA_PACIFIC)).isTrue();
    }
}
