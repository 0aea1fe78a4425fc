package com.enterprisehub.geo.core.market;

import static com.enterprisehub.geo.core.market.MarketCatalogTest.VALID;
import static com.enterprisehub.geo.core.market.MarketCatalogTest.YAML_EQUIVALENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.enterprisehub.geo.core.MarketCatalogException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 18: input a new user (or an attacker with write access to a catalog file) could give the loader. Each
 * case must end in a {@link MarketCatalogException} naming the field, quickly, never in an error of the JVM or a
 * silently changed catalog.
 */
class MarketCatalogHostileInputTest {
    private static final String SOURCE = "hostile.json";

    // ---------- numbers: refuse huge exponents before anything expands them ----------

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "\"targetCustomers\": 10             | \"targetCustomers\": 1e999999999                | targetCustomers",
        "\"targetCustomers\": 10             | \"targetCustomers\": 1e-999999999               | targetCustomers",
        "\"targetCustomers\": 10             | \"targetCustomers\": -1e999999999               | targetCustomers",
        "\"annualTransactionVolume\": 100    | \"annualTransactionVolume\": -1e999999999       | marketSize.annualTransactionVolume",
        "\"annualTransactionVolume\": 100    | \"annualTransactionVolume\": 1e999999999        | marketSize.annualTransactionVolume",
        "\"annualTransactionVolume\": 100    | \"annualTransactionVolume\": 1E-999999999       | marketSize.annualTransactionVolume",
        "\"high\": 2                         | \"high\": 2e999999999                           | revenueRange.high",
        "\"low\": 1                          | \"low\": -1e-999999999                          | revenueRange.low",
    })
    void hugeExponentsAreRefusedBeforeAnyExpansion(String good, String bad, String field) {
        String json = VALID.replace(good, bad);
        assertThat(json).isNotEqualTo(VALID);
        MarketCatalogException e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> catchLoad(json));
        assertThat(e.problems()).anySatisfy(p -> {
            assertThat(p.field()).isEqualTo(field);
            assertThat(p.message()).contains("digits");
        });
        assertThat(e.getMessage().length()).isLessThan(2_000);
    }

    @Test
    void hugeExponentsInYamlAreRefusedToo(@TempDir Path dir) throws IOException {
        Path yaml = dir.resolve("huge.yaml");
        Files.writeString(yaml, YAML_EQUIVALENT.replace("targetCustomers: 10", "targetCustomers: 1.0e+999999999"));
        MarketCatalogException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> catchLoadFile(yaml));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p.field()).isEqualTo("targetCustomers"));
    }

    @Test
    void ordinaryFiguresStillLoad() {
        String json = VALID.replace("\"annualTransactionVolume\": 100", "\"annualTransactionVolume\": 8.5E11")
                .replace("\"targetCustomers\": 10", "\"targetCustomers\": 15000");
        Market m = load(json).require(MarketId.of("us-test"));
        assertThat(m.size().annualTransactionVolume()).isEqualByComparingTo("850000000000");
        assertThat(m.targetCustomers()).contains(15_000L);
    }

    @Test
    void unknownKeysAreCleanedAndAFloodOfThemIsSummarised() {
        StringBuilder keys = new StringBuilder();
        for (int i = 0; i < 50_000; i++) {
            keys.append("\"k").append(i).append("\": 0, ");
        }
        String json = VALID.replace("\"targetCustomers\": 10", keys + "\"x\\r\\nERROR forged\": 1, \"targetCustomers\": 10");
        assertThat(json).isNotEqualTo(VALID);
        MarketCatalogException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> catchLoad(json));
        assertThat(e.problems()).hasSizeLessThanOrEqualTo(101);
        assertThat(e.problems().get(e.problems().size() - 1).message()).contains("more problems, left out");
        assertThat(e.getMessage()).doesNotContain("\r\nERROR").hasSizeLessThan(200_000);
        String forged = VALID.replace("\"targetCustomers\": 10", "\"x\\r\\nERROR forged\": 1, \"targetCustomers\": 10");
        assertThat(catchLoad(forged).problems()).anySatisfy(p -> assertThat(p.field()).contains("x??ERROR forged")
                .doesNotContain("\n"));
    }

    // ---------- the document: one, and only one ----------

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "{}", "]", "{\"schemaVersion\": 1}"})
    void contentAfterTheJsonDocumentIsRefused(String trailing) {
        MarketCatalogException e = catchLoad(VALID + trailing);
        assertThat(e.getMessage()).contains(SOURCE).containsIgnoringCase("after");
    }

    @Test
    void aSecondJsonDocumentIsRefused() {
        assertThat(catchLoad(VALID + VALID).getMessage()).containsIgnoringCase("after");
    }

    @Test
    void aSecondYamlDocumentIsRefused(@TempDir Path dir) throws IOException {
        Path yaml = dir.resolve("two.yaml");
        Files.writeString(yaml, YAML_EQUIVALENT + "---\n" + YAML_EQUIVALENT);
        assertThat(catchLoadFile(yaml).getMessage()).contains("second YAML document");
        Files.writeString(yaml, YAML_EQUIVALENT + "---\n");
        assertThat(catchLoadFile(yaml).getMessage()).contains("second YAML document");
    }

    @Test
    void yamlAliasesAreRefused(@TempDir Path dir) throws IOException {
        Path yaml = dir.resolve("alias.yaml");
        // *dup would otherwise be read as the text "dup": the second market silently renamed
        Files.writeString(yaml, YAML_EQUIVALENT.replace("- id: us-test", "- id: &dup us-test")
                .replace("- id: us-other", "- id: *dup"));
        assertThat(catchLoadFile(yaml).getMessage()).contains("alias");
        Files.writeString(yaml, YAML_EQUIVALENT.replaceFirst("locales: \\[en-US]", "locales: &l [en-US]")
                .replace("locales: [en-US]", "locales: *l"));
        assertThat(catchLoadFile(yaml).getMessage()).contains("alias");
    }

    @Test
    void aYamlFileLeavesTheCallersStreamOpen() throws IOException {
        boolean[] closed = {false};
        InputStream in = new ByteArrayInputStream(YAML_EQUIVALENT.getBytes(StandardCharsets.UTF_8)) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        MarketCatalog.load(in, "stream.yaml", MarketCatalog.Format.YAML);
        assertThat(closed[0]).as("load(InputStream) must not close the caller's stream").isFalse();
    }

    // ---------- fields ----------

    @ParameterizedTest
    @ValueSource(strings = {"4294967297", "-4294967295", "1.0", "1e0", "100000000000000000000000000001"})
    void schemaVersionMustBeExactlyOne(String version) {
        MarketCatalogException e = catchLoad(VALID.replace("\"schemaVersion\": 1", "\"schemaVersion\": " + version));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p.field()).isEqualTo("schemaVersion"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Z", "UTC+05:00", "+05:00", "GMT+5", "UT", "-08:00"})
    void timeZonesMustBeIanaIds(String zone) {
        MarketCatalogException e = catchLoad(VALID.replace("\"timeZone\": \"America/Los_Angeles\"",
                "\"timeZone\": \"" + zone + "\""));
        assertThat(e.problems()).anySatisfy(p -> {
            assertThat(p.field()).isEqualTo("timeZone");
            assertThat(p.message()).contains("IANA");
        });
        MarketCatalogException city = catchLoad(VALID.replace("{\"name\": \"Los Angeles\", \"jurisdiction\": \"US-CA\"}",
                "{\"name\": \"Los Angeles\", \"jurisdiction\": \"US-CA\", \"timeZone\": \"" + zone + "\"}"));
        assertThat(city.problems()).anySatisfy(p -> assertThat(p.field()).isEqualTo("cities[0].timeZone"));
    }

    @Test
    void ianaIdsIncludingUtcAreAccepted() {
        assertThat(load(VALID.replace("\"timeZone\": \"America/Chicago\"", "\"timeZone\": \"Etc/UTC\""))
                .require(MarketId.of("us-other")).timeZone().getId()).isEqualTo("Etc/UTC");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\": {\"b\": 1}}", "[[\"x\"]]", "1", "true"})
    void aboutMustBeText(String about) {
        MarketCatalogException e = catchLoad(VALID.replace("\"schemaVersion\": 1,",
                "\"schemaVersion\": 1, \"about\": " + about + ","));
        assertThat(e.problems()).anySatisfy(p -> {
            assertThat(p.field()).isEqualTo("about");
            assertThat(p.message()).contains("text");
        });
    }

    @Test
    void sourcesAreTextOrAListOfText() {
        assertThat(load(VALID.replace("\"schemaVersion\": 1,", "\"schemaVersion\": 1, \"sources\": \"x\","))
                .size()).isEqualTo(2);
        assertThat(load(VALID.replace("\"schemaVersion\": 1,", "\"schemaVersion\": 1, \"sources\": [\"x\", \"y\"],"))
                .size()).isEqualTo(2);
        MarketCatalogException e = catchLoad(VALID.replace("\"schemaVersion\": 1,",
                "\"schemaVersion\": 1, \"sources\": [[\"x\"]],"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p.field()).isEqualTo("sources[0]"));
    }

    @ParameterizedTest
    @ValueSource(ints = {40, 100_000})
    void deeplyNestedValuesAreRefusedQuickly(int depth) {
        String nested = "[".repeat(depth) + "\"x\"" + "]".repeat(depth);
        String json = VALID.replace("\"schemaVersion\": 1,", "\"schemaVersion\": 1, \"about\": " + nested + ",");
        MarketCatalogException e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> catchLoad(json));
        assertThat(e.getMessage()).contains("nest");
    }

    @Test
    void deeplyNestedTextFieldOfAMarketIsRefused() {
        String nested = "{\"a\": ".repeat(50) + "\"x\"" + "}".repeat(50);
        MarketCatalogException e = catchLoad(VALID.replace("\"name\": \"Test\"", "\"name\": " + nested));
        assertThat(e.getMessage()).contains("nest");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "NUL in a market name   | \"name\": \"Test\"              | \"name\": \"Te\\u0000st\"              | name",
        "CR LF in a market name | \"name\": \"Test\"              | \"name\": \"Test\\r\\nX-Injected: 1\"  | name",
        "tab in a city name     | \"name\": \"Los Angeles\"       | \"name\": \"Los\\tAngeles\"            | cities[0].name",
        "line separator         | \"name\": \"X MLS\"             | \"name\": \"X\\u2028MLS\"              | mlsIntegrations[0].name",
        "escape in the basis    | \"basis\": \"policy\"}          | \"basis\": \"po\\u001blicy\"}          | dataResidency.basis",
    })
    void controlCharactersInNamesAreRefused(String label, String good, String bad, String field) {
        String json = VALID.replaceFirst(java.util.regex.Pattern.quote(good),
                java.util.regex.Matcher.quoteReplacement(bad));
        assertThat(json).as(label).isNotEqualTo(VALID);
        MarketCatalogException e = catchLoad(json);
        assertThat(e.problems()).as(label).anySatisfy(p -> {
            assertThat(p.field()).isEqualTo(field);
            assertThat(p.message()).contains("control character");
        });
        assertThat(e.getMessage()).doesNotContain("\u0000").doesNotContain("\r").doesNotContain("\u001b");
    }

    @Test
    void anIdWithControlCharactersIsNamedByPositionNotEchoed() {
        MarketCatalogException e = catchLoad(VALID.replace("\"id\": \"us-other\"", "\"id\": \"us\\r\\nforged\""));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p.market()).isEqualTo("markets[1]"));
        assertThat(e.getMessage()).doesNotContain("\r");
    }

    // ---------- size ----------

    /** A YAML catalog of {@code size} characters or more: the template after a long list of sources. */
    private static String yamlOf(int size) {
        StringBuilder b = new StringBuilder("sources:\n");
        String line = "  - \"" + "s".repeat(100) + "\"\n";
        while (b.length() < size) {
            b.append(line);
        }
        return b + YAML_EQUIVALENT;
    }

    @Test
    void aYamlCatalogOverSnakeYamlsDefaultThreeMegabytesLoads(@TempDir Path dir) throws IOException {
        Path yaml = dir.resolve("big.yaml");
        Files.writeString(yaml, yamlOf(4 * 1024 * 1024));
        assertThat(assertTimeoutPreemptively(Duration.ofSeconds(20), () -> MarketCatalog.load(yaml)).size())
                .isEqualTo(2);
    }

    @Test
    void aCatalogOverTheDocumentedLimitIsRefusedWithTheLimit(@TempDir Path dir) throws IOException {
        Path yaml = dir.resolve("huge.yaml");
        Files.writeString(yaml, yamlOf(MarketCatalog.MAX_CATALOG_SIZE));
        assertThat(assertTimeoutPreemptively(Duration.ofSeconds(20), () -> catchLoadFile(yaml)).getMessage())
                .contains(String.valueOf(MarketCatalog.MAX_CATALOG_SIZE));
        Path json = dir.resolve("huge.json");
        Files.writeString(json, VALID.replace("\"schemaVersion\": 1,", "\"schemaVersion\": 1, \"about\": \""
                + "x".repeat(MarketCatalog.MAX_CATALOG_SIZE) + "\","));
        assertThat(assertTimeoutPreemptively(Duration.ofSeconds(20), () -> catchLoadFile(json)).getMessage())
                .contains(String.valueOf(MarketCatalog.MAX_CATALOG_SIZE));
    }

    @Test
    void aYamlLineLongerThanTheLimitIsRefusedBeforeTheScannerSlowsDown(@TempDir Path dir) throws IOException {
        // SnakeYAML's scanner takes time in the square of a token's length: one 4 MB scalar takes seconds
        Path yaml = dir.resolve("long-line.yaml");
        Files.writeString(yaml, "about: \"" + "x".repeat(4 * 1024 * 1024) + "\"\n" + YAML_EQUIVALENT);
        MarketCatalogException e = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> catchLoadFile(yaml));
        assertThat(e.getMessage()).contains("line 1").contains("16384");
        // the same text over several lines loads
        Files.writeString(yaml, "about: >\n" + ("  " + "x".repeat(1000) + "\n").repeat(100) + YAML_EQUIVALENT);
        assertThat(MarketCatalog.load(yaml).size()).isEqualTo(2);
    }

    // ---------- helpers ----------

    private static MarketCatalog load(String json) {
        return MarketCatalog.load(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), SOURCE,
                MarketCatalog.Format.JSON);
    }

    private static MarketCatalogException catchLoad(String json) {
        try {
            MarketCatalog catalog = load(json);
            throw new AssertionError("expected the catalog to be refused, but it loaded: " + catalog.markets());
        } catch (MarketCatalogException e) {
            return e;
        }
    }

    private static MarketCatalogException catchLoadFile(Path file) {
        try {
            MarketCatalog catalog = MarketCatalog.load(file);
            throw new AssertionError("expected " + file + " to be refused, but it loaded: " + catalog.markets());
        } catch (MarketCatalogException e) {
            return e;
        }
    }

    @Test
    void theLimitIsSixteenMebibytes() {
        assertThat(MarketCatalog.MAX_CATALOG_SIZE).isEqualTo(16 * 1024 * 1024);
        assertThatThrownBy(() -> MarketCatalog.load((Path) null)).isInstanceOf(NullPointerException.class);
    }
}
