package com.enterprisehub.geo.core.market;

/** How a listing feed is read. */
public enum FeedProtocol {
    /** The RESO Web API (OData), the current standard of US and Canadian MLSs. */
    RESO_WEB_API,
    /** REAXML, the XML listing format of Australian portals. */
    REAXML,
    /** A portal's own feed format (UK portals have no MLS). */
    PORTAL_FEED
}
