package com.enterprisehub.geo.spring.internal;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Writes RFC 9457 problem details without a JSON library (the host may use Jackson 2, 3 or none). Not API. */
public final class Problems {
    private Problems() {
    }

    /** Answers with {@code status} and a problem document of {@code title} and {@code detail}. */
    public static void write(HttpServletResponse response, int status, String title, String detail)
            throws IOException {
        response.setStatus(status);
        response.setContentType("application/problem+json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":" + json(title) + ",\"status\":" + status
                + ",\"detail\":" + json(detail) + "}");
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
