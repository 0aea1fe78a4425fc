package com.enterprisehub.geo.core;

import com.enterprisehub.geo.core.market.MarketId;
import java.util.Collection;

/** No market with this id is in the catalog. */
public class UnknownMarketException extends GeoException {
    private static final long serialVersionUID = 1L;

    public UnknownMarketException(MarketId id, Collection<MarketId> known) {
        super("No market '" + id + "' is in the catalog. Known markets: " + known
                + ". Add it to the catalog file or pick one of these.");
    }
}
