package com.enterprisehub.geo.localization.internal;

import com.enterprisehub.geo.localization.Area;
import com.enterprisehub.geo.localization.AreaDisplay;
import com.enterprisehub.geo.localization.AreaKind;
import com.enterprisehub.geo.localization.AreaUnit;
import java.util.List;
import java.util.Optional;

/**
 * How listings of each country customarily quote areas. CLDR's unit preferences are not used for this:
 * they give en-CA and en-AU metric and en-GB square feet for floor area, while Canadian listings quote
 * square feet and UK listings often show both. Not part of the API.
 */
public final class AreaConventions {
    private static final Area ONE_ACRE = Area.of(1, AreaUnit.ACRE);
    private static final Area ONE_HECTARE = Area.of(1, AreaUnit.HECTARE);

    private AreaConventions() {
    }

    /** The default for a market's country (ISO 3166-1 alpha-2), if we know it. */
    public static Optional<AreaDisplay> of(String country, AreaKind kind) {
        return Optional.ofNullable(switch (country) {
            // US: floor area in square feet (ANSI Z765, required by Fannie Mae for gross living area:
            // https://www.homeinnovation.com/services/national_standards/square_footage_method_standard_faq);
            // lots in square feet, larger parcels in acres.
            case "US" -> kind == AreaKind.FLOOR ? AreaDisplay.always(AreaUnit.SQUARE_FOOT)
                    : AreaDisplay.switching(List.of(AreaUnit.SQUARE_FOOT), ONE_ACRE, List.of(AreaUnit.ACRE));
            // Canada: listings quote square feet (pieds carrés, « pi² », in Québec: Statistics Canada measures
            // « superficie habitable » in square feet, http://www23.statcan.gc.ca/imdb/p3Var_f.pl?Function=DEC&Id=372532),
            // although plans, the cadastre and assessments are metric; lots in square feet or acres.
            case "CA" -> kind == AreaKind.FLOOR ? AreaDisplay.always(AreaUnit.SQUARE_FOOT)
                    : AreaDisplay.switching(List.of(AreaUnit.SQUARE_FOOT), ONE_ACRE, List.of(AreaUnit.ACRE));
            // UK: residential marketing quotes square feet and square metres side by side (the Energy
            // Performance Certificate gives total floor area in m²); land in acres, with hectares.
            case "GB" -> kind == AreaKind.FLOOR ? AreaDisplay.always(AreaUnit.SQUARE_FOOT, AreaUnit.SQUARE_METRE)
                    : AreaDisplay.switching(List.of(AreaUnit.SQUARE_FOOT, AreaUnit.SQUARE_METRE), ONE_ACRE,
                            List.of(AreaUnit.ACRE, AreaUnit.HECTARE));
            // Australia: square metres for homes and blocks ("land size"); rural land in hectares.
            case "AU" -> kind == AreaKind.FLOOR ? AreaDisplay.always(AreaUnit.SQUARE_METRE)
                    : AreaDisplay.switching(List.of(AreaUnit.SQUARE_METRE), ONE_HECTARE, List.of(AreaUnit.HECTARE));
            default -> null;
        });
    }
}
