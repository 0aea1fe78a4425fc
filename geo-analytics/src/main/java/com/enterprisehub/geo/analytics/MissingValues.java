package com.enterprisehub.geo.analytics;

/** What expansion scoring does with a candidate whose catalog entry lacks a weighted criterion. */
public enum MissingValues {
    /**
     * Score the candidate on the criteria it has, dividing by the weight of those criteria only, and report
     * the share of the weight it was scored on ({@link ExpansionCandidate#coverage()}). Nothing is imputed,
     * but candidates scored on fewer criteria are not penalized or rewarded for the missing ones.
     */
    RENORMALIZE,
    /** Leave the candidate unscored and list what it lacks. */
    EXCLUDE
}
