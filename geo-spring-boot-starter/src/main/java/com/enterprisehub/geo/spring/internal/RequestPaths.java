package com.enterprisehub.geo.spring.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import org.springframework.web.util.UriUtils;

/** The normalised path of a request, for matching excluded paths (servlet and reactive filters). Not API. */
public final class RequestPaths {
    private RequestPaths() {
    }

    /**
     * The path as a servlet container routes it, for matching exclusions: percent-decoded, path parameters
     * ({@code ;...}) removed, repeated slashes collapsed, {@code .} and {@code ..} segments resolved. Empty when it
     * cannot be read that way (a {@code %} left after decoding, a backslash, a {@code ..} above the root), so that
     * such a request is never excluded.
     */
    public static Optional<String> normalised(String raw) {
        String decoded;
        try {
            decoded = UriUtils.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (decoded.indexOf('%') >= 0 || decoded.indexOf('\\') >= 0 || !decoded.startsWith("/")) {
            return Optional.empty();
        }
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : decoded.split("/", -1)) {
            int parameters = segment.indexOf(';');
            String name = parameters >= 0 ? segment.substring(0, parameters) : segment;
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                if (segments.isEmpty()) {
                    return Optional.empty();
                }
                segments.removeLast();
            } else {
                segments.addLast(name);
            }
        }
        boolean trailing = decoded.endsWith("/") && !segments.isEmpty();
        return Optional.of("/" + String.join("/", segments) + (trailing ? "/" : ""));
    }
}
