package com.enterprisehub.geo.platform.compliance;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.Jurisdiction;
import java.math.BigDecimal;
import java.net.URI;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What a market's operator (or a tenant) has put in place, to be checked against a jurisdiction's
 * {@link ComplianceProfiles profile}. Everything starts absent: nothing counts as met until it is
 * configured. Immutable and thread-safe; build one with {@link #builder()}.
 *
 * @param privacyOfficer the person accountable for personal information
 * @param breachContact who runs breach notifications
 * @param privacyNotice where the privacy notice is published
 * @param optOutLink where consumers opt out of sale, sharing or targeted advertising
 * @param electronicMarketingConsent whether consent is recorded before commercial e-mail and SMS, with
 *     a working unsubscribe
 * @param callConsent whether prior express written consent is recorded before automated marketing calls
 *     and texts, and numbers are scrubbed against do-not-call registers
 * @param licenceNumbers the real-estate licence number shown in advertising, per jurisdiction (ISO 3166-2)
 * @param brokerageName the licensed brokerage's name shown in advertising
 * @param redressScheme the approved redress scheme the business belongs to
 * @param transferAssessments jurisdictions for which a documented transfer (privacy impact) assessment
 *     exists for sending personal information out of them
 * @param annualRevenue the business's annual gross revenue, per currency (for laws with revenue thresholds)
 * @param consumersPerYear how many consumers' personal information the business handles a year
 * @param smallBusiness whether the business is a small business as the laws define it, when known
 */
public record ComplianceConfiguration(Optional<Contact> privacyOfficer, Optional<Contact> breachContact,
        Optional<URI> privacyNotice, Optional<URI> optOutLink, boolean electronicMarketingConsent, boolean callConsent,
        Map<String, String> licenceNumbers, Optional<String> brokerageName, Optional<String> redressScheme,
        Set<String> transferAssessments, Map<Currency, BigDecimal> annualRevenue, OptionalLong consumersPerYear,
        Optional<Boolean> smallBusiness) {

    public ComplianceConfiguration {
        Objects.requireNonNull(privacyOfficer, "privacyOfficer");
        Objects.requireNonNull(breachContact, "breachContact");
        Objects.requireNonNull(privacyNotice, "privacyNotice");
        Objects.requireNonNull(optOutLink, "optOutLink");
        Objects.requireNonNull(brokerageName, "brokerageName");
        Objects.requireNonNull(redressScheme, "redressScheme");
        Objects.requireNonNull(consumersPerYear, "consumersPerYear");
        Objects.requireNonNull(smallBusiness, "smallBusiness");
        licenceNumbers = Map.copyOf(licenceNumbers);
        transferAssessments = Set.copyOf(transferAssessments);
        annualRevenue = Map.copyOf(annualRevenue);
    }

    /** Nothing configured: every requirement that applies is unmet. */
    public static ComplianceConfiguration none() {
        return builder().build();
    }

    /** A builder with nothing configured. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * This configuration with what it leaves unset taken from {@code base}: how a tenant's own configuration
     * (its licence numbers, its privacy officer) is completed by its market's. Contacts, addresses and names are
     * this one's if set, else the base's; licence numbers are merged per jurisdiction, this one's winning;
     * transfer assessments are the union; a consent practice counts as recorded if either records it. The facts
     * that decide whether a law applies to a business — revenue, consumers a year, small business — are this
     * one's only: another business's figures say nothing about it (unset, a threshold counts as reached).
     */
    public ComplianceConfiguration over(ComplianceConfiguration base) {
        Objects.requireNonNull(base, "base");
        Map<String, String> licences = new LinkedHashMap<>(base.licenceNumbers);
        licences.putAll(licenceNumbers);
        Set<String> assessments = new LinkedHashSet<>(base.transferAssessments);
        assessments.addAll(transferAssessments);
        return new ComplianceConfiguration(or(privacyOfficer, base.privacyOfficer), or(breachContact, base.breachContact),
                or(privacyNotice, base.privacyNotice), or(optOutLink, base.optOutLink),
                electronicMarketingConsent || base.electronicMarketingConsent, callConsent || base.callConsent,
                licences, or(brokerageName, base.brokerageName), or(redressScheme, base.redressScheme), assessments,
                annualRevenue, consumersPerYear, smallBusiness);
    }

    private static <T> Optional<T> or(Optional<T> value, Optional<T> base) {
        return value.isPresent() ? value : base;
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.privacyOfficer = privacyOfficer.orElse(null);
        b.breachContact = breachContact.orElse(null);
        b.privacyNotice = privacyNotice.orElse(null);
        b.optOutLink = optOutLink.orElse(null);
        b.electronicMarketingConsent = electronicMarketingConsent;
        b.callConsent = callConsent;
        b.licenceNumbers.putAll(licenceNumbers);
        b.brokerageName = brokerageName.orElse(null);
        b.redressScheme = redressScheme.orElse(null);
        b.transferAssessments.addAll(transferAssessments);
        b.annualRevenue.putAll(annualRevenue);
        b.consumersPerYear = consumersPerYear.isPresent() ? consumersPerYear.getAsLong() : null;
        b.smallBusiness = smallBusiness.orElse(null);
        return b;
    }

    /** Builds a {@link ComplianceConfiguration}; each value is checked as it is set. Not thread-safe. */
    public static final class Builder {
        private Contact privacyOfficer;
        private Contact breachContact;
        private URI privacyNotice;
        private URI optOutLink;
        private boolean electronicMarketingConsent;
        private boolean callConsent;
        private final Map<String, String> licenceNumbers = new LinkedHashMap<>();
        private String brokerageName;
        private String redressScheme;
        private final Set<String> transferAssessments = new LinkedHashSet<>();
        private final Map<Currency, BigDecimal> annualRevenue = new LinkedHashMap<>();
        private Long consumersPerYear;
        private Boolean smallBusiness;

        private Builder() {
        }

        public Builder privacyOfficer(Contact contact) {
            this.privacyOfficer = Objects.requireNonNull(contact, "contact");
            return this;
        }

        public Builder breachContact(Contact contact) {
            this.breachContact = Objects.requireNonNull(contact, "contact");
            return this;
        }

        /** The published privacy notice; an https:// address. */
        public Builder privacyNotice(String url) {
            this.privacyNotice = https(url, "privacy notice");
            return this;
        }

        /** The consumer opt-out page; an https:// address. */
        public Builder optOutLink(String url) {
            this.optOutLink = https(url, "opt-out link");
            return this;
        }

        public Builder electronicMarketingConsent(boolean recorded) {
            this.electronicMarketingConsent = recorded;
            return this;
        }

        public Builder callConsent(boolean recorded) {
            this.callConsent = recorded;
            return this;
        }

        /** The licence number shown in advertising in {@code jurisdiction} (ISO 3166-2, e.g. US-CA). */
        public Builder licenceNumber(String jurisdiction, String number) {
            String code = Jurisdiction.of(jurisdiction).code();
            this.licenceNumbers.put(code, text(number, "licence number for " + code));
            return this;
        }

        public Builder brokerageName(String name) {
            this.brokerageName = text(name, "brokerage name");
            return this;
        }

        public Builder redressScheme(String scheme) {
            this.redressScheme = text(scheme, "redress scheme");
            return this;
        }

        /** A documented assessment exists for sending personal information out of {@code jurisdiction}. */
        public Builder transferAssessment(String jurisdiction) {
            this.transferAssessments.add(Jurisdiction.of(jurisdiction).code());
            return this;
        }

        /** Annual gross revenue in {@code currency} (zero or more). */
        public Builder annualRevenue(BigDecimal amount, String currency) {
            Objects.requireNonNull(amount, "amount");
            if (amount.signum() < 0) {
                throw new GeoValidationException("Annual revenue cannot be negative; got " + amount + ".");
            }
            this.annualRevenue.put(Currency.getInstance(currency), amount);
            return this;
        }

        /** How many consumers' personal information is handled a year (zero or more). */
        public Builder consumersPerYear(long consumers) {
            if (consumers < 0) {
                throw new GeoValidationException("Consumers per year cannot be negative; got " + consumers + ".");
            }
            this.consumersPerYear = consumers;
            return this;
        }

        public Builder smallBusiness(boolean small) {
            this.smallBusiness = small;
            return this;
        }

        public ComplianceConfiguration build() {
            return new ComplianceConfiguration(Optional.ofNullable(privacyOfficer), Optional.ofNullable(breachContact),
                    Optional.ofNullable(privacyNotice), Optional.ofNullable(optOutLink), electronicMarketingConsent,
                    callConsent, licenceNumbers, Optional.ofNullable(brokerageName), Optional.ofNullable(redressScheme),
                    transferAssessments, annualRevenue, consumersPerYear == null ? OptionalLong.empty()
                            : OptionalLong.of(consumersPerYear), Optional.ofNullable(smallBusiness));
        }

        private static URI https(String url, String what) {
            URI uri;
            try {
                uri = URI.create(Objects.requireNonNull(url, what));
            } catch (IllegalArgumentException e) {
                throw new GeoValidationException("The " + what + " is not a valid address: '" + url + "'.");
            }
            if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new GeoValidationException("The " + what + " must be an https:// address; got '" + url + "'.");
            }
            return uri;
        }

        private static String text(String value, String what) {
            if (value == null || value.isBlank() || value.strip().length() > 200) {
                throw new GeoValidationException("The " + what + " is 1 to 200 characters; got '" + value + "'.");
            }
            return value.strip();
        }
    }
}
