package com.enterprisehub.geo.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.GeoValidationException;
import java.io.BufferedReader;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CsvDataTest {

    @Test
    void generatedLeadsAndSalesSurviveARoundTripThroughCsv() {
        SyntheticMarkets g = SyntheticMarkets.builder(Fixtures.encoder())
                .markets(Set.of(Fixtures.GB, Fixtures.AU, Fixtures.US_NY)).seed(8).build();
        List<LabeledLead> leads = g.leads(40);
        List<Sale> sales = g.sales(40);
        StringWriter leadCsv = new StringWriter();
        CsvData.writeLeads(leadCsv, leads);
        StringWriter saleCsv = new StringWriter();
        CsvData.writeSales(saleCsv, sales);

        List<LabeledLead> leadsBack = CsvData.readLeads(new BufferedReader(new StringReader(leadCsv.toString())), "l");
        List<Sale> salesBack = CsvData.readSales(new BufferedReader(new StringReader(saleCsv.toString())), "s");
        assertThat(leadsBack).hasSize(leads.size());
        assertThat(salesBack).hasSize(sales.size());
        for (int i = 0; i < leads.size(); i++) {
            assertThat(Fixtures.encoder().encode(leadsBack.get(i).lead(), FeatureSet.LOCALIZED))
                    .containsExactly(Fixtures.encoder().encode(leads.get(i).lead(), FeatureSet.LOCALIZED));
            assertThat(leadsBack.get(i).converted()).isEqualTo(leads.get(i).converted());
        }
        for (int i = 0; i < sales.size(); i++) {
            assertThat(salesBack.get(i).price().isEqualTo(sales.get(i).price())).isTrue();
            assertThat(Fixtures.encoder().encode(salesBack.get(i).property(), FeatureSet.LOCALIZED))
                    .containsExactly(Fixtures.encoder().encode(sales.get(i).property(), FeatureSet.LOCALIZED));
            assertThat(salesBack.get(i).property().floorArea().value())
                    .isEqualByComparingTo(sales.get(i).property().floorArea().value());
        }
    }

    @Test
    void columnsInAnyOrderQuotedFieldsAndExtraColumnsAreRead() {
        String csv = "note,city,market,jurisdiction,floor_area,area_unit,bedrooms,bathrooms,year_built,listed_on,price,"
                + "currency\r\n"
                + "\"ignored, with \"\"quotes\"\"\nand a line break\",Sydney,au,AU-NSW,120,m2,3,2,1998,2025-03-01,"
                + "1450000,AUD\r\n"
                + "x,,au,AU-WA,1300,sqft,3,1,1975,2025-07-15,650000,AUD";
        List<Sale> sales = CsvData.readSales(new BufferedReader(new StringReader(csv)), "inline");
        assertThat(sales).hasSize(2);
        assertThat(sales.get(0).property().city()).contains("Sydney");
        assertThat(sales.get(1).property().city()).isEmpty();
        assertThat(FeatureEncoder.squareMetres(sales.get(1).property())).isCloseTo(120.774, 
                org.assertj.core.api.Assertions.within(0.001));
    }

    @Test
    void everyInvalidRecordIsReportedAtOnceAndNothingIsRead() {
        String csv = String.join(",", CsvData.LEAD_COLUMNS) + "\n"
                + "gb,GB-ENG,London,2025-02-30,PORTAL,12,450000,GBP,true,false,3,true\n"
                + "gb,GB-ENG,London,2025-02-03,PORTAL,12,450000,GBP,true,false,3,true\n"
                + "gb,US-CA,,2025-02-03,FAX,12,450000,GBP,maybe,false,3,true\n"
                + "gb,GB-ENG,,2025-02-03,PORTAL,-5,450000,GBP,true,false,3,true\n";
        assertThatThrownBy(() -> CsvData.readLeads(new BufferedReader(new StringReader(csv)), "leads.csv"))
                .isInstanceOf(GeoValidationException.class)
                .hasMessageContaining("leads.csv has 3 invalid record(s)")
                .hasMessageContaining("record 1: Text '2025-02-30' could not be parsed")
                .hasMessageContaining("record 3: No enum constant")
                .hasMessageContaining("record 4: responseMinutes must be a finite number >= 0");
        assertThatThrownBy(() -> CsvData.readLeads(new StringReader("market,city\ngb,London"), "short.csv"))
                .isInstanceOf(GeoValidationException.class).hasMessageContaining("lacks the columns [jurisdiction");
    }
}
