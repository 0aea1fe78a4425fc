package com.enterprisehub.geo.models;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.Jurisdiction;
import com.enterprisehub.geo.core.market.MarketId;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;
import javax.money.MonetaryAmount;

/**
 * A buyer lead as a scoring model sees it. Holds no personal data: no name, contact or address.
 *
 * @param market the market it came in through
 * @param jurisdiction where the buyer is looking (one of the market's jurisdictions)
 * @param city the city the buyer is looking in, when known
 * @param createdOn the day it was created, in the market's zone
 * @param source where it came from
 * @param responseMinutes minutes until an agent first answered it, zero or more
 * @param budget the buyer's stated budget, in the market's currency
 * @param preApproved whether the buyer has a mortgage pre-approval (UK: agreement in principle)
 * @param firstTimeBuyer whether the buyer is buying a first home
 * @param pageViews listing pages the buyer viewed before enquiring, zero or more
 */
public record Lead(MarketId market, Jurisdiction jurisdiction, Optional<String> city, LocalDate createdOn,
        LeadSource source, double responseMinutes, MonetaryAmount budget, boolean preApproved, boolean firstTimeBuyer,
        int pageViews) {

    public Lead {
        Objects.requireNonNull(market, "market");
        Objects.requireNonNull(jurisdiction, "jurisdiction");
        Objects.requireNonNull(city, "city");
        Objects.requireNonNull(createdOn, "createdOn");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(budget, "budget");
        if (!(responseMinutes >= 0) || Double.isInfinite(responseMinutes)) {
            throw new GeoValidationException("responseMinutes must be a finite number >= 0; got " + responseMinutes
                    + ".");
        }
        if (!budget.isPositive()) {
            throw new GeoValidationException("A lead's budget must be positive; got " + budget + ".");
        }
        if (pageViews < 0) {
            throw new GeoValidationException("pageViews must be >= 0; got " + pageViews + ".");
        }
    }

    /** A builder for a lead in {@code market} looking in {@code jurisdiction} ({@code GB-ENG}). */
    public static Builder builder(MarketId market, String jurisdiction) {
        return new Builder(market, Jurisdiction.of(jurisdiction));
    }

    /** Builder; not thread-safe. Defaults: today's date is not assumed (set {@link #createdOn}), source PORTAL. */
    public static final class Builder {
        private final MarketId market;
        private final Jurisdiction jurisdiction;
        private String city;
        private LocalDate createdOn;
        private LeadSource source = LeadSource.PORTAL;
        private double responseMinutes;
        private MonetaryAmount budget;
        private boolean preApproved;
        private boolean firstTimeBuyer;
        private int pageViews;

        private Builder(MarketId market, Jurisdiction jurisdiction) {
            this.market = Objects.requireNonNull(market, "market");
            this.jurisdiction = jurisdiction;
        }

        /** The city the buyer is looking in. */
        public Builder city(String city) {
            this.city = city;
            return this;
        }

        /** The day it was created. */
        public Builder createdOn(LocalDate createdOn) {
            this.createdOn = createdOn;
            return this;
        }

        /** Where it came from. */
        public Builder source(LeadSource source) {
            this.source = source;
            return this;
        }

        /** Minutes until first answered. */
        public Builder responseMinutes(double responseMinutes) {
            this.responseMinutes = responseMinutes;
            return this;
        }

        /** The stated budget, in the market's currency. */
        public Builder budget(MonetaryAmount budget) {
            this.budget = budget;
            return this;
        }

        /** Whether the buyer is pre-approved. */
        public Builder preApproved(boolean preApproved) {
            this.preApproved = preApproved;
            return this;
        }

        /** Whether the buyer buys a first home. */
        public Builder firstTimeBuyer(boolean firstTimeBuyer) {
            this.firstTimeBuyer = firstTimeBuyer;
            return this;
        }

        /** Listing pages viewed. */
        public Builder pageViews(int pageViews) {
            this.pageViews = pageViews;
            return this;
        }

        /**
         * The lead.
         *
         * @throws GeoValidationException if the date or budget is missing, or a value is invalid
         */
        public Lead build() {
            if (createdOn == null || budget == null) {
                throw new GeoValidationException("A lead needs createdOn and budget; set both.");
            }
            return new Lead(market, jurisdiction, Optional.ofNullable(city), createdOn, source, responseMinutes,
                    budget, preApproved, firstTimeBuyer, pageViews);
        }
    }
}
