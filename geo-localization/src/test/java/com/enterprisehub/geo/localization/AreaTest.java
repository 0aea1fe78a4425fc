package com.enterprisehub.geo.localization;

import static org.assertj.core.api.Assertions.assertThat;

import com.ibm.icu.number.FormattedNumber;
import com.ibm.icu.number.NumberFormatter;
import com.ibm.icu.number.Precision;
import com.ibm.icu.util.MeasureUnit;
import com.ibm.icu.util.ULocale;
import java.math.BigDecimal;
import java.math.MathContext;
import org.junit.jupiter.api.Test;

/** Issue 4: area conversions are exact, and agree with ICU's own unit conversion. */
class AreaTest {
    @Test
    void conversionsFollowTheExactDefinitions() {
        assertThat(Area.of(1, AreaUnit.ACRE).to(AreaUnit.SQUARE_FOOT).value()).isEqualByComparingTo("43560");
        assertThat(Area.of(1, AreaUnit.SQUARE_FOOT).to(AreaUnit.SQUARE_METRE).value()).isEqualByComparingTo("0.09290304");
        assertThat(Area.of(1, AreaUnit.HECTARE).to(AreaUnit.SQUARE_METRE).value()).isEqualByComparingTo("10000");
        // 10000 / 4046.8564224 = 2.47105381467165342248..., to 20 significant digits
        assertThat(Area.of(1, AreaUnit.HECTARE).to(AreaUnit.ACRE).value())
                .isEqualByComparingTo("2.4710538146716534225");
        Area lot = Area.of("0.25", AreaUnit.ACRE);
        assertThat(lot.to(AreaUnit.SQUARE_FOOT).value()).isEqualByComparingTo("10890");
        assertThat(lot.to(AreaUnit.SQUARE_METRE).to(AreaUnit.ACRE).value()).isEqualByComparingTo("0.25");
        assertThat(lot.to(AreaUnit.ACRE)).isSameAs(lot);
    }

    @Test
    void icuConvertsTheSameWay() {
        // ICU converts when asked to format for a usage in a locale; compare its result with ours.
        FormattedNumber sqft = NumberFormatter.withLocale(ULocale.US).unit(MeasureUnit.SQUARE_METER).usage("floor")
                .precision(Precision.unlimited()).format(100);
        assertThat(sqft.getOutputUnit()).isEqualTo(MeasureUnit.SQUARE_FOOT);
        BigDecimal ours = Area.of(100, AreaUnit.SQUARE_METRE).to(AreaUnit.SQUARE_FOOT).value();
        assertThat(sqft.toBigDecimal().round(new MathContext(15))).isEqualByComparingTo(ours.round(new MathContext(15)));

        FormattedNumber acres = NumberFormatter.withLocale(ULocale.US).unit(MeasureUnit.SQUARE_FOOT).usage("land")
                .precision(Precision.unlimited()).format(43_560 * 3);
        assertThat(acres.getOutputUnit()).isEqualTo(MeasureUnit.ACRE);
        assertThat(acres.toBigDecimal().round(new MathContext(15))).isEqualByComparingTo("3");
    }
}
