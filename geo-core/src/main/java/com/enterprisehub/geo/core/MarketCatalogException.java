package com.enterprisehub.geo.core;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A market catalog could not be loaded. Every problem found is listed at once (file, market, field,
 * what is wrong), so a catalog can be fixed in one pass; nothing of the catalog was loaded.
 */
public class MarketCatalogException extends GeoException {
    private static final long serialVersionUID = 1L;
    private final List<Problem> problems;

    public MarketCatalogException(List<Problem> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    /** The problems, in the order they were found in the file. */
    public List<Problem> problems() {
        return problems;
    }

    private static String describe(List<Problem> problems) {
        return problems.size() + " problem" + (problems.size() == 1 ? "" : "s")
                + " in the market catalog; nothing was loaded. Fix them and load again:\n"
                + problems.stream().map(p -> "  - " + p).collect(Collectors.joining("\n"));
    }

    /**
     * One thing wrong in a catalog.
     *
     * @param source the file or resource the catalog came from
     * @param market the id of the market (or its position, {@code markets[3]}, when the id itself is
     *     missing or wrong); empty for problems of the file as a whole
     * @param field the field, as a path inside the market ({@code cities[2].jurisdiction})
     * @param message what is wrong and what is expected
     */
    public record Problem(String source, String market, String field, String message) {
        public Problem {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(market, "market");
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String toString() {
            return source + (market.isEmpty() ? "" : ": market '" + market + "'")
                    + (field.isEmpty() ? "" : ", field '" + field + "'") + ": " + message;
        }
    }
}
