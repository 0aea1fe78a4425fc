package com.enterprisehub.geo.spring.internal;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Writes RFC 9457 problem details to a servlet response ({@link ProblemDocument}). Not API. */
public final class Problems {
    private Problems() {
    }

    /** Answers with {@code status} and a problem document of {@code title} and {@code detail}. */
    public static void write(HttpServletResponse response, int status, String title, String detail)
            throws IOException {
        response.setStatus(status);
        response.setContentType("application/problem+json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(ProblemDocument.of(status, title, detail));
    }
}
