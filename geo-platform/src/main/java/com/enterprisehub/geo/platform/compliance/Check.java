package com.enterprisehub.geo.platform.compliance;

/**
 * What a {@link ComplianceConfiguration} must show to meet a {@link Requirement}. Each check reads one
 * part of the configuration; none is assumed met.
 */
public enum Check {
    /** A named person accountable for personal information: {@link ComplianceConfiguration#privacyOfficer()}. */
    PRIVACY_OFFICER,
    /** A contact who runs breach notifications within the deadline: {@link ComplianceConfiguration#breachContact()}. */
    BREACH_CONTACT,
    /** A published privacy notice: {@link ComplianceConfiguration#privacyNotice()}. */
    PRIVACY_NOTICE,
    /** A consumer opt-out mechanism (sale, sharing, targeted advertising): {@link ComplianceConfiguration#optOutLink()}. */
    OPT_OUT_LINK,
    /** Consent recorded before commercial e-mail or SMS, with a working unsubscribe. */
    ELECTRONIC_MARKETING_CONSENT,
    /** Prior express written consent for automated marketing calls and texts, and do-not-call scrubbing. */
    CALL_CONSENT,
    /** The licence number shown in advertising, for the requirement's jurisdiction. */
    LICENCE_NUMBER_IN_ADS,
    /** The licensed brokerage's name shown in advertising. */
    BROKERAGE_NAME_IN_ADS,
    /** Membership of an approved redress scheme. */
    REDRESS_SCHEME,
    /**
     * A documented assessment before personal information leaves the jurisdiction: met without one when the
     * data stays inside (judged from the deployment region's location).
     */
    TRANSFER_ASSESSMENT
}
