package com.enterprisehub.geo.platform.compliance;

/** The outcome of one requirement. */
public enum Status {
    MET,
    NOT_MET,
    /** The law does not apply to this business, here or now (the reason says why). */
    NOT_APPLICABLE
}
