package com.enterprisehub.geo.models;

/** Where a lead came from. */
public enum LeadSource {
    /** A listing portal (Zillow, Rightmove, realestate.com.au, ...). */
    PORTAL,
    /** The agency's own web site. */
    WEBSITE,
    /** A referral by a past client or another agent. */
    REFERRAL,
    /** An open house or open inspection. */
    OPEN_HOUSE,
    /** A social-media advertisement or post. */
    SOCIAL
}
