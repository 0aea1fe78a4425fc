package com.enterprisehub.geo.isolation;

/**
 * A tenant would have been placed on, or routed to, a server outside the regions its market's
 * data-residency rule allows. Nothing was placed or routed; a {@link SecurityEvent} was published.
 */
public class ResidencyViolationException extends IsolationException {
    private static final long serialVersionUID = 1L;

    public ResidencyViolationException(String message) {
        super(message);
    }
}
