package com.enterprisehub.geo.localization;

/** What an area measures; markets quote the two differently. */
public enum AreaKind {
    /** The floor area of a home. */
    FLOOR,
    /** The area of a lot or parcel of land. */
    LAND
}
