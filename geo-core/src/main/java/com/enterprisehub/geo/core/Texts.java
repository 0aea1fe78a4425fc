package com.enterprisehub.geo.core;

/** Text helpers for exception messages: untrusted input is shown escaped and truncated. */
final class Texts {
    private static final int MAX = 64;

    private Texts() {
    }

    static String printable(String raw) {
        if (raw == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(raw.length(), MAX) + 8);
        for (int i = 0; i < raw.length() && i < MAX; i++) {
            char c = raw.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\') {
                out.append(c);
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        if (raw.length() > MAX) {
            out.append("...(").append(raw.length()).append(" chars)");
        }
        return out.toString();
    }
}
