package com.enterprisehub.geo.localization;

import com.ibm.icu.util.MeasureUnit;
import java.math.BigDecimal;

/**
 * Units of area used on listings, each with its exact size in square metres.
 *
 * <p>Sources: the international foot is exactly 0.3048 m (international yard and pound agreement, 1959;
 * NIST Special Publication 811, 2008 edition, appendix B), so a square foot is exactly 0.09290304 m². An
 * acre is 43,560 square feet, exactly 4,046.8564224 m², defined from the international foot since the US
 * survey foot was retired on 2023-01-01 (NIST, "The United States Survey Foot: Revised Unit Conversion
 * Factors", Federal Register 85 FR 62698, effective 2023-01-01). A hectare is 10,000 m² (SI Brochure, 9th
 * edition, table 8).
 */
public enum AreaUnit {
    /** m². */
    SQUARE_METRE(new BigDecimal("1"), MeasureUnit.SQUARE_METER),
    /** ft² (international foot). */
    SQUARE_FOOT(new BigDecimal("0.09290304"), MeasureUnit.SQUARE_FOOT),
    /** The international acre, 43,560 ft². */
    ACRE(new BigDecimal("4046.8564224"), MeasureUnit.ACRE),
    /** ha, 10,000 m². */
    HECTARE(new BigDecimal("10000"), MeasureUnit.HECTARE);

    private final BigDecimal squareMetres;
    private final MeasureUnit icu;

    AreaUnit(BigDecimal squareMetres, MeasureUnit icu) {
        this.squareMetres = squareMetres;
        this.icu = icu;
    }

    /** The exact size of one unit in square metres. */
    public BigDecimal squareMetres() {
        return squareMetres;
    }

    /** The fraction digits an area in this unit is shown with: 2 for acres and hectares, none otherwise. */
    public int displayDigits() {
        return this == ACRE || this == HECTARE ? 2 : 0;
    }

    /** ICU's unit, for formatting. */
    MeasureUnit icuUnit() {
        return icu;
    }
}
