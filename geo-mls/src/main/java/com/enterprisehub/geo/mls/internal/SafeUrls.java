package com.enterprisehub.geo.mls.internal;

import java.net.URI;

/**
 * URLs as shown in messages and logs: {@code scheme://host:port/path} only, never a user-info part (a user name or
 * password), a query (an API key) or a fragment. Settings are not secret, but a host may put a credential in a URL by
 * mistake, and messages reach findings, the platform's journal and logs.
 */
public final class SafeUrls {
    private SafeUrls() {
    }

    /** {@code scheme://host:port/path} of {@code uri}; {@code (no host)} in place of a missing host. */
    public static String shown(URI uri) {
        if (uri == null) {
            return "(none)";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme() + "://";
        String host = uri.getHost() == null ? "(no host)" : uri.getHost();
        String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        return scheme + host + port + path;
    }
}
