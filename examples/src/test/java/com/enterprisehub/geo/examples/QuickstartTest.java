package com.enterprisehub.geo.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The quickstart the README tells people to run must keep working and keep saying what it shows. */
class QuickstartTest {

    @Test
    void quickstartRunsAndShowsMarketsTenantsAndContextPropagation() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            System.setOut(out);
            Quickstart.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        String text = captured.toString(StandardCharsets.UTF_8);

        assertThat(text).contains("== Markets (12) ==");
        assertThat(text).containsPattern("us-ca\\s+California\\s+TIER_1\\s+US_WEST");
        assertThat(text).containsPattern("TIER_1\\s+5 markets, ARR 1800-3000 k USD");
        assertThat(text).contains("{tenant.created=4, tenant.state-changed=5}");
        assertThat(text).contains("maple-homes.geo.example.com -> maple-homes");
        assertThat(text).contains("harbour-property -> refused");
        assertThat(text).containsPattern("works for golden-gate-realty in market us-ca");
        assertThat(text).contains("a task submitted with no tenant bound sees: no tenant");
        assertThat(text).containsPattern("provision maple-homes\\s+BASIC\\s+-> endpoint canada-local, shared tables");
        assertThat(text).containsPattern("provision sunset-homes\\s+BASIC\\s+-> endpoint us-west-local");
        assertThat(text).containsPattern("provision golden-gate-realty\\s+ENHANCED\\s+-> endpoint us-west-local,"
                + " schema geo_t\\d+_[0-9a-f]{16}");
        assertThat(text).containsPattern("provision pacific-crest\\s+MAXIMUM\\s+-> endpoint us-west-local,"
                + " database geo_t\\d+_[0-9a-f]{16}");
        assertThat(text).containsPattern("provision thames-estates\\s+REGULATORY\\s+-> endpoint thames-estates-london,"
                + " database geo_t\\d+_[0-9a-f]{16}");
        assertThat(text).containsPattern("provision harbour-property\\s+BASIC\\s+-> refused");
        assertThat(text).containsPattern("maple-homes\\s+sees listings of \\[Maple Homes Inc.\\]");
        assertThat(text).containsPattern("sunset-homes\\s+sees listings of \\[Sunset Homes\\]");
        assertThat(text).containsPattern("golden-gate-realty\\s+sees listings of \\[Golden Gate Realty\\]");
        assertThat(text).containsPattern("pacific-crest\\s+sees listings of \\[Pacific Crest Brokers\\]");
        assertThat(text).containsPattern("thames-estates\\s+sees listings of \\[Thames Estates Ltd\\]");
        assertThat(text).contains("with no tenant bound: refused (NoTenantBoundException)");
        assertThat(text).contains("== One listing as each of the 12 markets sees it (geo-localization) ==");
        assertThat(text).contains("us-ca en-US  3-bedroom townhouse in Los Angeles, $985,000.00");
        assertThat(text).contains("gb    en-GB  3-bedroom terraced house in London, £985,000.00");
        assertThat(text).contains("ca    fr-CA  maison en rangée de 3 chambres à Montreal, 985\u00a0000,00\u00a0$");
        assertThat(text).contains("Floor area: 1,450 sq ft (135 m²)");
        assertThat(text).contains("Land size: 750 m²");
        assertThat(text).contains("us-tx en-US  3-bedroom townhouse in Houston, $985,000.00");
        assertThat(text).contains("open house Dec 5, 2026, 12:00\u202fPM CST");
        assertThat(text).contains("terms: estate agent, completion, Stamp Duty Land Tax, ground floor (street level)");
        assertThat(text).contains("completeness fr-CA: 100.0% of");
        // transfer taxes: one city per market, itemized, refusing regimes without published figures
        assertThat(text).contains("us-ca Los Angeles, US-CA: refused: US-CA: no los-angeles-ula rates are known for 2026-12-15");
        assertThat(text).containsPattern("Municipal land transfer tax, City of Toronto\\s+\\$16,175.00  \\(buyer pays\\)");
        assertThat(text).containsPattern("Stamp Duty Land Tax, HM Revenue & Customs\\s+£42,250.00");
        assertThat(text).contains("us-tx Houston, US-TX: no transfer tax");
        assertThat(text).contains("au    Melbourne, AU-VIC: total $54,175.00");
        // geo-analytics: the planted differences are found, nothing else is called, the seed is checked
        assertThat(text).contains("== A simulated month of events (geo-analytics) ==");
        assertThat(text).containsPattern("conversion rate:\\s+top \\[us-tx\\], underperforming \\[us-il\\], in line 7, "
                + "insufficient data \\[ca, gb, au\\]");
        assertThat(text).containsPattern("requests within the latency target:\\s+top \\[\\], underperforming \\[gb\\]");
        assertThat(text).contains("[ERROR_BUDGET_OVERSPENT] Restore availability in au: 60 of 43,200 probes failed");
        assertThat(text).contains("[LEARN_FROM_PEER] Study how us-tx handles leads");
        assertThat(text).containsPattern("1\\s+us-tx\\s+0\\.694\\s+100\\.0%\\s+1-2");
        assertThat(text).contains("The first candidate is not robust: with MARKET_SIZE x1.2, us-ca comes first.");
        assertThat(text).containsPattern("Tier 1 total \\(Total_Tier_1_Potential\\)\\s+stated \\$1,800-3,100k, its  5 "
                + "markets add up to \\$1,800-3,000k: DISAGREES");
        assertThat(text).containsPattern("Tier 2 total \\(Total_Tier_2_Potential\\)\\s+stated \\$650-1,150k.*: agrees");
        // The platform: 12 markets deployed, two blocked until their configuration is completed.
        assertThat(text).containsPattern("us-ca\\s+LIVE\\s+US_WEST\\s+0");
        assertThat(text).containsPattern("ca\\s+BLOCKED\\s+CANADA\\s+1");
        assertThat(text).containsPattern("gb\\s+BLOCKED\\s+EUROPE\\s+1");
        assertThat(text).contains("compliance.ca-qc.transfer-assessment: ", "compliance.gb.redress-scheme: ");
        assertThat(text).contains("configuration of ca completed -> LIVE", "live markets: 12");
        // The platform's cloud: 'memory', a provider written outside the SDK, selected by name among those found
        // (listed by priority: it stands above the SDK's 'aws' and 'local' clouds, which tie and are listed by name).
        assertThat(text).containsPattern("== Cloud providers on the class path ==\\R"
                + "  memory\\s+priority\\s+-50\\s+com\\.example\\.geo\\.memory\\.MemoryCloud\\$Provider\\R"
                + "  aws\\s+priority\\s+-100\\s+com\\.enterprisehub\\.geo\\.spi\\.aws\\.AwsCloudProvider\\R"
                + "  local\\s+priority\\s+-100\\s+com\\.enterprisehub\\.geo\\.cloud\\.local\\.LocalCloud\\$Provider\\R");
        assertThat(text).contains("the platform runs on 'memory', selected by name (-Dgeo.cloud): 6 regions held in"
                + " this JVM's memory");
        assertThat(text).containsPattern("step REGION\\s+DONE\\s+[\\d.]+ ms  US_WEST at memory:us_west");
        assertThat(text).containsPattern("\\[x\\] Market master key usable\\s+memory/us_west/market-us-ca wraps and"
                + " unwraps");
        assertThat(text).containsPattern("\\[ \\] MLS feed crmls configured with credentials");
        assertThat(text).containsPattern("lone-star\\s+REGULATORY us-tx\\s+-> ACTIVE in \\d+ ms, onboarding checklist"
                + " complete");
        assertThat(text).containsPattern("offboarded -> \\d+ row\\(s\\) exported, encrypted, to"
                + " markets/us-ca/exports/sunset-homes/rows.jsonl.sealed in US_WEST");
    }
}
