package com.enterprisehub.geo.platform.compliance;

/** What a law is about. */
public enum Topic {
    /** Privacy of personal information (CCPA/CPRA, PIPEDA, Law 25, UK GDPR, the Privacy Act 1988, ...). */
    PRIVACY,
    /** Telling a regulator and the people affected about a breach of security. */
    BREACH_NOTIFICATION,
    /** Sending personal information out of the jurisdiction or country. */
    CROSS_BORDER,
    /** Consent before marketing messages and calls (TCPA, CASL, PECR, Spam Act 2003). */
    MARKETING_CONSENT,
    /** How real-estate services may be advertised (licence numbers, brokerage names, redress schemes). */
    ADVERTISING
}
