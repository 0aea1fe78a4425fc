package com.enterprisehub.geo.localization;

/** How a money amount names its currency. */
public enum CurrencyStyle {
    /**
     * The locale's own convention: the market's currency with its local symbol ({@code $} for US dollars in
     * en-US), other currencies as CLDR shows them in that locale ({@code CA$} in en-US, {@code USD} in en-AU).
     */
    LOCAL,
    /**
     * A symbol no reader can mistake, for pages that mix currencies: {@code US$}, {@code CA$}, {@code A$},
     * {@code £} in English (CLDR's international-English symbols), {@code $ US}, {@code $ CA}, {@code $ AU},
     * {@code £} in French (Translation Bureau of Canada); other currencies by ISO code.
     */
    UNAMBIGUOUS
}
