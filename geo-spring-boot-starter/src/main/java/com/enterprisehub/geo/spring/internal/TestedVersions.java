package com.enterprisehub.geo.spring.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.jar.Manifest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns at start-up when a dependency the SDK relies on resolved to a version outside the range it is tested with
 * (Boot's dependency management may move HikariCP, pgjdbc and Jackson without a word). Not API.
 */
public final class TestedVersions {
    private static final Logger LOG = LoggerFactory.getLogger(TestedVersions.class);

    /**
     * A library, its tested range (inclusive, compared by numeric parts) and the property a Boot host sets to pin
     * it.
     */
    record Range(String library, String className, String lowest, String highest, String property) {
    }

    static final List<Range> RANGES = List.of(
            new Range("HikariCP", "com.zaxxer.hikari.HikariDataSource", "7.0.0", "7.0.999", "hikaricp.version"),
            new Range("PostgreSQL JDBC driver", "org.postgresql.Driver", "42.7.11", "42.7.999", "postgresql.version"),
            new Range("Jackson 2 (jackson-databind)", "com.fasterxml.jackson.databind.ObjectMapper", "2.20.0",
                    "2.21.999", "jackson-2-bom.version"));

    private TestedVersions() {
    }

    /** Logs a warning for each library found outside its tested range; returns the warnings. */
    public static List<String> warnOutsideTestedRanges() {
        List<String> warnings = new ArrayList<>();
        for (Range r : RANGES) {
            bundleVersion(r.className()).flatMap(v -> check(r, v)).ifPresent(w -> {
                warnings.add(w);
                LOG.warn(w);
            });
        }
        return warnings;
    }

    /** The warning for {@code version} of {@code range}'s library, if it is outside the range. */
    static Optional<String> check(Range range, String version) {
        if (compare(version, range.lowest()) >= 0 && compare(version, range.highest()) <= 0) {
            return Optional.empty();
        }
        return Optional.of(range.library() + " " + version + " is on the class path, outside the versions"
                + " EnterpriseHub Geo is tested with (" + range.lowest() + " to " + range.highest().replace(".999", ".x")
                + "). Pin a tested one (with Boot's parent: <" + range.property() + "> in your POM's properties); see"
                + " docs/spring-boot.md, Versions.");
    }

    /** Compares dotted versions by their numeric parts ({@code 7.0.2} &lt; {@code 7.0.10}); qualifiers are ignored. */
    static int compare(String a, String b) {
        String[] x = a.split("[.-]");
        String[] y = b.split("[.-]");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int p = i < x.length ? number(x[i]) : 0;
            int q = i < y.length ? number(y[i]) : 0;
            if (p != q) {
                return Integer.compare(p, q);
            }
        }
        return 0;
    }

    private static int number(String part) {
        int end = 0;
        while (end < part.length() && Character.isDigit(part.charAt(end))) {
            end++;
        }
        return end == 0 ? 0 : Integer.parseInt(part.substring(0, Math.min(end, 9)));
    }

    /** The {@code Bundle-Version} (or {@code Implementation-Version}) of the jar holding {@code className}. */
    static Optional<String> bundleVersion(String className) {
        try {
            Class<?> type = Class.forName(className, false, TestedVersions.class.getClassLoader());
            URL self = type.getResource(type.getSimpleName() + ".class");
            if (self == null || !"jar".equals(self.getProtocol())) {
                return Optional.empty();
            }
            String text = self.toString();
            URL manifest = new URL(text.substring(0, text.indexOf("!/") + 2) + "META-INF/MANIFEST.MF");
            try (InputStream in = manifest.openStream()) {
                Manifest m = new Manifest(in);
                String v = m.getMainAttributes().getValue("Bundle-Version");
                return Optional.ofNullable(v != null ? v : m.getMainAttributes().getValue("Implementation-Version"));
            }
        } catch (ClassNotFoundException | IOException | LinkageError e) {
            return Optional.empty();
        }
    }
}
