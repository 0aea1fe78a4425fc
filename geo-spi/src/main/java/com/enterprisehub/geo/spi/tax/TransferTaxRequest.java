package com.enterprisehub.geo.spi.tax;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.Jurisdiction;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;
import javax.money.MonetaryAmount;

/**
 * A residential purchase whose transfer taxes are wanted. Build one with {@link #builder}.
 *
 * @param price the price (consideration), in the jurisdiction's currency; positive
 * @param transferDate the date the tax is assessed on: completion (UK effective date), closing, or, where the
 *     jurisdiction assesses on the contract (Australian states), the contract date
 * @param jurisdiction the ISO 3166-2 jurisdiction of the property
 * @param city the city, where cities levy their own tax (Los Angeles, Toronto, Montréal, ...)
 * @param firstTimeBuyer every buyer is a first-time buyer as the jurisdiction defines it
 * @param additionalDwelling the buyer will own another dwelling (UK higher rates, Scotland's ADS, Wales'
 *     higher residential rates)
 * @param nonResident a non-resident or foreign buyer as the jurisdiction defines it
 * @param ownerOccupier the buyer will live in the home (Australian home concessions)
 * @param newHome a new home never occupied (Queensland's first home new-home concession)
 */
public record TransferTaxRequest(MonetaryAmount price, LocalDate transferDate, Jurisdiction jurisdiction,
        Optional<String> city, boolean firstTimeBuyer, boolean additionalDwelling, boolean nonResident,
        boolean ownerOccupier, boolean newHome) {
    public TransferTaxRequest {
        Objects.requireNonNull(price, "price");
        Objects.requireNonNull(transferDate, "transferDate");
        Objects.requireNonNull(jurisdiction, "jurisdiction");
        Objects.requireNonNull(city, "city");
        if (!price.isPositive()) {
            throw new GeoValidationException("The price must be positive; got " + price + ".");
        }
        if (firstTimeBuyer && additionalDwelling) {
            throw new GeoValidationException("A buyer who will own another dwelling is not a first-time buyer;"
                    + " set one of firstTimeBuyer and additionalDwelling.");
        }
    }

    /** The price as an exact decimal. */
    public BigDecimal priceValue() {
        return price.getNumber().numberValueExact(BigDecimal.class);
    }

    /** A builder for a purchase of {@code price} in {@code jurisdiction} ({@code GB-ENG}) on {@code date}. */
    public static Builder builder(MonetaryAmount price, String jurisdiction, LocalDate date) {
        return new Builder(price, Jurisdiction.of(jurisdiction), date);
    }

    /** Builder; not thread-safe. Buyers default to a resident owner-occupier, not a first-time buyer. */
    public static final class Builder {
        private final MonetaryAmount price;
        private final Jurisdiction jurisdiction;
        private final LocalDate date;
        private String city;
        private boolean firstTimeBuyer;
        private boolean additionalDwelling;
        private boolean nonResident;
        private boolean ownerOccupier = true;
        private boolean newHome;

        private Builder(MonetaryAmount price, Jurisdiction jurisdiction, LocalDate date) {
            this.price = price;
            this.jurisdiction = jurisdiction;
            this.date = date;
        }

        public Builder city(String city) {
            this.city = Objects.requireNonNull(city, "city").strip();
            return this;
        }

        public Builder firstTimeBuyer() {
            this.firstTimeBuyer = true;
            return this;
        }

        public Builder additionalDwelling() {
            this.additionalDwelling = true;
            this.ownerOccupier = false;
            return this;
        }

        public Builder nonResident() {
            this.nonResident = true;
            return this;
        }

        /** An investor: will not live in the home. */
        public Builder notOwnerOccupier() {
            this.ownerOccupier = false;
            return this;
        }

        public Builder newHome() {
            this.newHome = true;
            return this;
        }

        public TransferTaxRequest build() {
            return new TransferTaxRequest(price, date, jurisdiction, Optional.ofNullable(city), firstTimeBuyer,
                    additionalDwelling, nonResident, ownerOccupier, newHome);
        }
    }
}
