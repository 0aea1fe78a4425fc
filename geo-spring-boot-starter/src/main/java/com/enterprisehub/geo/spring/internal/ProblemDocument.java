package com.enterprisehub.geo.spring.internal;

/**
 * RFC 9457 problem documents (https://www.rfc-editor.org/rfc/rfc9457) without a JSON library (the host may use
 * Jackson 2, 3 or none) and without the servlet API (the reactive filter uses it too). Not API.
 */
public final class ProblemDocument {
    private ProblemDocument() {
    }

    /** The problem document of {@code status}, {@code title} and {@code detail}; as JSON. */
    public static String of(int status, String title, String detail) {
        return "{\"type\":\"about:blank\",\"title\":" + json(title) + ",\"status\":" + status + ",\"detail\":"
                + json(detail) + "}";
    }

    /** {@code text} as a JSON string. */
    static String json(String text) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
