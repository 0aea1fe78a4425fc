package com.enterprisehub.geo.platform;

import com.enterprisehub.geo.core.market.MarketId;
import java.util.List;

/** A tenant was to be provisioned in a market that is not deployed and live. */
public final class MarketNotLiveException extends PlatformException {
    private static final long serialVersionUID = 1L;

    public MarketNotLiveException(MarketId market, MarketState state, List<MarketId> live) {
        super("Market '" + market + "' is " + state + ", not LIVE, so no tenant can be provisioned in it. Deploy it"
                + " first (Platform.deploy). Live markets: " + (live.isEmpty() ? "none" : live) + ".");
    }
}
