package com.enterprisehub.geo.spi.listing;

import java.util.Optional;

/**
 * A listing's status, the RESO Data Dictionary 2.0 lookup {@code StandardStatus} (Property resource,
 * <a href="https://ddwiki.reso.org/display/DDW20/StandardStatus+Field">DD 2.0: StandardStatus</a>): its eleven
 * values, under their RESO names ({@link #resoName()}).
 */
public enum StandardStatus {
    /** {@code Active}. */
    ACTIVE("Active"),
    /** {@code ActiveUnderContract}. */
    ACTIVE_UNDER_CONTRACT("ActiveUnderContract"),
    /** {@code Canceled}. */
    CANCELED("Canceled"),
    /** {@code Closed}: sold or leased. */
    CLOSED("Closed"),
    /** {@code ComingSoon}. */
    COMING_SOON("ComingSoon"),
    /** {@code Delete}: the record was removed at the source and must be removed from copies. */
    DELETE("Delete"),
    /** {@code Expired}. */
    EXPIRED("Expired"),
    /** {@code Hold}. */
    HOLD("Hold"),
    /** {@code Incomplete}. */
    INCOMPLETE("Incomplete"),
    /** {@code Pending}. */
    PENDING("Pending"),
    /** {@code Withdrawn}. */
    WITHDRAWN("Withdrawn");

    private final String resoName;

    StandardStatus(String resoName) {
        this.resoName = resoName;
    }

    /** The value as RESO spells it ("ActiveUnderContract"). */
    public String resoName() {
        return resoName;
    }

    /**
     * The status RESO spells {@code name}, if there is one: exactly ("ActiveUnderContract"), or as the DD 2.0 page
     * lists the lookup's display names, with spaces ("Active Under Contract", "Coming Soon";
     * <a href="https://ddwiki.reso.org/display/DDW20/StandardStatus+Field">DD 2.0: StandardStatus</a>).
     */
    public static Optional<StandardStatus> fromReso(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String compact = name.replace(" ", "");
        for (StandardStatus s : values()) {
            if (s.resoName.equals(compact)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
